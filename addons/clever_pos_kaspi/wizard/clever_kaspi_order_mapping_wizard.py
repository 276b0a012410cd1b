from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class CleverKaspiOrderMappingWizard(models.TransientModel):
    """Map the unknown offers of a Kaspi order to our products, once: the mapping is kept for
    the next orders of the store."""

    _name = "clever.kaspi.order.mapping.wizard"
    _description = "Map Kaspi offers to products"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    line_ids = fields.One2many("clever.kaspi.order.mapping.wizard.line", "wizard_id", string="Offers")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards.filtered(lambda w: not w.line_ids):
            codes = {}
            for line in wizard.order_id.order_line.filtered("kaspi_needs_mapping"):
                codes.setdefault(line.kaspi_offer_code, line.kaspi_offer_name)
            wizard.line_ids = [Command.create({"offer_code": code, "offer_name": name}) for code, name in codes.items()]
        return wizards

    def action_confirm(self):
        self.ensure_one()
        lines = self.line_ids.filtered("product_id")
        if not lines:
            raise UserError(self.env._("Choose a product for at least one offer."))
        store = self.order_id.kaspi_store_id
        Mapping = self.env["clever.kaspi.order.mapping"]
        for line in lines:
            mapping = Mapping.search([("store_id", "=", store.id), ("offer_code", "=", line.offer_code)], limit=1)
            if mapping:
                mapping.product_id = line.product_id
            else:
                Mapping.create(
                    {
                        "store_id": store.id,
                        "offer_code": line.offer_code,
                        "offer_name": line.offer_name,
                        "product_id": line.product_id.id,
                    }
                )
        return {"type": "ir.actions.act_window_close"}

