"""Helpers of the Webkassa tests (a module with its own name: test modules import it).

The fiscal package lives in addons/clever_pos_terminal/fiscal and imports no Odoo, so the tests put
that addon folder on sys.path and import ``fiscal`` directly."""

import os
import sys
import uuid
from decimal import Decimal

TERMINAL_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "addons", "clever_pos_terminal"))
if TERMINAL_DIR not in sys.path:
    sys.path.insert(0, TERMINAL_DIR)

from fiscal import (
    Payment,
    PaymentKind,
    Receipt,
    ReceiptLine,
    ReceiptOperation,
    TokenCache,
    WebkassaClient,
    WebkassaConfig,
)
from fiscal.webkassa_simulator import USERS, WebkassaSimulator  # noqa: F401 (for conftest)

LOGIN = "cashier@clever.kz"
PASSWORD = USERS[LOGIN]["password"]
API_KEY = "test-api-key"
CASHBOX = "SWK00000001"
D = Decimal


def new_number():
    """An external number as the Odoo side would mint it (UUID v4), once per operation."""
    return str(uuid.uuid4())


def make_config(sim, **overrides):
    values = {
        "base_url": sim.url,
        "api_key": API_KEY,
        "login": LOGIN,
        "password": PASSWORD,
        "cashbox_unique_number": CASHBOX,
        "connect_timeout": 1.0,
        "read_timeout": 0.5,
        "retry_backoff": 0.01,
    }
    values.update(overrides)
    return WebkassaConfig(**values)


def make_client(sim, tokens=None, clock=None, **overrides):
    return WebkassaClient(make_config(sim, **overrides), token_cache=tokens or TokenCache(), clock=clock or sim.now)


def line(name="Вода 1 л", quantity=1, price=500, **kwargs):
    return ReceiptLine(name=name, quantity=D(str(quantity)), price=D(str(price)), **kwargs)


def sale(*lines, payments=None, number=None, operation=ReceiptOperation.SALE, **kwargs):
    """A receipt; by default one 500 tenge line paid in cash."""
    lines = lines or (line(),)
    if payments is None:
        payments = (Payment(PaymentKind.CASH, sum((D(str(item.price)) * item.quantity for item in lines), D(0))),)
    return Receipt(
        external_number=number or new_number(),
        operation=operation,
        lines=tuple(lines),
        payments=tuple(payments),
        **kwargs,
    )


def pay(kind, amount):
    return Payment(PaymentKind(kind), D(str(amount)))
