from odoo import api, fields, models
from odoo.exceptions import UserError

CLEVER_DOCUMENTS = [
    ("clever.finance.expense", "Expense"),
    ("clever.finance.transfer", "Transfer"),
    ("clever.finance.repayment", "Repayment"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    clever_document = fields.Reference(
        CLEVER_DOCUMENTS,
        string="Money document",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The shop's money document this entry books. It is corrected by reversing the document, never by editing the entry.",
    )

    def _check_draftable(self):
        booked = self.filtered("clever_document")
        if booked:
            raise UserError(
                self.env._(
                    "%(entry)s books %(document)s: reverse the document instead of changing its entry.",
                    entry=booked[0].display_name,
                    document=booked[0].clever_document.display_name,
                )
            )
        return super()._check_draftable()

    @api.ondelete(at_uninstall=False)
    def _unlink_never_clever_documents(self):
        booked = self.filtered("clever_document")
        if booked:
            raise UserError(
                self.env._(
                    "%(entry)s books %(document)s: reverse the document instead of changing its entry.",
                    entry=booked[0].display_name,
                    document=booked[0].clever_document.display_name,
                )
            )
