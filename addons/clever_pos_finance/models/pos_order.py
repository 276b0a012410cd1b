from odoo import api, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    @api.model
    def _process_order(self, order, existing_order):
        """A sale on the customer's account may not take the customer over the credit limit
        (checked by the server whatever the till says)."""
        if order.get("state") != "draft" and order.get("partner_id") and not (existing_order and existing_order.state != "draft"):
            self._clever_check_debt_sale(order)
        return super()._process_order(order, existing_order)

    @api.model
    def _clever_check_debt_sale(self, order):
        method_ids = [
            cmd[2]["payment_method_id"]
            for cmd in order.get("payment_ids") or []
            if isinstance(cmd, (list, tuple)) and len(cmd) > 2 and isinstance(cmd[2], dict) and cmd[2].get("payment_method_id")
        ]
        if not method_ids:
            return
        pay_later = self.env["pos.payment.method"].browse(method_ids).filtered(lambda m: m.type == "pay_later")
        amount = sum(
            cmd[2].get("amount") or 0.0
            for cmd in order["payment_ids"]
            if isinstance(cmd, (list, tuple)) and len(cmd) > 2 and isinstance(cmd[2], dict) and cmd[2].get("payment_method_id") in pay_later.ids
        )
        if amount <= 0:
            return
        session = self.env["pos.session"].browse(order.get("session_id"))
        config = session.config_id
        if "clever_till" in config._fields and config.clever_till:
            # On a Clever till (clever_pos_terminal) a debt over the limit is not refused outright:
            # it waits for a manager's approval, which that module checks.
            return
        company = session.company_id or self.env.company
        partner = self.env["res.partner"].browse(order["partner_id"]).exists()
        if partner:
            partner.sudo()._clever_check_credit_limit(amount + partner.sudo()._clever_unbooked_pos_debt(company), company)
