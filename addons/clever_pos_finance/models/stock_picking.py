from odoo import fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    """Cash a courier collects on delivery is a customer payment into the courier's money account
    (kind "Courier's cash"); the courier hands it in at the shop with a transfer."""

    _inherit = "stock.picking"

    clever_payment_id = fields.Many2one("account.payment", string="Cash payment", readonly=True, copy=False)

    def _clever_after_delivered(self):
        result = super()._clever_after_delivered()
        for picking in self:
            currency = picking.clever_currency_id
            if currency.is_zero(picking.clever_cash_collected) or picking.clever_payment_id:
                continue
            picking._clever_book_cash_collected()
        return result

    def _clever_book_cash_collected(self):
        self.ensure_one()
        company = self.company_id
        courier = self.clever_courier_id
        if not courier:
            raise UserError(self.env._("%(delivery)s has no courier to hold the cash collected.", delivery=self.name))
        journal = courier._clever_courier_journal(company)
        partner = self.partner_id.commercial_partner_id
        memo = " ".join(filter(None, [self.name, self.origin and f"({self.origin})"]))
        payment = (
            self.env["account.payment"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": self.clever_cash_collected,
                    "date": fields.Date.context_today(self),
                    "journal_id": journal.id,
                    "memo": self.env._("Cash on delivery %(delivery)s", delivery=memo),
                    # The cash is in the courier's hands: straight onto the money account.
                    "outstanding_account_id": journal.default_account_id.id,
                }
            )
        )
        payment.action_post()
        self.sudo().clever_payment_id = payment
        if partner:
            credit_line = payment.move_id.line_ids.filtered(lambda line: line.account_id == payment.destination_account_id)
            # Settle the customer's open sales on account, oldest first (the order being delivered
            # was sold on the customer's account or invoiced).
            for debt_line in partner._clever_open_debt_lines(company).sorted(
                lambda line: (line.date_maturity or line.date, line.date, line.id)
            ):
                if credit_line.reconciled or credit_line.currency_id.is_zero(credit_line.amount_residual):
                    break
                (debt_line | credit_line).sudo().reconcile()
        return payment
