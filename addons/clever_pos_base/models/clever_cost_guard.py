from odoo import models


class CleverCostGuard(models.AbstractModel):
    """Hides purchase prices, costs and margins from cashiers and couriers.

    Odoo shows costs to every internal user (their fields carry groups="base.group_user"), and a
    cashier is an internal user. Field groups cannot say "everyone but a cashier who is not also a
    store keeper, accountant or manager", so the models that carry such fields inherit this mixin
    and list them in _clever_cost_fields (each with groups set); reading them then raises
    AccessError for those users, as any field reserved to a group does. Users without a Clever POS
    role are not affected.
    """

    _name = "clever.cost.guard"
    _description = "Clever POS: costs hidden from cashiers and couriers"

    _clever_cost_fields = ()

    def _has_field_access(self, field, operation):
        # Called on every field read of these models (the POS loads thousands of products): the
        # common case returns at once, as Odoo's own implementation does, without a super() call.
        # Reading is what shows a cost; writes of these fields are Odoo's own bookkeeping (the
        # cost of a sold line) or already refused by the model's access rights (product costs).
        if not field.groups or self.env.su:
            return True
        if operation == "read" and field.name in self._clever_cost_fields and self.env.user._clever_hides_cost():
            return False
        return super()._has_field_access(field, operation)
