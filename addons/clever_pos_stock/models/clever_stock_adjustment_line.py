from odoo import api, fields, models
from odoo.exceptions import UserError

from .clever_stock_adjustment import APPROVAL_ACTION


class CleverStockAdjustmentLine(models.Model):
    _name = "clever.stock.adjustment.line"
    _description = "Stock adjustment line"
    _order = "adjustment_id, sequence, id"
    _check_company_auto = True

    adjustment_id = fields.Many2one("clever.stock.adjustment", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="adjustment_id.company_id", store=True, index=True)
    location_id = fields.Many2one(related="adjustment_id.location_id")
    state = fields.Selection(related="adjustment_id.state")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('is_storable', '=', True), ('company_id', 'in', [company_id, False])]",
        index=True,
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    input_mode = fields.Selection(
        [("counted", "Counted"), ("delta", "Change")],
        string="Entered as",
        default="counted",
        required=True,
        help="Counted: the quantity found on the shelf. Change: how much to add (or, negative, to remove).",
    )
    counted_qty = fields.Float(string="Counted", digits="Product Unit")
    delta_qty = fields.Float(string="Change", digits="Product Unit")
    on_hand_qty = fields.Float(string="On hand", compute="_compute_quantities", digits="Product Unit")
    difference_qty = fields.Float(string="Difference", compute="_compute_quantities", digits="Product Unit")
    reason_id = fields.Many2one(
        "clever.stock.adjustment.reason",
        required=True,
        default=lambda self: self._default_reason(),
    )
    comment = fields.Char()
    unit_cost = fields.Float(string="Cost", compute="_compute_value", digits="Product Price")
    value = fields.Monetary(compute="_compute_value", currency_field="currency_id", help="Difference at the current cost.")
    currency_id = fields.Many2one(related="adjustment_id.currency_id")
    needs_approval = fields.Boolean(compute="_compute_value")
    # What was applied, kept as history once the document is done.
    qty_before = fields.Float(string="Before", readonly=True, digits="Product Unit", copy=False)
    qty_after = fields.Float(string="After", readonly=True, digits="Product Unit", copy=False)
    applied_qty = fields.Float(string="Applied", readonly=True, digits="Product Unit", copy=False)
    applied_value = fields.Monetary(readonly=True, currency_field="currency_id", copy=False)
    move_ids = fields.One2many("stock.move", "clever_adjustment_line_id", readonly=True)

    @api.model
    def _default_reason(self):
        reason_id = self.env.context.get("default_adjustment_reason_id")
        return self.env["clever.stock.adjustment.reason"].browse(reason_id) if reason_id else False

    @api.depends("product_id", "lot_id", "location_id", "input_mode", "counted_qty", "delta_qty", "state", "applied_qty", "qty_before")
    def _compute_quantities(self):
        for line in self:
            if line.state == "done":
                line.on_hand_qty = line.qty_before
                line.difference_qty = line.applied_qty
                continue
            on_hand = line._current_quantity() if line.product_id and line.location_id else 0.0
            line.on_hand_qty = on_hand
            line.difference_qty = line.counted_qty - on_hand if line.input_mode == "counted" else line.delta_qty

    @api.depends("product_id", "difference_qty", "state", "applied_value", "company_id")
    def _compute_value(self):
        Request = self.env["clever.approval.request"]
        for line in self:
            cost = line.product_id.sudo().with_company(line.company_id or self.env.company).standard_price
            line.unit_cost = cost
            line.value = line.applied_value if line.state == "done" else line.difference_qty * cost
            line.needs_approval = bool(line.product_id) and line.state != "done" and Request._is_required(
                APPROVAL_ACTION, line.company_id or self.env.company, amount=abs(line.value), quantity=abs(line.difference_qty)
            )

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.lot_id and self.lot_id.product_id != self.product_id:
            self.lot_id = False
        if self.input_mode == "counted" and self.product_id and not self.counted_qty:
            self.counted_qty = self._current_quantity()

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.input_mode == "counted" and self.product_id:
            self.counted_qty = self._current_quantity()

    def write(self, vals):
        if not self.env.context.get("clever_adjustment_internal") and any(line.state not in ("draft", False) for line in self):
            raise UserError(self.env._("Lines can only be changed while the adjustment is a draft."))
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if any(line.state not in ("draft", False) for line in lines):
            raise UserError(self.env._("Lines can only be added while the adjustment is a draft."))
        return lines

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(line.state not in ("draft", False) for line in self):
            raise UserError(self.env._("Lines can only be removed while the adjustment is a draft."))

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _quants(self):
        self.ensure_one()
        return self.env["stock.quant"].sudo()._gather(self.product_id, self.location_id, lot_id=self.lot_id or None, strict=True)

    def _current_quantity(self):
        self.ensure_one()
        return sum(self._quants().mapped("quantity"))

    def _check_ready(self):
        for line in self:
            product = line.product_id
            if product.tracking != "none" and not line.lot_id:
                raise UserError(self.env._("%(product)s is tracked: choose the lot or serial number.", product=product.display_name))
            if line.reason_id.comment_required and not (line.comment or line.adjustment_id.comment):
                raise UserError(
                    self.env._("The reason %(reason)s needs a comment (line of %(product)s).", reason=line.reason_id.name, product=product.display_name)
                )
            difference = line.difference_qty
            direction = line.reason_id.direction
            rounding = product.uom_id
            if (direction == "in" and rounding.compare(difference, 0) < 0) or (direction == "out" and rounding.compare(difference, 0) > 0):
                raise UserError(
                    self.env._(
                        "The reason %(reason)s does not fit a change of %(qty)s for %(product)s.",
                        reason=line.reason_id.name,
                        qty=difference,
                        product=product.display_name,
                    )
                )
            if line.input_mode == "counted" and rounding.compare(line.counted_qty, 0) < 0:
                raise UserError(self.env._("A counted quantity cannot be negative (%(product)s).", product=product.display_name))
            if product.tracking == "serial" and rounding.compare(line._current_quantity() + difference, 1) > 0:
                raise UserError(
                    self.env._("Serial number %(lot)s can only be in stock once.", lot=line.lot_id.name)
                )

    def _apply(self):
        """Move stock through Odoo's inventory mode, tagged with this line and its reason."""
        self.ensure_one()
        adjustment = self.adjustment_id
        before = self._current_quantity()
        difference = self.difference_qty
        values = {"qty_before": before, "applied_qty": difference, "qty_after": before + difference, "applied_value": self.value}
        self.with_context(clever_adjustment_internal=True).write(values)
        if self.product_id.uom_id.is_zero(difference):
            return
        label = f"{adjustment.name}: {self.reason_id.name}"
        if self.comment:
            label = f"{label} ({self.comment})"
        Quant = adjustment._quant_env().with_context(
            inventory_mode=True,
            inventory_name=label,
            clever_adjustment_line_id=self.id,
        )
        quant = Quant.create(
            {
                "product_id": self.product_id.id,
                "location_id": self.location_id.id,
                "lot_id": self.lot_id.id,
                "inventory_quantity": before + difference,
            }
        )
        quant = quant.with_env(Quant.env)
        quant.inventory_quantity = before + difference
        quant._apply_inventory()
