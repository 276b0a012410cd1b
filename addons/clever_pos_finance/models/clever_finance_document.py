from odoo import api, fields, models
from odoo.exceptions import UserError


class CleverFinanceDocument(models.AbstractModel):
    """What the money documents (expense, transfer, repayment) share: a number from a sequence,
    a company, a state, and the rule that a posted document is never edited or deleted. A mistake
    is corrected by a reversing document."""

    _name = "clever.finance.document"
    _description = "Clever POS money document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _check_company_auto = True
    _order = "date desc, id desc"

    # Sequence code of the concrete model.
    _clever_sequence_code = None
    # States in which the document may still be edited.
    _clever_editable_states = ("draft",)
    # Fields that the document's own actions change after posting.
    _clever_posted_fields = frozenset()

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Entered by", default=lambda self: self.env.user, readonly=True, copy=False
    )
    posted_by_id = fields.Many2one("res.users", string="Posted by", readonly=True, copy=False)
    posted_at = fields.Datetime(readonly=True, copy=False)
    note = fields.Text()

    # Always writable: chatter, followers, activities and the attachments' cover.
    _clever_always_writable = frozenset(
        {
            "message_main_attachment_id",
            "message_follower_ids",
            "message_ids",
            "activity_ids",
            "website_message_ids",
        }
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/" and self._clever_sequence_code:
                vals["name"] = self.env["ir.sequence"].next_by_code(self._clever_sequence_code) or "/"
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get("clever_finance_posting"):
            locked = self.filtered(lambda doc: doc.state not in self._clever_editable_states)
            changed = set(vals) - self._clever_always_writable - set(self._clever_posted_fields)
            if locked and changed:
                raise UserError(
                    self.env._(
                        "%(document)s is posted and cannot be changed. Correct it with a reversing document.",
                        document=", ".join(locked.mapped("display_name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(doc.state != "draft" for doc in self):
            raise UserError(self.env._("Money documents are history: cancel or reverse them instead of deleting."))

    def _clever_posting(self):
        """Self with the right to change the posted fields, and the accounting in sudo: the
        document's own access rights (checked here) decide who may post, not the user's rights on
        the accounting models."""
        self.check_access("write")
        return self.with_context(clever_finance_posting=True)

    def _clever_mark_posted(self, vals):
        vals.update({"posted_by_id": self.env.uid, "posted_at": fields.Datetime.now()})
        self.with_context(clever_finance_posting=True).write(vals)
