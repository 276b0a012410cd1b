import logging

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class CleverReceiving(models.Model):
    """Goods from a supplier, received on one screen (a PC or a store keeper's phone).

    A draft changes nothing. Posting builds Odoo's own documents in one go: a confirmed purchase
    order, its validated receipt (stock goes up, the average cost moves), the vendor bill and,
    when paid at once, the payment from the chosen money account. Sale prices and the supplier's
    price are updated where the lines say so. Either all of it is written or nothing.
    """

    _name = "clever.receiving"
    _description = "Receiving"
    _inherit = ["mail.thread", "mail.activity.mixin", "barcodes.barcode_events_mixin", "clever.warehouse.shift.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/", index="trigram")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        check_company=True,
        tracking=True,
        index=True,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    supplier_ref = fields.Char(string="Supplier invoice No.", copy=False)
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    user_id = fields.Many2one("res.users", string="Received by", default=lambda self: self.env.user)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        default=lambda self: self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1),
    )
    pay_now = fields.Boolean(string="Paid now", default=True, help="Pay the supplier at once from the money account.")
    journal_id = fields.Many2one(
        "account.journal",
        string="Money account",
        check_company=True,
        domain="[('type', 'in', ('cash', 'bank')), ('company_id', '=', company_id)]",
        default=lambda self: self.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", self.env.company.id)], limit=1
        ),
        help="Cash, bank or Kaspi: where the money for this supplier comes from.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("clever.receiving.line", "receiving_id", string="Lines", copy=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_untaxed = fields.Monetary(compute="_compute_amounts", string="Untaxed", currency_field="currency_id")
    amount_tax = fields.Monetary(compute="_compute_amounts", string="VAT", currency_field="currency_id")
    amount_total = fields.Monetary(compute="_compute_amounts", string="Total", currency_field="currency_id")
    quantity_total = fields.Float(compute="_compute_amounts", string="Units", digits="Product Unit")
    price_changed_count = fields.Integer(compute="_compute_amounts", string="Changed prices")
    note = fields.Text()
    unknown_barcode = fields.Char(readonly=True, copy=False, help="The last scanned barcode that matches no product.")
    purchase_id = fields.Many2one("purchase.order", string="Purchase order", readonly=True, copy=False)
    picking_id = fields.Many2one("stock.picking", string="Receipt", readonly=True, copy=False)
    invoice_id = fields.Many2one("account.move", string="Vendor bill", readonly=True, copy=False)
    payment_id = fields.Many2one("account.payment", string="Payment", readonly=True, copy=False)
    posted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_posted = fields.Datetime(readonly=True, copy=False)

    @api.depends("line_ids.price_subtotal", "line_ids.price_total", "line_ids.quantity", "line_ids.price_changed")
    def _compute_amounts(self):
        for receiving in self:
            lines = receiving.line_ids
            receiving.amount_untaxed = sum(lines.mapped("price_subtotal"))
            receiving.amount_total = sum(lines.mapped("price_total"))
            receiving.amount_tax = receiving.amount_total - receiving.amount_untaxed
            receiving.quantity_total = sum(lines.mapped("quantity"))
            receiving.price_changed_count = len(lines.filtered("price_changed"))

    @api.onchange("warehouse_id")
    def _onchange_warehouse_id(self):
        if self.warehouse_id.company_id and self.warehouse_id.company_id != self.company_id:
            self.warehouse_id = False

    # ------------------------------------------------------------------
    # CRUD: posted receivings are history
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("clever.receiving") or "/"
        return super().create(vals_list)

    def write(self, vals):
        free = {"note", "message_main_attachment_id", "activity_ids", "message_follower_ids", "unknown_barcode"}
        if set(vals) - free and not self.env.context.get("clever_receiving_internal") and any(r.state != "draft" for r in self):
            raise UserError(self.env._("A posted or cancelled receiving cannot be changed: correct it with a new document."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(receiving.state == "posted" for receiving in self):
            raise UserError(self.env._("A posted receiving is history and cannot be deleted."))

    # ------------------------------------------------------------------
    # Scanning
    # ------------------------------------------------------------------

    def _find_product(self, code):
        code = (code or "").strip()
        if not code:
            return self.env["product.product"]
        company_domain = [("company_id", "in", [self.company_id.id or self.env.company.id, False])]
        Product = self.env["product.product"]
        return Product.search([("barcode", "=", code), *company_domain], limit=1) or Product.search(
            [("default_code", "=ilike", code), *company_domain], limit=1
        )

    def on_barcode_scanned(self, barcode):
        """A scan adds the product, or one more unit of it; an unknown code is offered for creation."""
        if self.state != "draft":
            return {"warning": {"title": self.env._("Posted"), "message": self.env._("This receiving is already posted.")}}
        product = self._find_product(barcode)
        if not product:
            self.unknown_barcode = barcode
            return None
        self.unknown_barcode = False
        line = self.line_ids.filtered(lambda l: l.product_id == product and l.tracking != "serial")[:1]
        if line:
            line.quantity += 1
        else:
            self.line_ids = [Command.create({"product_id": product.id, "quantity": 1, "sequence": len(self.line_ids) + 10})]
        return None

    def action_create_product(self):
        """Open the small product form for the unknown barcode, prefilled."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New product"),
            "res_model": "clever.receiving.product.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_receiving_id": self.id, "default_barcode": self.unknown_barcode},
        }

    def action_dismiss_unknown_barcode(self):
        self.write({"unknown_barcode": False})
        return True

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------

    def action_save_draft(self):
        """The record is saved by the button itself; nothing else happens in a draft."""
        return True

    def action_cancel(self):
        if any(receiving.state != "draft" for receiving in self):
            raise UserError(self.env._("Only a draft receiving can be cancelled."))
        self.with_context(clever_receiving_internal=True).write({"state": "cancel"})
        return True

    def action_draft(self):
        if any(receiving.state != "cancel" for receiving in self):
            raise UserError(self.env._("Only a cancelled receiving goes back to draft."))
        self.with_context(clever_receiving_internal=True).write({"state": "draft"})
        return True

    def _check_postable(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("%(name)s is already posted or cancelled.", name=self.name))
        if not self.partner_id:
            raise UserError(self.env._("Choose the supplier."))
        if not self.line_ids:
            raise UserError(self.env._("Scan or add at least one product."))
        if self.pay_now and not self.journal_id:
            raise UserError(self.env._("Choose the money account that pays the supplier, or untick \"Paid now\"."))
        if not self.warehouse_id.in_type_id:
            raise UserError(self.env._("The warehouse %(warehouse)s has no receipt operation.", warehouse=self.warehouse_id.name))
        self.line_ids._check_postable()

    def _clever_shift_warehouse(self):
        self.ensure_one()
        return self.warehouse_id

    def action_post(self):
        self.check_access("write")
        for receiving in self:
            receiving._check_postable()
            receiving._clever_take_warehouse_shift()
            try:
                # All or nothing, even for a caller that catches the error.
                with self.env.cr.savepoint():
                    receiving._post()
            except Exception:
                self.env.invalidate_all()
                raise
        return True

    def _post(self):
        self.ensure_one()
        order = self._create_purchase_order()
        picking = self._receive(order)
        self.line_ids._update_product_prices()
        bill = self._create_bill(order)
        payment = self._pay(bill) if self.pay_now else self.env["account.payment"]
        self.with_context(clever_receiving_internal=True).write(
            {
                "state": "posted",
                "purchase_id": order.id,
                "picking_id": picking.id,
                "invoice_id": bill.id,
                "payment_id": payment.id,
                "posted_by_id": self.env.user.id,
                "date_posted": fields.Datetime.now(),
                "unknown_barcode": False,
            }
        )
        self.message_post(
            body=self.env._(
                "Posted: %(order)s, receipt %(picking)s, bill %(bill)s%(paid)s.",
                order=order.name,
                picking=picking.name,
                bill=bill.name,
                paid=self.env._(", paid from %(journal)s", journal=self.journal_id.name) if payment else "",
            )
        )

    def _create_purchase_order(self):
        order = (
            self.env["purchase.order"]
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "currency_id": self.currency_id.id,
                    "picking_type_id": self.warehouse_id.in_type_id.id,
                    "date_order": self.date,
                    "origin": self.name,
                    "partner_ref": self.supplier_ref,
                    "order_line": [Command.create(line._purchase_line_values()) for line in self.line_ids],
                }
            )
        )
        for line, order_line in zip(self.line_ids, order.order_line, strict=True):
            line.with_context(clever_receiving_internal=True).purchase_line_id = order_line
        order.button_confirm()
        if order.state != "purchase":
            # Goods already on the shelf: the receiving itself is the approval of the order.
            order.sudo().button_approve()
        return order

    def _receive(self, order):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        if len(picking) != 1:
            raise UserError(self.env._("The purchase order %(order)s did not make one receipt.", order=order.name))
        for line in self.line_ids:
            moves = picking.move_ids.filtered(lambda m, l=line: m.purchase_line_id == l.purchase_line_id)
            if len(moves) != 1:
                raise UserError(self.env._("No receipt move for %(product)s.", product=line.product_id.display_name))
            line._fill_move(moves)
        result = picking.with_context(skip_backorder=True, cancel_backorder=True, skip_sms=True).button_validate()
        if picking.state != "done":
            raise UserError(self.env._("The receipt %(picking)s could not be validated.", picking=picking.name))
        if isinstance(result, dict) and result.get("res_model"):
            _logger.info("Receipt %s validated with an extra step: %s", picking.name, result.get("res_model"))
        return picking

    def _create_bill(self, order):
        """The vendor bill: accounting is done with the rights of the document, as Odoo's own
        flows do; who may post a receiving is decided by the access rules of this model."""
        order = order.sudo()
        order.action_create_invoice()
        bill = order.invoice_ids.filtered(lambda m: m.state == "draft")
        if len(bill) != 1:
            raise UserError(self.env._("No vendor bill could be made for %(order)s.", order=order.name))
        bill.write({"invoice_date": fields.Date.context_today(self, self.date), "ref": self.supplier_ref or self.name})
        bill.action_post()
        return bill.sudo(False)

    def _pay(self, bill):
        wizard = (
            self.env["account.payment.register"]
            .sudo()
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"journal_id": self.journal_id.id, "payment_date": fields.Date.context_today(self, self.date)})
        )
        payments = wizard._create_payments()
        return payments.sudo(False)

    # ------------------------------------------------------------------
    # Navigation
    # ------------------------------------------------------------------

    def _open(self, record):
        if not record:
            return False
        return {"type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id, "views": [(False, "form")]}

    def _price_changed_products(self):
        """The products whose sale price this receiving changed (from the price history)."""
        self.ensure_one()
        history = self.env["clever.product.price.history"].sudo().search(
            [("origin_model", "=", self._name), ("origin_res_id", "=", self.id)]
        )
        products = self.line_ids.product_id.filtered(lambda p: p.product_tmpl_id in history.product_tmpl_id)
        return products or self.line_ids.filtered("update_sale_price").product_id

    def action_print_price_tags(self):
        """New shelf tags for the products whose sale price changed with this receiving."""
        self.ensure_one()
        products = self._price_changed_products()
        if not products:
            raise UserError(self.env._("No sale price changed with this receiving."))
        action = self.env["ir.actions.act_window"]._for_xml_id("clever_pos_stock.clever_price_tag_wizard_action")
        action["context"] = {"default_product_ids": products.ids, "active_model": False, "active_ids": []}
        return action

    def action_view_purchase(self):
        return self._open(self.purchase_id)

    def action_view_picking(self):
        return self._open(self.picking_id)

    def action_view_invoice(self):
        return self._open(self.invoice_id)
