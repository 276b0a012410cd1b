"""Kaspi Shop API v2 (marketplace orders): the client used by the Odoo models, and a local
simulator (``simulator.py``, imported only by tests and benches) to test it without Kaspi.

Pure Python: nothing here imports Odoo, so it is tested with plain pytest and can be reused by
scripts. Import it in Odoo code as ``from odoo.addons.clever_pos_kaspi.shop_api import ...``.
"""

from .client import (
    ALMATY,
    BASE_URL,
    CANCELLATION_REASONS,
    FINAL_STATUSES,
    STATES,
    STATUSES,
    Address,
    AuthError,
    Customer,
    Entry,
    KaspiError,
    KaspiRefusedError,
    KaspiShopClient,
    KaspiUnavailableError,
    MasterProduct,
    MerchantProduct,
    Order,
    OrderBatch,
    StatusChange,
    from_ms,
    normalize_phone,
    to_ms,
)

__all__ = [
    "ALMATY",
    "BASE_URL",
    "CANCELLATION_REASONS",
    "FINAL_STATUSES",
    "STATES",
    "STATUSES",
    "Address",
    "AuthError",
    "Customer",
    "Entry",
    "KaspiError",
    "KaspiRefusedError",
    "KaspiShopClient",
    "KaspiUnavailableError",
    "MasterProduct",
    "MerchantProduct",
    "Order",
    "OrderBatch",
    "StatusChange",
    "from_ms",
    "normalize_phone",
    "to_ms",
]
