from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CleverKaspiOrderAssembleWizard(models.TransientModel):
    _name = "clever.kaspi.order.assemble.wizard"
    _description = "Assemble a Kaspi Delivery order"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    parcels = fields.Integer(string="Number of parcels", default=1, required=True)

    @api.constrains("parcels")
    def _check_parcels(self):
        if any(wizard.parcels < 1 for wizard in self):
            raise ValidationError(self.env._("An assembled order has at least one parcel."))

    def action_confirm(self):
        self.ensure_one()
        self.order_id._kaspi_assemble(self.parcels)
        return {"type": "ir.actions.act_window_close"}
