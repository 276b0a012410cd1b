from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    clever_courier_journal_id = fields.Many2one(
        "account.journal",
        string="Courier's cash account",
        company_dependent=True,
        domain="[('type', '=', 'cash'), ('clever_money_kind', '=', 'courier'), ('company_id', '=', current_company_id)]",
        help="The money account where the cash this courier collects from customers lands, until it is "
        "handed in at the shop with a transfer.",
    )

    def _clever_courier_journal(self, company):
        """The courier's money account in `company` (set per company); created for them on the
        first cash they collect there when none is set (kind "Courier's cash")."""
        self.ensure_one()
        user = self.sudo().with_company(company)
        journal = user.clever_courier_journal_id
        if journal and journal.company_id == company:
            return journal
        Journal = self.env["account.journal"].sudo().with_company(company)
        codes = set(Journal.search([("company_id", "=", company.id)]).mapped("code"))
        code = next(f"CR{number}" for number in range(1, 1000) if f"CR{number}" not in codes)
        journal = Journal.create(
            {
                "name": self.env._("Courier's cash: %(courier)s", courier=self.name),
                "code": code,
                "type": "cash",
                "clever_money_kind": "courier",
                "company_id": company.id,
            }
        )
        user.clever_courier_journal_id = journal
        return journal
