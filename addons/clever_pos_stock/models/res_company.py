from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    clever_warehouse_shift_required = fields.Boolean(
        string="Store keepers work in a shift",
        default=True,
        help="A store keeper must open a warehouse shift before validating receivings, counts, "
        "adjustments and transfers, so every document shows whose shift it was.",
    )
