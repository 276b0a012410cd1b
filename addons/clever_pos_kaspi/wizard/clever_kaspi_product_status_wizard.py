from markupsafe import Markup, escape

from odoo import fields, models

from ..tools.feed_rows import KaspiOfferReader


class CleverKaspiProductStatusWizard(models.TransientModel):
    """"Why is this product not on Kaspi?": per store and variant, whether it is published and,
    when it is not, every reason."""

    _name = "clever.kaspi.product.status.wizard"
    _description = "Kaspi status of a product"

    product_tmpl_id = fields.Many2one("product.template", string="Product", required=True, ondelete="cascade")
    explanation = fields.Html(compute="_compute_explanation", sanitize=False)

    def _compute_explanation(self):
        for wizard in self:
            wizard.explanation = wizard._explain()

    def _explain(self):
        self.ensure_one()
        template = self.product_tmpl_id
        Offer = self.env["clever.kaspi.offer"]
        labels = Offer._reason_labels()
        stores = self.env["clever.kaspi.store"].search(
            [("company_id", "in", (template.company_id or self.env.companies).ids)]
        )
        variants = template.with_context(active_test=False).product_variant_ids
        self.env.flush_all()
        lines = []
        for store in stores:
            offers = Offer.search([("store_id", "=", store.id), ("product_id", "in", variants.ids)])
            rows = {row.id: row for row in KaspiOfferReader(store.sudo()).rows(states=None, offer_ids=offers.ids)}
            by_product = {offer.product_id: offer for offer in offers}
            for variant in variants:
                name = store.display_name if len(variants) == 1 else f"{store.display_name} · {variant.display_name}"
                offer = by_product.get(variant)
                row = rows.get(offer.id) if offer else None
                if not offer:
                    text = self.env._(
                        "not on Kaspi: the product has no offer in this store yet. Run the store's sync, then "
                        "restore it from the trash."
                    )
                elif offer.state == "trash":
                    text = self.env._(
                        "not on Kaspi: the offer is in the trash (%(reason)s). Restore it to publish it.",
                        reason=dict(offer._fields["trash_reason"]._description_selection(self.env)).get(
                            offer.trash_reason, ""
                        ),
                    )
                    if row and row.reasons:
                        text += " " + self.env._(
                            "Once restored it still needs: %(reasons)s.",
                            reasons="; ".join(labels[r] for r in row.reasons),
                        )
                elif row and row.reasons:
                    text = self.env._(
                        "not on Kaspi: %(reasons)s.", reasons="; ".join(labels[r] for r in row.reasons)
                    )
                elif not (store.merchant_id and store.city_ids and store.feed_enabled):
                    text = self.env._(
                        "ready, but the store publishes no feed yet: it needs a merchant id, a city and publishing on."
                    )
                elif offer.in_feed:
                    text = self.env._("on Kaspi: published in the store's feeds.")
                else:
                    text = self.env._("ready: it goes into the feeds at Kaspi's next download.")
                lines.append(Markup("<li><b>%s</b>: %s</li>") % (name, text))
        if not lines:
            return Markup("<p>%s</p>") % escape(self.env._("The company has no Kaspi store."))
        return Markup("<ul>%s</ul>") % Markup().join(lines)
