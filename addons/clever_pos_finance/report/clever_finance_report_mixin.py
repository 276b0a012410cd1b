from odoo import api, models


class CleverFinanceReportMixin(models.AbstractModel):
    """What the SQL-view reports share: they read other models' tables, so pending changes of
    the transaction are written before they are searched or grouped (the ORM only flushes the
    fields of the model it searches)."""

    _name = "clever.finance.report.mixin"
    _description = "Clever POS report on an SQL view"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        self.env.flush_all()
        return super()._search(domain, offset=offset, limit=limit, order=order, **kwargs)
