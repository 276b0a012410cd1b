from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class CleverStockCount(models.Model):
    """A partial count (the weekly spot-check): chosen products or categories, a printed or
    scanned count sheet, and the differences turned into one adjustment document."""

    _name = "clever.stock.count"
    _description = "Stock count"
    _inherit = ["mail.thread", "barcodes.barcode_events_mixin", "clever.warehouse.shift.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company, index=True)
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        check_company=True,
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [company_id, False])]",
        default=lambda self: self.env["clever.stock.adjustment"]._default_location(),
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    user_id = fields.Many2one("res.users", string="Counted by", default=lambda self: self.env.user)
    category_ids = fields.Many2many("product.category", string="Categories")
    product_ids = fields.Many2many("product.product", string="Products", domain="[('is_storable', '=', True)]")
    blind = fields.Boolean(string="Blind count", default=True, help="The sheet does not show the expected quantities.")
    state = fields.Selection(
        [("draft", "Draft"), ("counting", "Counting"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    line_ids = fields.One2many("clever.stock.count.line", "count_id", string="Lines")
    adjustment_id = fields.Many2one("clever.stock.adjustment", readonly=True, copy=False)
    last_scan = fields.Char(readonly=True, copy=False, help="The last barcode scanned on this sheet.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("clever.stock.count") or "/"
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(count.state not in ("draft", "cancel") for count in self):
            raise UserError(self.env._("A count that has started is history and cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _products_to_count(self):
        self.ensure_one()
        products = self.product_ids
        if self.category_ids:
            products |= self.env["product.product"].search(
                Domain("categ_id", "child_of", self.category_ids.ids)
                & Domain("is_storable", "=", True)
                & Domain("company_id", "in", [self.company_id.id, False]),
                limit=2000,
            )
        return products

    def action_fill(self):
        """Add a line for every chosen product (one per lot in stock for tracked products)."""
        for count in self:
            if count.state not in ("draft", "counting"):
                raise UserError(self.env._("This count is closed."))
            existing = {(line.product_id.id, line.lot_id.id) for line in count.line_ids}
            commands = []
            for product in count._products_to_count():
                lots = [False]
                if product.tracking != "none":
                    quants = self.env["stock.quant"].sudo()._gather(product, count.location_id)
                    lots = quants.lot_id.ids or [False]
                for lot_id in lots:
                    if (product.id, lot_id) not in existing:
                        commands.append(Command.create({"product_id": product.id, "lot_id": lot_id}))
            count.line_ids = commands
        return True

    def _clever_shift_warehouse(self):
        self.ensure_one()
        return self.location_id.warehouse_id

    def action_start(self):
        self._clever_take_warehouse_shift()
        for count in self:
            if not count.line_ids:
                count.action_fill()
            if not count.line_ids:
                raise UserError(self.env._("Choose products or categories to count."))
            count.line_ids._snapshot()
            count.state = "counting"
        return True

    def action_print(self):
        return self.env.ref("clever_pos_stock.action_report_clever_stock_count").report_action(self)

    def action_create_adjustment(self):
        """The differences found become one draft adjustment, ready to apply or send for approval."""
        self.ensure_one()
        if self.state != "counting":
            raise UserError(self.env._("Start the count first."))
        self._clever_take_warehouse_shift()
        reasons = self.env["clever.stock.adjustment.reason"]
        shortage = reasons.search([("code", "=", "shortage_count")], limit=1)
        found = reasons.search([("code", "=", "found")], limit=1)
        lines = []
        for line in self.line_ids.filtered("is_counted"):
            difference = line.counted_qty - line._current_quantity()
            if line.product_id.uom_id.is_zero(difference):
                continue
            lines.append(
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "lot_id": line.lot_id.id,
                        "input_mode": "counted",
                        "counted_qty": line.counted_qty,
                        "reason_id": (found if difference > 0 else shortage).id,
                    }
                )
            )
        adjustment = self.env["clever.stock.adjustment"]
        if lines:
            adjustment = adjustment.create(
                {
                    "company_id": self.company_id.id,
                    "location_id": self.location_id.id,
                    "count_id": self.id,
                    "comment": self.env._("Count %(name)s", name=self.name),
                    "line_ids": lines,
                }
            )
        self.write({"state": "done", "adjustment_id": adjustment.id})
        if not adjustment:
            self.message_post(body=self.env._("The count matches the stock: nothing to adjust."))
            return True
        return {
            "type": "ir.actions.act_window",
            "res_model": "clever.stock.adjustment",
            "res_id": adjustment.id,
            "views": [(False, "form")],
        }

    def action_cancel(self):
        if any(count.state == "done" for count in self):
            raise UserError(self.env._("A done count cannot be cancelled."))
        self.state = "cancel"
        return True

    # ------------------------------------------------------------------
    # Scanning
    # ------------------------------------------------------------------

    def on_barcode_scanned(self, barcode):
        """A scan counts one more unit of the product (added to the sheet if missing)."""
        self.last_scan = barcode
        if self.state not in ("draft", "counting"):
            return {"warning": {"title": self.env._("Closed"), "message": self.env._("This count is closed.")}}
        product = self.env["product.product"].search(
            [("barcode", "=", barcode), ("company_id", "in", [self.company_id.id, False])], limit=1
        )
        lot = self.env["stock.lot"]
        if not product:
            lot = self.env["stock.lot"].search([("name", "=", barcode), ("company_id", "in", [self.company_id.id, False])], limit=1)
            product = lot.product_id
        if not product:
            return {
                "warning": {
                    "title": self.env._("Unknown barcode"),
                    "message": self.env._("No product or serial number has the barcode %(barcode)s.", barcode=barcode),
                }
            }
        line = self.line_ids.filtered(lambda l: l.product_id == product and (not lot or l.lot_id == lot))[:1]
        if line:
            line.counted_qty += 1
            line.is_counted = True
        else:
            self.line_ids = [Command.create({"product_id": product.id, "lot_id": lot.id, "counted_qty": 1, "is_counted": True})]
        return None
