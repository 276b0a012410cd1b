from odoo import fields, models


class CleverKaspiOfferBulkWizard(models.TransientModel):
    """Set the pre-order days or the Kaspi price of the selected offers at once."""

    _name = "clever.kaspi.offer.bulk.wizard"
    _description = "Change Kaspi offers in bulk"

    mode = fields.Selection(
        [("preorder", "Pre-order days"), ("price", "Price for Kaspi")], required=True, default="preorder"
    )
    offer_ids = fields.Many2many("clever.kaspi.offer", string="Offers")
    offer_count = fields.Integer(string="Selected offers", compute="_compute_offer_count")
    use_store_default = fields.Boolean(
        string="Use the store's default", help="The offers follow their store's default pre-order days again."
    )
    preorder_days = fields.Integer(string="Pre-order days")
    price_override = fields.Integer(string="Price for Kaspi (₸)", help="0 removes the offers' own price.")

    _preorder_days_range = models.Constraint("CHECK(preorder_days BETWEEN 0 AND 30)", "Pre-order days go from 0 to 30.")
    _price_override_positive = models.Constraint("CHECK(price_override >= 0)", "A Kaspi price cannot be negative.")

    def _compute_offer_count(self):
        for wizard in self:
            wizard.offer_count = len(wizard.offer_ids)

    def action_apply(self):
        self.ensure_one()
        if self.mode == "preorder":
            if self.use_store_default:
                self.offer_ids.write({"preorder_override": False, "preorder_days": 0})
            else:
                self.offer_ids.write({"preorder_override": True, "preorder_days": self.preorder_days})
        else:
            self.offer_ids.write({"price_override": self.price_override})
        return {"type": "ir.actions.act_window_close"}
