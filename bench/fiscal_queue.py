"""Fiscal queue benchmark: 1,000 receipts queued while Webkassa is down, then drained.

Usage (from the repository root):

    .venv/bin/python bench/fiscal_queue.py [--receipts 1000] [--lost-answer-at 500] [--read-timeout 1.0]

What happens, in one process, against the local Webkassa simulator on 127.0.0.1 (real HTTP):

1. warm-up: one receipt online (login, connection), not measured;
2. the simulator is stopped (connection refused, as when the shop loses the service). Each of the
   N receipts goes through the till's live path, ``FiscalQueue.submit``: stored with its external
   number, then one send attempt of the OLDEST pending operation, refused at once. Measured: time
   and attempts;
3. the simulator comes back and the cron's ``FiscalQueue.drain()`` runs. The answer to receipt
   number --lost-answer-at is lost after Webkassa accepted it (timeout after commit): that drain
   stops, the next drain resends the same external number, gets "duplicate" with the original
   data, and goes on. Measured: wall time of the drains, per-receipt latency (p50/p95/max), HTTP
   requests per receipt as counted by the simulator;
4. checks: every operation done, Webkassa's order equals the till's order, zero duplicate
   external numbers and zero duplicate fiscal signs at Webkassa, exactly N + 1 receipts there.

Writes bench/results/fiscal_queue.json and prints a summary.
"""

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
import uuid
from datetime import datetime, timezone
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "addons", "clever_pos_terminal"))
RESULTS = os.path.join(ROOT, "bench", "results", "fiscal_queue.json")

from fiscal import (
    FiscalQueue,
    OperationKind,
    OperationState,
    Payment,
    PaymentKind,
    Receipt,
    ReceiptLine,
    ReceiptOperation,
    TokenCache,
    WebkassaClient,
    WebkassaConfig,
)
from fiscal.webkassa_client import receipt_total
from fiscal.webkassa_simulator import USERS, WebkassaSimulator

LOGIN = "cashier@clever.kz"
PRODUCTS = [("Вода 1 л", 250), ("Хлеб", 180), ("Молоко 1 л", 620), ("Сыр, кг", 4200), ("Кофе", 1990), ("Шоколад", 890)]


class TimedProvider:
    """Delegates to the client and records the latency of each receipt call."""

    def __init__(self, client):
        self.client = client
        self.latencies = []

    def send_receipt(self, receipt):
        start = time.perf_counter()
        try:
            return self.client.send_receipt(receipt)
        finally:
            self.latencies.append(time.perf_counter() - start)

    def money_operation(self, operation):
        return self.client.money_operation(operation)

    def z_report(self, external_number=None):
        return self.client.z_report(external_number)


def make_receipt(index):
    """1-3 lines, some weighed, paid in cash, by card, by Kaspi or mixed."""
    lines = []
    for offset in range(1 + index % 3):
        name, price = PRODUCTS[(index + offset) % len(PRODUCTS)]
        quantity = Decimal("0.735") if "кг" in name else Decimal(1 + (index + offset) % 2)
        lines.append(ReceiptLine(name=name, quantity=quantity, price=Decimal(price)))
    # The fiscal total under the cashbox rounding (RoundType 2), as the POS shows it before payment.
    total = receipt_total(Receipt("preview", ReceiptOperation.SALE, tuple(lines), ()), round_type=2)
    kind = index % 4
    if kind == 0:
        payments = (Payment(PaymentKind.CASH, total + 100),)  # with change
    elif kind == 1:
        payments = (Payment(PaymentKind.CARD, total),)
    elif kind == 2:
        payments = (Payment(PaymentKind.KASPI, total),)
    else:
        payments = (Payment(PaymentKind.CARD, total // 2), Payment(PaymentKind.CASH, total - total // 2))
    return Receipt(
        external_number=str(uuid.uuid4()),
        operation=ReceiptOperation.SALE,
        lines=tuple(lines),
        payments=payments,
        order_number=f"POS/{index:05d}",
    )


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(receipts, lost_at, read_timeout):
    sim = WebkassaSimulator("127.0.0.1", 0, seed=2026).start()
    config = WebkassaConfig(
        base_url=sim.url,
        api_key="test-api-key",
        login=LOGIN,
        password=USERS[LOGIN]["password"],
        cashbox_unique_number="SWK00000001",
        connect_timeout=1.0,
        read_timeout=read_timeout,
        transport_retries=0,  # the queue resends; the live path must not make the cashier wait
        retry_backoff=0,
    )
    client = WebkassaClient(config, token_cache=TokenCache())
    provider = TimedProvider(client)
    queue = FiscalQueue(provider)
    try:
        warm = make_receipt(0)
        queue.submit(OperationKind.RECEIPT, warm.external_number, warm)
        provider.latencies.clear()

        # Down: every sale is stored and tried once (oldest first), refused at once.
        sim.stop()
        attempts_before = client.request_count
        start = time.perf_counter()
        for index in range(1, receipts + 1):
            receipt = make_receipt(index)
            queue.submit(OperationKind.RECEIPT, receipt.external_number, receipt)
        queued_seconds = time.perf_counter() - start
        refused_attempts = client.request_count - attempts_before
        pending = queue.storage.count_pending()
        provider.latencies.clear()

        # Back: drain, with one answer lost after acceptance.
        sim.start()
        requests_before = dict(sim.request_counts)
        client_requests_before = client.request_count
        if lost_at:
            if lost_at > 1:
                sim.add_fault("slow", route="check", times=lost_at - 1, delay=0)
            sim.add_fault("timeout_after_commit", route="check", delay=read_timeout + 0.5)
        drains = []
        start = time.perf_counter()
        while True:
            report = queue.drain()
            drains.append(
                {
                    "sent": len(report.sent),
                    "duplicates": len(report.duplicates),
                    "stopped_by": report.stopped_by and report.stopped_by.code,
                    "remaining": report.remaining,
                }
            )
            if report.remaining == 0 or len(drains) > 5:
                break
        drain_seconds = time.perf_counter() - start
        http_requests = {
            key: value - requests_before.get(key, 0)
            for key, value in sim.request_counts.items()
            if value - requests_before.get(key, 0)
        }
        state = sim.summary()["Cashboxes"]["SWK00000001"]
        documents = sim.receipts()
    finally:
        sim.stop()

    queued = [op for op in queue.storage.operations[1:]]
    signs = [document["sign"] for document in documents]
    lost_op = queued[lost_at - 1] if lost_at else None
    checks = {
        "all_done": all(op.state == OperationState.DONE for op in queue.storage.operations),
        "receipts_at_webkassa": len(documents),
        "expected_receipts": receipts + 1,
        "duplicate_external_numbers": len(state["DuplicateExternalNumbers"]),
        "duplicate_fiscal_signs": len(signs) - len(set(signs)),
        "order_preserved": state["ExternalNumbers"] == [op.external_number for op in queue.storage.operations],
        "lost_answer_resolved_as_duplicate": bool(
            lost_op and lost_op.result.duplicate and lost_op.result.check_number in signs
        ),
    }
    latencies = provider.latencies
    return {
        "benchmark": "fiscal_queue",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "note": "client, queue and simulator in one process on 127.0.0.1; the machine is shared with other workers",
        },
        "settings": {
            "receipts": receipts,
            "lost_answer_at": lost_at,
            "read_timeout_s": read_timeout,
            "transport_retries": 0,
        },
        "while_down": {
            "pending_after": pending,
            "send_attempts": refused_attempts,
            "seconds": round(queued_seconds, 3),
            "ms_per_receipt": round(1000 * queued_seconds / receipts, 3),
        },
        "drain": {
            "seconds": round(drain_seconds, 3),
            "seconds_without_lost_answer_wait": round(drain_seconds - read_timeout if lost_at else drain_seconds, 3),
            "receipts_per_second": round(receipts / drain_seconds, 1),
            "ms_per_receipt": round(1000 * drain_seconds / receipts, 3),
            "latency_ms": {
                "p50": round(1000 * statistics.median(latencies), 3),
                "p95": round(1000 * percentile(latencies, 0.95), 3),
                "max": round(1000 * max(latencies), 3),
            },
            "http_requests": http_requests,
            "http_requests_per_receipt": round(http_requests.get("total", 0) / receipts, 4),
            "client_requests": client.request_count - client_requests_before,
            "drains": drains,
        },
        "checks": checks,
        "ok": checks["all_done"]
        and checks["receipts_at_webkassa"] == checks["expected_receipts"]
        and checks["duplicate_external_numbers"] == 0
        and checks["duplicate_fiscal_signs"] == 0
        and checks["order_preserved"]
        and (not lost_at or checks["lost_answer_resolved_as_duplicate"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=1000)
    parser.add_argument("--lost-answer-at", type=int, default=500, help="0 for none")
    parser.add_argument("--read-timeout", type=float, default=1.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    result = run(args.receipts, args.lost_answer_at, args.read_timeout)
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    down, drain, checks = result["while_down"], result["drain"], result["checks"]
    print(
        f"queued while down: {args.receipts} receipts in {down['seconds']} s ({down['ms_per_receipt']} ms each), "
        f"{down['send_attempts']} refused attempts"
    )
    print(
        f"drain: {drain['seconds']} s ({drain['seconds_without_lost_answer_wait']} s without the lost-answer wait), "
        f"{drain['receipts_per_second']} receipts/s, "
        f"p50 {drain['latency_ms']['p50']} ms, p95 {drain['latency_ms']['p95']} ms"
    )
    print(f"HTTP requests per receipt: {drain['http_requests_per_receipt']} ({drain['http_requests']})")
    print(f"checks: {checks}")
    print(f"result: {'OK' if result['ok'] else 'FAILED'} -> {os.path.relpath(RESULTS, ROOT)}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
