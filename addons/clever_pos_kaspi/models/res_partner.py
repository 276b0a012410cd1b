from odoo import api, models

# Kaspi and delivery orders are sale orders; a confirmed or locked one is a purchase.
SALE_PURCHASE_STATES = ("sale", "done")


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _clever_purchase_stats_hook(self, partner_ids):
        """The customer card (clever_pos_base) also counts Kaspi and delivery orders."""
        channels = super()._clever_purchase_stats_hook(partner_ids)
        domain = [("state", "in", SALE_PURCHASE_STATES)]
        if partner_ids is not None:
            domain.append(("partner_id.commercial_partner_id", "in", list(partner_ids)))
        groups = (
            self.env["sale.order"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(domain, ["partner_id"], ["__count", "amount_total:sum", "date_order:min", "date_order:max"])
        )
        channels.append(
            {
                partner.id: {"count": count, "amount": amount, "first": first, "last": last}
                for partner, count, amount, first, last in groups
            }
        )
        return channels
