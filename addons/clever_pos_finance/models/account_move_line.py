from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    clever_pos_order_id = fields.Many2one(
        "pos.order",
        string="POS sale",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The sale on the customer's account this debt comes from.",
    )
    clever_debt_reminded = fields.Boolean(
        string="Debt reminder sent", readonly=True, copy=False, help="An overdue reminder was scheduled for this debt."
    )
