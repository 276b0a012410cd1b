from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    clever_debt_term_days = fields.Integer(
        string="Debt term (days)",
        default=30,
        help="A sale on the customer's account falls due this many days after the sale; after that it is overdue.",
    )
