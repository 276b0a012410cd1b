from odoo import api, fields, models


class CleverWarehouseShift(models.Model):
    _inherit = "clever.warehouse.shift"

    receiving_ids = fields.One2many("clever.receiving", "warehouse_shift_id", string="Receivings", readonly=True)
    receiving_count = fields.Integer(compute="_compute_receiving_count")

    @api.depends("receiving_ids")
    def _compute_receiving_count(self):
        for shift in self:
            shift.receiving_count = len(shift.receiving_ids)

    def action_view_receivings(self):
        return self._open_documents("clever.receiving", self.env._("Receivings"))
