from odoo import api, fields, models


class CleverKaspiStoreDeleteWizard(models.TransientModel):
    """Confirmation before deleting an additional Kaspi store: says how many offers go with it."""

    _name = "clever.kaspi.store.delete.wizard"
    _description = "Delete a Kaspi store"

    store_id = fields.Many2one("clever.kaspi.store", required=True, ondelete="cascade")
    offer_count = fields.Integer(string="Offers", compute="_compute_message")
    message = fields.Char(compute="_compute_message")

    @api.depends("store_id")
    def _compute_message(self):
        for wizard in self:
            count = self.env["clever.kaspi.offer"].search_count([("store_id", "=", wizard.store_id.id)])
            wizard.offer_count = count
            wizard.message = self.env._(
                "Delete the Kaspi store %(store)s with its offers (%(count)s, published and in the trash)? "
                "The products themselves stay; Kaspi stops getting this store's feeds.",
                store=wizard.store_id.display_name,
                count=count,
            )

    def action_confirm(self):
        self.ensure_one()
        self.store_id.unlink()
        action = self.env["ir.actions.act_window"]._for_xml_id("clever_pos_kaspi.clever_kaspi_store_action")
        return action
