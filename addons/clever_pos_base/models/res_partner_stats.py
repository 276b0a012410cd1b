from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

# Orders of the till that count as purchases (drafts and cancelled ones do not).
POS_PURCHASE_STATES = ("paid", "done")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The customer card: what a customer bought over all channels (till here; Kaspi and delivery
    # orders through _clever_purchase_stats_hook in clever_pos_kaspi), stored so that a manager
    # can filter, sort and export customers. Kept up to date when a till order is paid and every
    # night (the segment also changes when nothing happens: a customer becomes "lapsed").
    clever_stats_currency_id = fields.Many2one("res.currency", string="Card currency", compute="_compute_clever_stats_currency_id")
    clever_purchase_count = fields.Integer(string="Purchases", readonly=True, copy=False, help="Receipts and orders, returns not counted.")
    clever_ltv = fields.Monetary(
        string="Lifetime value",
        currency_field="clever_stats_currency_id",
        readonly=True,
        copy=False,
        help="Everything the customer paid, all channels, less returns.",
    )
    clever_avg_receipt = fields.Monetary(string="Average receipt", currency_field="clever_stats_currency_id", readonly=True, copy=False)
    clever_first_purchase_date = fields.Date(string="First purchase", readonly=True, copy=False)
    clever_last_purchase_date = fields.Date(string="Last purchase", readonly=True, copy=False, index="btree_not_null")
    clever_segment = fields.Selection(
        [("new", "New"), ("regular", "Regular"), ("lapsed", "Lapsed")],
        string="Segment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="New: fewer purchases than a regular customer makes. Regular: bought often enough. "
        "Lapsed: nothing bought for the number of days set in the shop settings.",
    )
    clever_top_customer = fields.Boolean(
        string="Top customer", readonly=True, copy=False, help="Among the customers with the highest lifetime value (shop settings)."
    )

    def _compute_clever_stats_currency_id(self):
        for partner in self:
            partner.clever_stats_currency_id = self.env.company.currency_id

    # ------------------------------------------------------------------
    # Purchases per channel
    # ------------------------------------------------------------------

    @api.model
    def _clever_purchase_stats_hook(self, partner_ids):
        """Purchases of these commercial partners (all when None), one dict per channel:
        {contact id: {"count", "amount", "first", "last"}} (dates as datetime). The till's orders
        here; other channels (Kaspi, delivery) extend this list."""
        domain = [("state", "in", POS_PURCHASE_STATES), ("partner_id", "!=", False)]
        if partner_ids is not None:
            domain.append(("partner_id.commercial_partner_id", "in", list(partner_ids)))
        Order = self.env["pos.order"].sudo().with_context(active_test=False)
        totals = Order._read_group(domain, ["partner_id"], ["amount_total:sum", "date_order:min", "date_order:max"])
        sales = Order._read_group(domain + [("amount_total", ">", 0)], ["partner_id"], ["__count"])
        counts = {partner.id: count for partner, count in sales}
        return [
            {
                partner.id: {"count": counts.get(partner.id, 0), "amount": amount, "first": first, "last": last}
                for partner, amount, first, last in totals
            }
        ]

    # ------------------------------------------------------------------
    # Recomputation
    # ------------------------------------------------------------------

    def _clever_recompute_customer_stats(self):
        """Recompute the card of these partners (their commercial partners); on an empty
        recordset, of every customer who ever bought (the nightly run), then the top customers."""
        everyone = not self
        partner_ids = None if everyone else set(self.commercial_partner_id.ids)
        channels = self._clever_purchase_stats_hook(partner_ids)
        # Figures per contact, folded into their commercial partner (a company and its people).
        contacts = self.sudo().browse(list({contact for channel in channels for contact in channel}))
        commercial = {p.id: p.commercial_partner_id.id for p in contacts.with_context(prefetch_fields=False)}
        merged = defaultdict(lambda: {"count": 0, "amount": 0.0, "first": False, "last": False})
        for channel in channels:
            for contact_id, values in channel.items():
                current = merged[commercial[contact_id]]
                current["count"] += values["count"]
                current["amount"] += values["amount"] or 0.0
                for key, pick in (("first", min), ("last", max)):
                    dates = [d for d in (current[key], values[key]) if d]
                    current[key] = pick(dates) if dates else False
        Partner = self.sudo().with_context(active_test=False, tracking_disable=True)
        if everyone:
            # Also those who had figures and no longer have any (e.g. all returned).
            targets = Partner.search([("clever_purchase_count", "!=", 0)]) | Partner.browse(list(merged))
        else:
            targets = Partner.browse(list(partner_ids))
        today = fields.Date.context_today(self)
        empty = {"count": 0, "amount": 0.0, "first": False, "last": False}
        for partner in targets.exists():
            values = merged.get(partner.id, empty)
            count, amount = values["count"], values["amount"]
            last = fields.Date.to_date(values["last"]) if values["last"] else False
            vals = {
                "clever_purchase_count": count,
                "clever_ltv": amount,
                "clever_avg_receipt": amount / count if count else 0.0,
                "clever_first_purchase_date": fields.Date.to_date(values["first"]) if values["first"] else False,
                "clever_last_purchase_date": last,
                "clever_segment": partner._clever_segment_for(count, last, today),
            }
            changed = {
                name: value
                for name, value in vals.items()
                if (partner[name] or False) != (value or False)
                and not (isinstance(value, float) and abs((partner[name] or 0.0) - value) < 0.005)
            }
            if changed:
                partner.write(changed)
        if everyone:
            self._clever_recompute_top_customers()
        return True

    def _clever_segment_for(self, count, last, today):
        if not count or not last:
            return False
        company = self.company_id or self.env.company
        if last < today - timedelta(days=company.clever_lapsed_days or 90):
            return "lapsed"
        return "regular" if count >= (company.clever_regular_purchases or 3) else "new"

    @api.model
    def _clever_recompute_top_customers(self):
        """Flag the customers with the highest lifetime value, as many as the shop setting says."""
        Partner = self.sudo().with_context(active_test=False, tracking_disable=True)
        size = self.env.company.clever_top_customer_count or 0
        top = Partner.search([("clever_ltv", ">", 0)], order="clever_ltv desc, id", limit=size) if size else Partner.browse()
        (Partner.search([("clever_top_customer", "=", True)]) - top).write({"clever_top_customer": False})
        top.filtered(lambda p: not p.clever_top_customer).write({"clever_top_customer": True})

    @api.model
    def _cron_clever_customer_stats(self):
        self.browse()._clever_recompute_customer_stats()
