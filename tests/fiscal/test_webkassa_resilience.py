"""The retry matrix of spec 6: lost answers, dropped connections, server errors, domain switch,
expired sessions, the 24-hour shift, and one request at a time per cashbox. The user-visible
promise: a paid order gets exactly one fiscal receipt, whatever the network does."""

import threading

import pytest

from fiscal import (
    FiscalBusyError,
    FiscalRejectedError,
    FiscalUnreachableError,
    MoneyOperation,
    MoneyOperationKind,
    TokenCache,
)
from webkassa_testkit import CASHBOX, D, line, make_client, new_number, sale


def test_timeout_after_acceptance_then_resend_gives_exactly_one_receipt(sim, client):
    receipt = sale(line("Хлеб", 1, 250))
    sim.add_fault("timeout_after_commit", route="check", delay=1.0)  # Webkassa commits, the answer is lost

    result = client.send_receipt(receipt)  # times out (0.5 s), resends the same body

    assert result.duplicate  # code 14 with the original data
    receipts = sim.receipts()
    assert len(receipts) == 1
    assert result.check_number == receipts[0]["sign"] and result.total == D(250)
    assert sim.request_counts["check"] == 2


def test_caller_resend_after_unreachable_reuses_the_number(sim, client_factory):
    client = client_factory(transport_retries=0)
    receipt = sale(line("Хлеб", 1, 250))
    sim.add_fault("timeout_after_commit", route="check", delay=1.0)
    with pytest.raises(FiscalUnreachableError) as caught:
        client.send_receipt(receipt)
    assert caught.value.maybe_accepted and caught.value.code == "fiscal_unreachable"

    again = client.send_receipt(receipt)  # later, from the stored operation: same external number
    assert again.duplicate and len(sim.receipts()) == 1
    assert again.check_number == sim.receipts()[0]["sign"]


def test_connection_drop_after_commit_and_duplicate_without_data_is_looked_up(sim, client):
    sim.duplicate_with_data = False  # the 14 answer carries no Data: recover through Check/History
    client.send_receipt(sale())  # another receipt in the shift, so the scan must pick the right one
    receipt = sale(line("Сок", 3, 400))
    sim.add_fault("drop_after_commit", route="check")

    result = client.send_receipt(receipt)

    assert result.duplicate and len(sim.receipts()) == 2
    original = sim.receipts()[-1]
    assert (result.check_number, result.total, result.registration_number) == (
        original["sign"],
        D(1200),
        "660000000001",
    )
    assert result.external_number == receipt.external_number
    assert sim.request_counts["check_history"] >= 1


def test_timeout_before_commit_resend_creates_the_receipt_once(sim, client):
    sim.add_fault("timeout_before_commit", route="check", delay=1.0)
    result = client.send_receipt(sale())
    assert not result.duplicate and len(sim.receipts()) == 1


def test_http_500_is_a_transport_failure_and_is_resent(sim, client):
    sim.add_fault("http_500", route="check")
    result = client.send_receipt(sale())
    assert not result.duplicate and len(sim.receipts()) == 1
    assert sim.request_counts["check"] == 2


def test_provider_down_raises_unreachable_and_nothing_is_created(sim, client):
    sim.stop()
    with pytest.raises(FiscalUnreachableError) as caught:
        client.send_receipt(sale())
    assert not caught.value.maybe_accepted  # connection refused: the request never left
    sim.start()
    assert sim.receipts() == []


def test_code_505_switches_to_the_alternative_domain(sim, client):
    sim.add_fault("code_505", route="check", domains=f"localhost:{sim.port}")
    result = client.send_receipt(sale())
    assert client.base_url == f"http://localhost:{sim.port}"
    assert not result.duplicate and len(sim.receipts()) == 1


def test_expired_token_logs_in_again_and_resends(sim, client):
    sim.token_ttl = 3600
    client.send_receipt(sale())
    sim.advance(hours=2)  # the token is dead on the server side; the client does not know yet

    result = client.send_receipt(sale())

    assert not result.duplicate and len(sim.receipts()) == 2
    assert sim.request_counts["authorize"] == 2
    assert sim.request_counts["check"] == 3  # refused with code 2, then resent once


def test_old_token_is_renewed_before_use(sim, client_factory):
    client = client_factory(token_max_age=60)
    client.send_receipt(sale())
    sim.advance(seconds=120)
    client.send_receipt(sale())
    assert sim.request_counts["authorize"] == 2 and sim.request_counts["check"] == 2  # no refused call


def test_token_is_shared_by_clients_of_one_login(sim, tokens):
    first = make_client(sim, tokens=tokens)
    second = make_client(sim, tokens=tokens)
    first.send_receipt(sale())
    second.send_receipt(sale())
    assert sim.request_counts["authorize"] == 1


def test_a_new_login_elsewhere_revokes_the_token_and_the_client_recovers(sim):
    # Two processes that do not share a token cache: each login revokes the other's token.
    first = make_client(sim, tokens=TokenCache())
    second = make_client(sim, tokens=TokenCache())
    first.send_receipt(sale())
    second.send_receipt(sale())
    first.send_receipt(sale())
    assert len(sim.receipts()) == 3 and sim.request_counts["authorize"] == 3


def test_shift_over_24_hours_is_closed_then_the_receipt_is_resent(sim, client):
    first = client.send_receipt(sale())
    sim.advance(hours=25)

    result = client.send_receipt(sale(line("Хлеб", 1, 250)))

    assert result.closed_shift_report is not None
    assert (result.closed_shift_report.kind, result.closed_shift_report.shift_number) == ("Z", first.shift_number)
    assert (result.shift_number, result.check_order_number) == (2, 1)
    assert not result.duplicate and len(sim.receipts()) == 2
    assert sim.request_counts["z_report"] == 1


def test_money_operation_over_24_hours_is_also_recovered(sim, client):
    client.send_receipt(sale())
    sim.advance(hours=30)
    result = client.money_operation(MoneyOperation(new_number(), MoneyOperationKind.WITHDRAWAL, D(100)))
    assert result.closed_shift_report.shift_number == 1 and result.shift_number == 2
    assert result.balance == D(400)


def test_one_request_at_a_time_per_cashbox(sim, tokens):
    """The simulator refuses overlapping calls for one cashbox (code 9, "sequence"); four tills
    in four threads still all get their receipt because the client serialises them."""
    sim.concurrency = "reject"
    sim.add_fault("slow", route="check", times=4, delay=0.2)
    clients = [make_client(sim, tokens=tokens) for _ in range(4)]
    make_client(sim, tokens=tokens).authorize()
    errors, threads = [], []
    for till in clients:

        def run(till=till):
            try:
                till.send_receipt(sale())
            except Exception as error:  # noqa: BLE001 (collected and asserted below)
                errors.append(error)

        threads.append(threading.Thread(target=run))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    assert len(sim.receipts()) == 4
    assert sim.sequence_violations == 0 and sim.max_in_flight[CASHBOX] == 1


def test_overlapping_call_refused_by_webkassa_is_a_busy_error(sim, tokens):
    """Counter-check of the test above: two clients that do NOT share the lock (different host
    spelling) overlap, and the refused one gets a clear "busy" error, not a validation error."""
    sim.concurrency = "reject"
    slow = make_client(sim, tokens=tokens, read_timeout=5)  # waits for its slow answer
    other = make_client(sim, tokens=tokens, base_url=f"http://localhost:{sim.port}")
    slow.authorize()
    sim.add_fault("slow", route="check", delay=0.6)
    thread = threading.Thread(target=slow.send_receipt, args=(sale(),))
    thread.start()
    try:
        for _ in range(100):  # wait until the slow request holds the cashbox in the simulator
            if sim.max_in_flight[CASHBOX]:
                break
            threading.Event().wait(0.01)
        with pytest.raises(FiscalBusyError) as caught:
            other.send_receipt(sale())
        assert caught.value.code == "fiscal_busy" and caught.value.provider_code == 9
    finally:
        thread.join(timeout=5)
    assert sim.sequence_violations == 1 and len(sim.receipts()) == 1


def test_business_errors_are_not_retried(sim, client):
    sim.organization["VATInfo"]["VATRates"] = [0, 12]  # an organisation still on 12 %
    with pytest.raises(FiscalRejectedError) as caught:
        client.send_receipt(sale())
    assert caught.value.code == "fiscal_invalid_data" and "TaxPercent" in caught.value.provider_text
    assert sim.request_counts["check"] == 1 and sim.receipts() == []
