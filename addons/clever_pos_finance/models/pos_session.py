from datetime import timedelta

from odoo import models


class PosSession(models.Model):
    _inherit = "pos.session"

    def _get_split_receivable_vals(self, payment, amount, amount_converted):
        """A customer's receivable line of the shift names the sale it comes from; a sale on the
        customer's account falls due after the company's debt term."""
        vals = super()._get_split_receivable_vals(payment, amount, amount_converted)
        order = payment.pos_order_id
        if order:
            vals["clever_pos_order_id"] = order.id
            vals["name"] = "%s - %s" % (vals.get("name") or self.name, order.pos_reference or order.name)
        if payment.payment_method_id.type == "pay_later":
            moment = order.date_order or self.stop_at or self.start_at
            if moment:
                vals["date_maturity"] = moment.date() + timedelta(days=self.company_id.clever_debt_term_days or 0)
        return vals
