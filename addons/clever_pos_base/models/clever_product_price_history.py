from odoo import api, fields, models
from odoo.exceptions import UserError

PRICE_SOURCES = [
    ("manual", "Manual edit"),
    ("bulk", "Bulk change"),
    ("receiving", "Receiving"),
    ("other", "Other"),
]


class CleverProductPriceHistory(models.Model):
    """One change of a product's sale price: written by product.template.write, never edited or deleted."""

    _name = "clever.product.price.history"
    _description = "Sale price history"
    _order = "date desc, id desc"
    _rec_name = "product_tmpl_id"

    product_tmpl_id = fields.Many2one(
        "product.template", string="Product", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="product_tmpl_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="product_tmpl_id.currency_id")
    old_price = fields.Monetary(string="Old price", readonly=True)
    new_price = fields.Monetary(string="New price", readonly=True)
    user_id = fields.Many2one("res.users", string="Changed by", readonly=True, default=lambda self: self.env.user)
    date = fields.Datetime(string="Changed on", readonly=True, default=fields.Datetime.now, index=True)
    source = fields.Selection(PRICE_SOURCES, string="Source", required=True, default="manual", readonly=True)
    origin = fields.Char(string="Document", readonly=True, help="The receiving or bulk change that set the price.")
    origin_model = fields.Char(string="Document model", readonly=True)
    origin_res_id = fields.Integer(string="Document ID", readonly=True)

    def write(self, vals):
        # History is not edited; only the ORM's own recomputations may touch it.
        vals = {k: v for k, v in vals.items() if k == "company_id"}
        return super().write(vals) if vals else True

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The price history is never deleted."))

    @api.model
    def _last_decrease(self, templates, since):
        """{template id: the price before its latest decrease}, for decreases after ``since``
        when the price has not gone back up since then (the tag shows it crossed out)."""
        result = {}
        if not templates:
            return result
        lines = self.search(
            [("product_tmpl_id", "in", templates.ids), ("date", ">=", since)], order="date desc, id desc"
        )
        seen = set()
        for line in lines:
            tmpl_id = line.product_tmpl_id.id
            if tmpl_id in seen:
                continue
            seen.add(tmpl_id)
            if line.new_price < line.old_price and line.new_price == line.product_tmpl_id.list_price:
                result[tmpl_id] = line.old_price
        return result
