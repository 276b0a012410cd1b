from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class CleverFinanceExpenseCategory(models.Model):
    """What an expense is for (rent, delivery, salary...): an editable list, each with the
    expense account its entries go to. The account is chosen per company; without one, the
    account with the category's default code in the company's chart is used (the Kazakh chart's
    codes for the default list), then the company's default expense account."""

    _name = "clever.finance.expense.category"
    _description = "Expense category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    account_id = fields.Many2one(
        "account.account",
        string="Expense account",
        company_dependent=True,
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost', 'expense_depreciation'))]",
        help="Account of this company that the category's expenses are booked to.",
    )
    account_code = fields.Char(
        string="Default account code",
        help="Used when no account is set for the company: the account with this code in its chart.",
    )
    description = fields.Text(translate=True)

    def _get_account(self, company):
        """The expense account of this category in `company` (raises if there is none)."""
        self.ensure_one()
        Account = self.env["account.account"].sudo().with_company(company)
        account = self.with_company(company).sudo().account_id
        if not account and self.account_code:
            account = Account.search(
                Domain.AND([Account._check_company_domain(company), [("code", "=", self.account_code)]]), limit=1
            )
        if not account:
            account = company.sudo().expense_account_id
        if not account:
            raise UserError(
                self.env._(
                    "Set an expense account for the category %(category)s in %(company)s.",
                    category=self.name,
                    company=company.name,
                )
            )
        return account
