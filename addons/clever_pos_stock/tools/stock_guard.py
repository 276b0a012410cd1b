"""Who may change stock quantities outside the normal flows (receipts, deliveries, POS sales).

Quantities change by hand only through a stock adjustment document. Odoo's own inventory mode
(Physical Inventory "Apply", the on-hand field of a product, editing a done move line, scrapping)
stays open to administrators and to server code running as superuser; for everybody else it is
refused, unless the call comes from our adjustment document. That document marks its own calls
with a context value that cannot travel over RPC: a Python object, not JSON.
"""

from odoo.exceptions import AccessError

ADMIN_GROUP = "clever_pos_base.group_clever_admin"
CONTEXT_KEY = "clever_stock_guard"


class _Pass:
    __slots__ = ()

    def __repr__(self):
        return "<clever stock pass>"


# The one object that opens the guard; only this module's code hands it out.
STOCK_PASS = _Pass()


def with_pass(records):
    """`records` with the guard opened, for server code of Clever POS only."""
    return records.with_context(**{CONTEXT_KEY: STOCK_PASS})


def has_pass(env):
    return env.context.get(CONTEXT_KEY) is STOCK_PASS


def may_change_stock(env):
    """Whether this environment may change quantities outside the normal flows."""
    return env.su or has_pass(env) or env.user.has_group(ADMIN_GROUP)


def check_may_change_stock(env):
    if not may_change_stock(env):
        raise AccessError(
            env._(
                "Stock quantities are changed only through a stock adjustment document "
                "(Clever POS ‣ Stock ‣ Adjustments), so that every change has a reason and, "
                "over the limit, a manager's approval."
            )
        )
