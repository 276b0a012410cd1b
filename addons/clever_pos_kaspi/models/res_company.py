from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._clever_kaspi_ensure_main_store()
        return companies

    def _clever_kaspi_ensure_main_store(self):
        """Give each of these companies its main Kaspi store, if it has none."""
        Store = self.env["clever.kaspi.store"].sudo()
        have_main = set(Store.search([("company_id", "in", self.ids), ("is_main", "=", True)]).company_id.ids)
        Store.create(
            [
                {"company_id": company.id, "is_main": True, "feed_company_name": company._clever_receipt_name()}
                for company in self
                if company.id not in have_main
            ]
        )
