from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round


def round_tenge(amount):
    """Sale prices are whole tenge."""
    return float_round(amount, precision_digits=0)


class CleverReceivingLine(models.Model):
    _name = "clever.receiving.line"
    _description = "Receiving line"
    _order = "receiving_id, sequence, id"
    _check_company_auto = True

    receiving_id = fields.Many2one("clever.receiving", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="receiving_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="receiving_id.partner_id")
    currency_id = fields.Many2one(related="receiving_id.currency_id")
    state = fields.Selection(related="receiving_id.state")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('type', '=', 'consu'), ('purchase_ok', '=', True), ('company_id', 'in', [company_id, False])]",
        index=True,
    )
    barcode = fields.Char(related="product_id.barcode")
    default_code = fields.Char(related="product_id.default_code", string="SKU")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    tracking = fields.Selection(related="product_id.tracking")
    use_expiration_date = fields.Boolean(related="product_id.use_expiration_date")
    quantity = fields.Float(default=1.0, digits="Product Unit")
    price_unit = fields.Float(
        string="Purchase price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        digits="Product Price",
    )
    tax_ids = fields.Many2many(
        "account.tax",
        string="VAT",
        compute="_compute_tax_ids",
        store=True,
        readonly=False,
        check_company=True,
        domain="[('type_tax_use', '=', 'purchase'), ('company_id', 'parent_of', company_id)]",
    )
    price_subtotal = fields.Monetary(compute="_compute_amounts", string="Amount", currency_field="currency_id")
    price_total = fields.Monetary(compute="_compute_amounts", string="With VAT", currency_field="currency_id")
    sale_price = fields.Float(
        compute="_compute_sale_price",
        store=True,
        readonly=False,
        digits="Product Price",
        help="The shelf price after this receiving (whole tenge).",
    )
    markup = fields.Float(
        string="Markup (%)",
        digits=(16, 2),
        help="Sale price over purchase price. Editing it sets the sale price, and the other way round.",
    )
    update_sale_price = fields.Boolean(
        string="New sale price",
        compute="_compute_update_sale_price",
        store=True,
        readonly=False,
        help="Posting writes this sale price on the product.",
    )
    current_sale_price = fields.Float(compute="_compute_supplier_price", string="Current sale price", digits="Product Price")
    old_price = fields.Float(compute="_compute_supplier_price", string="Last price", digits="Product Price", help="This supplier's last price for the product.")
    price_changed = fields.Boolean(compute="_compute_supplier_price", string="Price changed")
    price_change_percent = fields.Float(compute="_compute_supplier_price", string="Price change (%)", digits=(16, 1))
    current_margin = fields.Float(
        compute="_compute_supplier_price",
        string="Margin at current price (%)",
        digits=(16, 1),
        help="Margin of the current sale price over the new purchase price.",
    )
    lot_names = fields.Text(
        string="Lot / serial numbers",
        help="Lot-tracked goods: the lot number. Serial-tracked goods: one serial number per line, as many as the quantity.",
    )
    expiration_date = fields.Datetime(string="Expiry date")
    purchase_line_id = fields.Many2one("purchase.order.line", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _seller(self):
        self.ensure_one()
        partner = self.receiving_id.partner_id
        if not partner or not self.product_id:
            return self.env["product.supplierinfo"]
        return self.product_id.sudo().seller_ids.filtered(
            lambda s: s.partner_id == partner and s.company_id in (self.company_id, self.env["res.company"]) and (not s.product_id or s.product_id == self.product_id)
        ).sorted(lambda s: (s.sequence, -s.id))[:1]

    def _last_purchase_price(self):
        self.ensure_one()
        partner = self.receiving_id.partner_id
        if not partner or not self.product_id:
            return 0.0
        line = self.env["purchase.order.line"].sudo().search(
            [
                ("product_id", "=", self.product_id.id),
                ("partner_id", "=", partner.id),
                ("state", "=", "purchase"),
                ("company_id", "=", self.company_id.id),
                ("id", "!=", self.purchase_line_id.id),
            ],
            order="date_order desc, id desc",
            limit=1,
        )
        return line.price_unit

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            if not line.product_id:
                line.price_unit = 0.0
                continue
            seller = line._seller()
            line.price_unit = seller.price if seller else line.product_id.sudo().with_company(line.company_id or self.env.company).standard_price

    @api.depends("product_id")
    def _compute_tax_ids(self):
        for line in self:
            company = line.company_id or self.env.company
            line.tax_ids = line.product_id.supplier_taxes_id.filtered(lambda t: t.company_id in company.parent_ids)

    @api.depends("quantity", "price_unit", "tax_ids")
    def _compute_amounts(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit
            if line.tax_ids:
                taxes = line.tax_ids.compute_all(line.price_unit, line.currency_id, line.quantity, product=line.product_id, partner=line.partner_id)
                line.price_subtotal = taxes["total_excluded"]
                line.price_total = taxes["total_included"]
            else:
                line.price_total = line.price_subtotal

    @api.depends("product_id")
    def _compute_sale_price(self):
        for line in self:
            price = line.product_id.lst_price
            markup = line.product_id.categ_id.clever_default_markup
            if not price and markup and line.price_unit:
                price = round_tenge(line.price_unit * (1 + markup / 100.0))
            line.sale_price = price

    def _markup_for(self, sale_price, price_unit):
        return (sale_price / price_unit - 1) * 100.0 if price_unit and sale_price else 0.0

    def _sale_price_for(self, markup, price_unit):
        return round_tenge(price_unit * (1 + markup / 100.0))

    @api.depends("sale_price", "product_id")
    def _compute_update_sale_price(self):
        for line in self:
            line.update_sale_price = bool(line.product_id) and line.sale_price > 0 and round_tenge(line.sale_price) != round_tenge(line.product_id.lst_price)

    @api.depends("product_id", "price_unit", "receiving_id.partner_id")
    def _compute_supplier_price(self):
        for line in self:
            seller = line._seller()
            old = seller.price if seller else line._last_purchase_price()
            current = line.product_id.lst_price
            line.current_sale_price = current
            line.old_price = old
            line.price_changed = bool(old) and line.product_id and abs(old - line.price_unit) > 0.005
            line.price_change_percent = (line.price_unit / old - 1) * 100.0 if old else 0.0
            line.current_margin = (current - line.price_unit) / current * 100.0 if current else 0.0

    # ------------------------------------------------------------------
    # Onchanges: markup and sale price follow each other on the screen
    # ------------------------------------------------------------------

    @api.onchange("product_id")
    def _onchange_product_id(self):
        self.markup = self._markup_for(self.sale_price, self.price_unit)

    @api.onchange("markup")
    def _onchange_markup(self):
        if self.price_unit:
            self.sale_price = self._sale_price_for(self.markup, self.price_unit)

    @api.onchange("price_unit")
    def _onchange_price_unit(self):
        default_markup = self.product_id.categ_id.clever_default_markup
        if not self.sale_price and default_markup and self.price_unit:
            self.sale_price = self._sale_price_for(default_markup, self.price_unit)
        self.markup = self._markup_for(self.sale_price, self.price_unit)

    @api.onchange("sale_price")
    def _onchange_sale_price(self):
        self.sale_price = round_tenge(self.sale_price)
        # The markup that made this price stays as typed; any other price gives its markup.
        if self._sale_price_for(self.markup, self.price_unit) != self.sale_price:
            self.markup = self._markup_for(self.sale_price, self.price_unit)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.context.get("clever_receiving_internal") and any(line.state not in ("draft", False) for line in lines):
            raise UserError(self.env._("Lines can only be added to a draft receiving."))
        for line, vals in zip(lines, vals_list, strict=True):
            line._sync_markup(dict(vals, product_id=line.product_id.id))
        return lines

    def write(self, vals):
        if not self.env.context.get("clever_receiving_internal") and any(line.state not in ("draft", False) for line in self):
            raise UserError(self.env._("Lines of a posted receiving cannot be changed."))
        result = super().write(vals)
        for line in self:
            line._sync_markup(vals)
        return result

    def _sync_markup(self, vals):
        """Keep markup and sale price together when written by code or saved from a screen: a
        markup given alone sets the sale price; otherwise a markup that does not give the sale
        price (stale, or never set) is recomputed from it."""
        if "markup" in vals and "sale_price" not in vals:
            sale_price = self._sale_price_for(vals["markup"], self.price_unit) if self.price_unit else self.sale_price
            if sale_price != self.sale_price:
                super(CleverReceivingLine, self).write({"sale_price": sale_price})
        elif {"markup", "sale_price", "price_unit", "product_id"} & set(vals):
            if self.price_unit and self.sale_price and self._sale_price_for(self.markup, self.price_unit) == round_tenge(self.sale_price):
                return
            markup = self._markup_for(self.sale_price, self.price_unit)
            if abs(markup - self.markup) > 0.005:
                super(CleverReceivingLine, self).write({"markup": markup})

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(line.state == "posted" for line in self):
            raise UserError(self.env._("Lines of a posted receiving cannot be deleted."))

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------

    def _lot_list(self):
        self.ensure_one()
        names = (self.lot_names or "").replace(",", "\n").splitlines()
        return [name.strip() for name in names if name.strip()]

    def _check_postable(self):
        for line in self:
            product = line.product_id
            if product.uom_id.compare(line.quantity, 0) <= 0:
                raise UserError(self.env._("Enter the quantity of %(product)s.", product=product.display_name))
            if line.price_unit < 0 or line.sale_price < 0:
                raise UserError(self.env._("Prices of %(product)s cannot be negative.", product=product.display_name))
            if not product.is_storable:
                raise UserError(self.env._("%(product)s is not a stocked product.", product=product.display_name))
            lots = line._lot_list()
            if product.tracking == "lot" and len(lots) != 1:
                raise UserError(self.env._("Enter the lot number of %(product)s.", product=product.display_name))
            if product.tracking == "serial":
                if product.uom_id.compare(line.quantity, len(lots)) != 0 or len(set(lots)) != len(lots):
                    raise UserError(
                        self.env._(
                            "Enter %(qty)s different serial numbers for %(product)s, one per line.",
                            qty=int(line.quantity),
                            product=product.display_name,
                        )
                    )
            if product.use_expiration_date and product.tracking != "none" and not line.expiration_date:
                raise UserError(self.env._("Enter the expiry date of %(product)s.", product=product.display_name))

    def _purchase_line_values(self):
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "name": self.product_id.display_name,
            "product_qty": self.quantity,
            "product_uom_id": self.product_id.uom_id.id,
            "price_unit": self.price_unit,
            "tax_ids": [Command.set(self.tax_ids.ids)],
            "date_planned": self.receiving_id.date,
        }

    def _fill_move(self, move):
        """Set what arrived on the receipt move: the quantity, and the lots with their expiry."""
        self.ensure_one()
        lots = self._lot_list()
        if self.tracking == "none":
            move.quantity = self.quantity
        else:
            move.move_line_ids.unlink()
            per_lot = self.quantity if self.tracking == "lot" else 1.0
            values = []
            for name in lots:
                vals = {
                    "move_id": move.id,
                    "product_id": self.product_id.id,
                    "product_uom_id": move.product_uom.id,
                    "quantity": per_lot,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "picking_id": move.picking_id.id,
                    "company_id": move.company_id.id,
                }
                existing = self.env["stock.lot"].search(
                    [("product_id", "=", self.product_id.id), ("name", "=", name), ("company_id", "in", [self.company_id.id, False])], limit=1
                )
                if existing:
                    vals["lot_id"] = existing.id
                else:
                    vals["lot_name"] = name
                    if self.expiration_date:
                        vals["expiration_date"] = self.expiration_date
                values.append(vals)
            self.env["stock.move.line"].create(values)
        move.picked = True

    def _update_product_prices(self):
        """After the receipt: sale prices where chosen, the supplier's price, and the cost of
        products not valued at average or FIFO cost (those follow the receipt by themselves)."""
        for line in self:
            product = line.product_id
            template = product.product_tmpl_id
            if line.update_sale_price and line.sale_price > 0:
                receiving = line.receiving_id
                template.with_context(
                    clever_price_source="receiving",
                    clever_price_origin=(receiving._name, receiving.id, receiving.display_name),
                ).list_price = round_tenge(line.sale_price) - product.price_extra
            if product.cost_method == "standard":
                product.sudo().with_company(line.company_id).standard_price = line.price_unit
            seller = line._seller()
            if seller:
                seller.sudo().write({"price": line.price_unit, "currency_id": line.currency_id.id})
            else:
                self.env["product.supplierinfo"].sudo().create(
                    {
                        "partner_id": line.receiving_id.partner_id.id,
                        "product_tmpl_id": template.id,
                        "price": line.price_unit,
                        "currency_id": line.currency_id.id,
                        "company_id": line.company_id.id,
                        "min_qty": 0,
                    }
                )
