"""FiscalQueue: send pending fiscal operations in order, never twice.

Why: when the shop's internet or the provider is down, sales go on but no fiscal receipt exists
until the provider answers (spec 7: never print a fake fiscal sign). Every operation is therefore
stored with its external number BEFORE any send, then sent by this queue in creation order:

* the oldest pending operation first, so a new receipt never overtakes an older one (a return must
  follow its sale, a cash-out the cash it takes, a Z the shift's receipts);
* the first "cashbox-level" failure (provider unreachable, wrong settings, blocked cashbox) stops
  the drain and keeps the operation pending with its number: the next drain resends the same
  number, and the provider answers "duplicate" with the original data if the first try got
  through, so nothing is ever fiscalised twice;
* an "operation-level" rejection (invalid data, not enough cash) marks that operation failed for
  a manager to look at, and the drain goes on.

Storage is a callback object, so the Odoo side can back it with its fiscal operation model (rows
locked with SELECT ... FOR UPDATE SKIP LOCKED by the cron); MemoryQueueStorage serves tests and the
benchmark.
"""

import enum
import itertools
import logging
import threading
from dataclasses import dataclass, field

from .provider import FiscalError, FiscalUnreachableError

_logger = logging.getLogger(__name__)


class OperationKind(str, enum.Enum):
    RECEIPT = "receipt"
    MONEY = "money"
    Z_REPORT = "z_report"


class OperationState(str, enum.Enum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass
class QueuedOperation:
    """One fiscal write and its outcome. ``sequence`` orders the queue; ``external_number`` is the
    idempotency key stored before the first send."""

    sequence: int
    kind: OperationKind
    external_number: str
    payload: object = None  # Receipt, MoneyOperation, or None for a Z report
    state: OperationState = OperationState.PENDING
    attempts: int = 0
    result: object = None
    error_code: str | None = None
    error_message: str | None = None


@dataclass
class DrainReport:
    sent: list = field(default_factory=list)  # operations done in this drain, in order
    failed: list = field(default_factory=list)  # operations rejected in this drain
    stopped_by: FiscalError | None = None  # the cashbox-level error that stopped the drain
    busy: bool = False  # another drain of this queue was running
    remaining: int = 0  # pending operations left

    @property
    def duplicates(self):
        """Operations the provider already had (a previous try got through): not doubled."""
        return [op for op in self.sent if getattr(op.result, "duplicate", False)]


class QueueStorage:
    """Interface of the queue's persistence (override every method)."""

    def add(self, operation):
        """Persist a new pending operation (called before any send)."""
        raise NotImplementedError

    def next_pending(self):
        """The pending operation with the lowest sequence, or None."""
        raise NotImplementedError

    def save(self, operation):
        """Persist the operation's new state, attempts, result or error."""
        raise NotImplementedError

    def find(self, external_number):
        """The operation with this external number, or None."""
        raise NotImplementedError

    def count_pending(self):
        raise NotImplementedError

    def next_sequence(self):
        raise NotImplementedError


class MemoryQueueStorage(QueueStorage):
    def __init__(self):
        self.operations = []  # in sequence order: add() is called with increasing sequences
        self._counter = itertools.count(1)
        self._head = 0  # operations before this index are done or failed (never pending again)

    def add(self, operation):
        self.operations.append(operation)

    def next_pending(self):
        while self._head < len(self.operations) and self.operations[self._head].state != OperationState.PENDING:
            self._head += 1
        return self.operations[self._head] if self._head < len(self.operations) else None

    def save(self, operation):
        pass  # the objects are the storage

    def find(self, external_number):
        return next((op for op in self.operations if op.external_number == external_number), None)

    def count_pending(self):
        return sum(1 for op in self.operations if op.state == OperationState.PENDING)

    def next_sequence(self):
        return next(self._counter)


class FiscalQueue:
    """Ordered, idempotent sending of fiscal operations through a FiscalProvider."""

    def __init__(self, provider, storage=None):
        self.provider = provider
        self.storage = storage or MemoryQueueStorage()
        self._drain_lock = threading.Lock()

    def enqueue(self, kind, external_number, payload=None):
        """Store a new pending operation (its number is fixed from now on) and return it.

        Idempotent: an external number already queued returns the existing operation, so a till
        that submits the same order twice does not create a second fiscal operation."""
        existing = self.storage.find(external_number)
        if existing is not None:
            return existing
        operation = QueuedOperation(
            sequence=self.storage.next_sequence(),
            kind=OperationKind(kind),
            external_number=external_number,
            payload=payload,
        )
        self.storage.add(operation)
        return operation

    def submit(self, kind, external_number, payload=None):
        """The live path of the till: enqueue, then drain up to and including this operation.

        Returns the operation: DONE with its result, FAILED with its error, or still PENDING when
        the provider is unreachable (the cron drains it later)."""
        operation = self.enqueue(kind, external_number, payload)
        if operation.state == OperationState.PENDING:
            self.drain(until=operation)
        return operation

    def drain(self, max_operations=None, until=None):
        """Send pending operations oldest first; stop at the first cashbox-level failure."""
        report = DrainReport()
        if not self._drain_lock.acquire(blocking=False):
            report.busy = True
            report.remaining = self.storage.count_pending()
            return report
        try:
            while max_operations is None or len(report.sent) + len(report.failed) < max_operations:
                operation = self.storage.next_pending()
                if operation is None:
                    break
                if not self._send(operation, report):
                    break
                if until is not None and operation is until:
                    break
        finally:
            self._drain_lock.release()
        report.remaining = self.storage.count_pending()
        return report

    def _send(self, operation, report):
        """Send one operation and record the outcome. False when the drain must stop."""
        operation.attempts += 1
        try:
            result = self._call(operation)
        except FiscalError as error:
            operation.error_code = error.code
            operation.error_message = error.message
            if error.blocks_queue:
                self.storage.save(operation)  # stays pending with the same external number
                report.stopped_by = error
                # Unreachable is the expected state while offline (one line per sale): INFO.
                # Settings or a blocked cashbox need someone: WARNING.
                _logger.log(
                    logging.INFO if isinstance(error, FiscalUnreachableError) else logging.WARNING,
                    "Fiscal queue stopped at %s (%s): %s",
                    operation.external_number,
                    operation.kind.value,
                    error.code,
                )
                return False
            operation.state = OperationState.FAILED
            self.storage.save(operation)
            report.failed.append(operation)
            _logger.warning("Fiscal operation %s rejected: %s %s", operation.external_number, error.code, error.message)
            return True
        operation.state = OperationState.DONE
        operation.result = result
        operation.error_code = operation.error_message = None
        self.storage.save(operation)
        report.sent.append(operation)
        return True

    def _call(self, operation):
        if operation.kind == OperationKind.RECEIPT:
            return self.provider.send_receipt(operation.payload)
        if operation.kind == OperationKind.MONEY:
            return self.provider.money_operation(operation.payload)
        return self.provider.z_report(operation.external_number)
