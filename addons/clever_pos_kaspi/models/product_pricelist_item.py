from odoo import api, models


class ProductPricelistItem(models.Model):
    _inherit = "product.pricelist.item"

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        self.env["clever.kaspi.feed.change"]._mark_pricelists(items.pricelist_id.ids)
        return items

    def write(self, vals):
        pricelists = self.pricelist_id
        result = super().write(vals)
        self.env["clever.kaspi.feed.change"]._mark_pricelists((pricelists | self.pricelist_id).ids)
        return result

    def unlink(self):
        pricelists = self.pricelist_id
        result = super().unlink()
        self.env["clever.kaspi.feed.change"]._mark_pricelists(pricelists.ids)
        return result
