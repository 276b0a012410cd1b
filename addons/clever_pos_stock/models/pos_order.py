from odoo import models


class PosOrder(models.Model):
    _inherit = "pos.order"

    def _create_order_picking(self):
        res = super()._create_order_picking()
        if self.shipping_date:
            self._clever_make_courier_delivery()
        return res

    def _clever_make_courier_delivery(self):
        """A till sale shipped later goes to the customer with the shop's courier: its outgoing
        transfer becomes a delivery with the customer's address and phone. What the customer did
        not pay at the till (the "customer account" method, paid later) is what the courier collects."""
        self.ensure_one()
        pickings = self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel") and not p.clever_is_delivery
        )
        if not pickings:
            return
        partner = self.partner_id
        on_account = self.payment_ids.filtered(lambda p: p.payment_method_id.type == "pay_later")
        pickings.sudo().write(
            {
                "clever_is_delivery": True,
                "clever_delivery_address": partner._display_address(without_company=True).strip() or partner.name,
                "clever_delivery_phone": partner.phone,
                "clever_amount_to_collect": self.currency_id.round(sum(on_account.mapped("amount"))),
            }
        )
