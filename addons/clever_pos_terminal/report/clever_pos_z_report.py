from odoo import api, models


class ReportCleverPosZ(models.AbstractModel):
    _name = "report.clever_pos_terminal.report_z"
    _description = "Z report of a shift"

    @api.model
    def _get_report_values(self, docids, data=None):
        sessions = self.env["pos.session"].browse(docids)
        sessions.check_access("read")
        return {
            "doc_ids": sessions.ids,
            "doc_model": "pos.session",
            "docs": sessions,
            "reports": {session.id: session._clever_z_report_data() for session in sessions},
            "fmt": lambda session, amount: session.currency_id.format(amount),
        }
