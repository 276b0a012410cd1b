"""Fiscal receipts through a cloud cash register (issue 14): pure Python, no Odoo import.

* provider.py       FiscalProvider interface, payload/result dataclasses, FiscalError classes
* webkassa_client.py  the Webkassa implementation (token cache, idempotent resends, retry matrix)
* queue.py          FiscalQueue: ordered, never-doubled draining of pending operations
* webkassa_simulator.py  local Webkassa for tests and demos (not imported here on purpose)
"""

from .provider import (
    DEFAULT_VAT_PERCENT,
    FiscalBlockedError,
    FiscalBusyError,
    FiscalConfigError,
    FiscalError,
    FiscalNotFoundError,
    FiscalProvider,
    FiscalProviderError,
    FiscalRejectedError,
    FiscalUnreachableError,
    FiscalValidationError,
    ModifierKind,
    MoneyOperation,
    MoneyOperationKind,
    MoneyOperationResult,
    Payment,
    PaymentKind,
    PrintLine,
    Receipt,
    ReceiptLine,
    ReceiptModifier,
    ReceiptOperation,
    ReceiptResult,
    ReturnBasis,
    ShiftReport,
    ShiftState,
)
from .queue import (
    DrainReport,
    FiscalQueue,
    MemoryQueueStorage,
    OperationKind,
    OperationState,
    QueuedOperation,
    QueueStorage,
)
from .webkassa_client import (
    LOCAL_ERRORS,
    PRODUCTION_URL,
    PROVIDER_ERRORS,
    SHARED_TOKENS,
    TEST_URL,
    TokenCache,
    WebkassaClient,
    WebkassaConfig,
)
