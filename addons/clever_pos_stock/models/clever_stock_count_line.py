from odoo import api, fields, models


class CleverStockCountLine(models.Model):
    _name = "clever.stock.count.line"
    _description = "Stock count line"
    _order = "count_id, sequence, id"
    _check_company_auto = True

    count_id = fields.Many2one("clever.stock.count", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="count_id.company_id", store=True)
    location_id = fields.Many2one(related="count_id.location_id")
    state = fields.Selection(related="count_id.state")
    product_id = fields.Many2one("product.product", required=True, check_company=True, index=True)
    barcode = fields.Char(related="product_id.barcode")
    default_code = fields.Char(related="product_id.default_code", string="SKU")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", check_company=True, domain="[('product_id', '=', product_id)]")
    expected_qty = fields.Float(string="Expected", readonly=True, digits="Product Unit")
    counted_qty = fields.Float(string="Counted", digits="Product Unit")
    is_counted = fields.Boolean(string="Counted?", help="Only counted lines make the adjustment.")
    difference_qty = fields.Float(string="Difference", compute="_compute_difference", digits="Product Unit")

    @api.depends("expected_qty", "counted_qty", "is_counted")
    def _compute_difference(self):
        for line in self:
            line.difference_qty = line.counted_qty - line.expected_qty if line.is_counted else 0.0

    @api.onchange("counted_qty")
    def _onchange_counted_qty(self):
        self.is_counted = True

    def _current_quantity(self):
        self.ensure_one()
        quants = self.env["stock.quant"].sudo()._gather(self.product_id, self.location_id, lot_id=self.lot_id or None, strict=True)
        return sum(quants.mapped("quantity"))

    def _snapshot(self):
        for line in self:
            line.expected_qty = line._current_quantity()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda l: l.state == "counting")._snapshot()
        return lines
