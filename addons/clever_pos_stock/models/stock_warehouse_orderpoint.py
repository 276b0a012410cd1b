from odoo import Command, api, fields, models


def _number(value):
    return f"{value:.3f}".rstrip("0").rstrip(".")


class StockWarehouseOrderpoint(models.Model):
    """Odoo's minimum stock rule is the shop's minimum. When the stock on hand falls below it,
    the managers are told once (an activity on the product), and the rule shows in the
    "To reorder" list until the stock is back above."""

    _inherit = "stock.warehouse.orderpoint"

    clever_below_min = fields.Boolean(string="Below minimum", readonly=True, copy=False, index=True)
    clever_notified = fields.Boolean(string="Managers told", readonly=True, copy=False)
    clever_activity_ids = fields.Many2many("mail.activity", string="Reorder activities", readonly=True, copy=False)
    clever_below_since = fields.Datetime(string="Below since", readonly=True, copy=False)

    @api.model
    def _clever_check_products(self, products, company):
        """Re-check the minimums of `products` in `company` (after stock moves)."""
        if not products:
            return
        orderpoints = self.search([("product_id", "in", products.ids), ("company_id", "=", company.id)])
        orderpoints._clever_check()

    @api.model
    def _cron_clever_check_minimums(self):
        orderpoints = self.search([("product_min_qty", ">", 0)], order="id", limit=5000)
        orderpoints._clever_check()

    def _clever_on_hand(self):
        """Stock on hand at the rule's location (and below), in the product's unit."""
        self.ensure_one()
        return self.product_id.with_company(self.company_id).with_context(location=self.location_id.id).qty_available

    def _clever_check(self):
        for orderpoint in self:
            on_hand = orderpoint._clever_on_hand()
            below = orderpoint.product_id.uom_id.compare(on_hand, orderpoint.product_min_qty) < 0 and orderpoint.product_min_qty > 0
            if below and not orderpoint.clever_notified:
                orderpoint._clever_notify(on_hand)
            elif not below and (orderpoint.clever_notified or orderpoint.clever_below_min):
                orderpoint._clever_reset()

    def _clever_managers(self):
        self.ensure_one()
        group = self.env.ref("clever_pos_base.group_clever_manager")
        return group.sudo().all_user_ids.filtered(lambda u: self.company_id in u.company_ids and u.active and not u.share).sorted("id")

    def _clever_notify(self, on_hand):
        self.ensure_one()
        managers = self._clever_managers()
        template = self.product_id.product_tmpl_id.sudo()
        summary = self.env._(
            "Below minimum: %(product)s, %(qty)s left (minimum %(min)s)",
            product=self.product_id.display_name,
            qty=_number(on_hand),
            min=_number(self.product_min_qty),
        )
        activities = self.env["mail.activity"]
        for manager in managers:
            activities |= template.activity_schedule(
                "clever_pos_stock.mail_activity_type_clever_reorder",
                summary=summary,
                note=self.env._("Check the \"To reorder\" list and order from the supplier."),
                user_id=manager.id,
            )
        if managers:
            template.message_notify(
                partner_ids=managers.partner_id.ids,
                body=summary,
                subject=self.env._("Stock below minimum"),
            )
        self.sudo().write(
            {
                "clever_below_min": True,
                "clever_notified": True,
                "clever_activity_ids": [Command.set(activities.ids)],
                "clever_below_since": fields.Datetime.now(),
            }
        )

    def _clever_reset(self):
        self.ensure_one()
        activities = self.clever_activity_ids.sudo().exists()
        if activities:
            activities.action_feedback(feedback=self.env._("Stock is back above the minimum."))
        self.sudo().write({"clever_below_min": False, "clever_notified": False, "clever_activity_ids": [Command.clear()], "clever_below_since": False})

    def action_clever_create_purchase(self):
        """Turn the chosen rules into draft purchases (Odoo's own replenishment)."""
        return self.action_replenish()
