from odoo import api, fields, models


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    # What a line of a till's cash journal is, for the shift's list and its Z report.
    clever_pos_move_type = fields.Selection(
        [("in", "Cash in"), ("out", "Cash out"), ("difference", "Counting difference")],
        string="Till cash move",
        readonly=True,
        index="btree_not_null",
    )
    clever_note = fields.Text(string="Till note", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        move_type = self.env.context.get("clever_cash_move_type")
        if move_type:
            for vals in vals_list:
                if vals.get("pos_session_id"):
                    vals.setdefault("clever_pos_move_type", move_type)
        return super().create(vals_list)
