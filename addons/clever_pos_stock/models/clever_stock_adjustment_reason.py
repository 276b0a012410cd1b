from odoo import api, fields, models
from odoo.exceptions import UserError


class CleverStockAdjustmentReason(models.Model):
    """Why a stock quantity was changed: the list a store keeper picks from on an adjustment."""

    _name = "clever.stock.adjustment.reason"
    _description = "Stock adjustment reason"
    _order = "sequence, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical key, used by reports and by the count sheets.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    direction = fields.Selection(
        [("both", "Up or down"), ("in", "Stock goes up"), ("out", "Stock goes down")],
        default="both",
        required=True,
        help="Which way the quantity may change with this reason; checked when the adjustment is applied.",
    )
    comment_required = fields.Boolean(string="Needs a comment")
    description = fields.Text(translate=True)

    _code_unique = models.Constraint("UNIQUE(code)", "Each reason has its own code.")

    @api.ondelete(at_uninstall=False)
    def _unlink_if_unused(self):
        used = self.env["stock.move"].sudo().search_count([("clever_reason_id", "in", self.ids)], limit=1)
        if used:
            raise UserError(self.env._("A reason used by stock moves cannot be deleted; archive it instead."))
