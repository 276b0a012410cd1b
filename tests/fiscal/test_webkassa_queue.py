"""FiscalQueue: sales made while Webkassa is unreachable get their receipts later, in order, once."""

import threading

from fiscal import (
    FiscalQueue,
    MemoryQueueStorage,
    MoneyOperation,
    MoneyOperationKind,
    OperationKind,
    OperationState,
)
from webkassa_testkit import CASHBOX, PASSWORD, D, line, make_client, new_number, pay, sale


def queued_numbers(storage):
    return [op.external_number for op in storage.operations]


def test_provider_down_then_back_drains_in_order_and_doubles_nothing(sim, client_factory):
    queue = FiscalQueue(client_factory(transport_retries=0))
    first = queue.submit(OperationKind.RECEIPT, (receipt := sale()).external_number, receipt)
    assert first.state == OperationState.DONE

    sim.stop()  # the shop loses Webkassa
    submitted = []
    for index in range(6):
        receipt = sale(line(f"Товар {index}", 1, 100 * (index + 1)))
        submitted.append(queue.submit(OperationKind.RECEIPT, receipt.external_number, receipt))
    deposit = MoneyOperation(new_number(), MoneyOperationKind.DEPOSIT, D(1000))
    submitted.append(queue.submit(OperationKind.MONEY, deposit.external_number, deposit))
    assert all(op.state == OperationState.PENDING for op in submitted)
    assert submitted[0].attempts == 7 and submitted[1].attempts == 0  # the oldest is tried first, alone

    sim.start()
    # The answer to the 3rd pending receipt is lost after Webkassa accepted it: the drain stops there.
    sim.add_fault("slow", route="check", times=2, delay=0)  # the first two go through normally
    sim.add_fault("timeout_after_commit", route="check", delay=1.0)
    report = queue.drain()
    assert [op.external_number for op in report.sent] == [op.external_number for op in submitted[:2]]
    assert report.stopped_by.code == "fiscal_unreachable" and report.remaining == 5

    report = queue.drain()
    assert report.stopped_by is None and report.remaining == 0
    assert [op.external_number for op in report.sent] == [op.external_number for op in submitted[2:]]
    assert [op.external_number for op in report.duplicates] == [submitted[2].external_number]

    box = sim.summary()["Cashboxes"][CASHBOX]
    assert box["ExternalNumbers"] == queued_numbers(queue.storage)  # Webkassa's order = the till's order
    assert box["DuplicateExternalNumbers"] == [] and box["Receipts"] == 7
    assert all(op.state == OperationState.DONE for op in queue.storage.operations)
    assert submitted[-1].result.balance == D(500 + 2100 + 1000)


def test_rejected_operation_is_marked_failed_and_the_drain_goes_on(sim, client):
    queue = FiscalQueue(client)
    too_much = MoneyOperation(new_number(), MoneyOperationKind.WITHDRAWAL, D(5000))
    queue.enqueue(OperationKind.RECEIPT, (first := sale()).external_number, first)
    queue.enqueue(OperationKind.MONEY, too_much.external_number, too_much)
    queue.enqueue(OperationKind.RECEIPT, (last := sale()).external_number, last)

    report = queue.drain()

    assert [op.external_number for op in report.sent] == [first.external_number, last.external_number]
    failed = report.failed[0]
    assert (failed.state, failed.error_code) == (OperationState.FAILED, "fiscal_not_enough_cash")
    assert report.stopped_by is None and report.remaining == 0


def test_cashbox_level_error_stops_the_drain_and_keeps_the_operations(sim, tokens):
    broken = make_client(sim, tokens=tokens, password="not-the-password")
    storage = MemoryQueueStorage()
    queue = FiscalQueue(broken, storage)
    for _ in range(3):
        receipt = sale()
        queue.enqueue(OperationKind.RECEIPT, receipt.external_number, receipt)

    report = queue.drain()
    assert report.stopped_by.code == "fiscal_wrong_credentials" and report.remaining == 3
    assert storage.operations[0].error_code == "fiscal_wrong_credentials"
    assert [op.attempts for op in storage.operations] == [1, 0, 0]

    fixed = FiscalQueue(make_client(sim, tokens=tokens, password=PASSWORD), storage)  # admin fixes the settings
    report = fixed.drain()
    assert len(report.sent) == 3 and report.remaining == 0 and len(sim.receipts()) == 3


def test_z_report_keeps_its_place_in_the_queue(sim, client):
    queue = FiscalQueue(client)
    before = [sale(), sale()]
    after = [sale()]
    for receipt in before:
        queue.enqueue(OperationKind.RECEIPT, receipt.external_number, receipt)
    z_number = new_number()
    queue.enqueue(OperationKind.Z_REPORT, z_number)
    for receipt in after:
        queue.enqueue(OperationKind.RECEIPT, receipt.external_number, receipt)

    report = queue.drain()

    shifts = [getattr(op.result, "shift_number", None) for op in report.sent]
    assert shifts == [1, 1, 1, 2]
    assert report.sent[2].result.kind == "Z" and report.sent[2].result.sell_count == 2


def test_same_external_number_is_queued_once_and_drains_do_not_overlap(sim, client):
    queue = FiscalQueue(client)
    receipt = sale(payments=[pay("card", 500)])
    first = queue.enqueue(OperationKind.RECEIPT, receipt.external_number, receipt)
    assert queue.enqueue(OperationKind.RECEIPT, receipt.external_number, receipt) is first
    for _ in range(3):
        other = sale()
        queue.enqueue(OperationKind.RECEIPT, other.external_number, other)

    sim.add_fault("slow", route="check", delay=0.5)
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(queue.drain())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sum(report.busy for report in reports) == 2
    assert sum(len(report.sent) for report in reports) == 4
    assert len(sim.receipts()) == 4
    assert queue.submit(OperationKind.RECEIPT, receipt.external_number, receipt).state == OperationState.DONE
    assert len(sim.receipts()) == 4
