"""The Kaspi terminal through the proxy, end to end against the terminal simulator.

Each test plays what the POS payment screen does: ``/clever/terminal/pay`` with the payment line's
uuid, then ``/clever/terminal/status`` until the outcome is final. The rule checked throughout:
the customer is never charged twice and no payment is lost -- ``sim.charges()`` counts the
operations the terminal actually started.
"""

import json
import os
import stat
import threading
import time

import pytest
from proxy_testkit import wait_until

from clever_proxy.terminal import parse_amount, parse_expiration


@pytest.fixture
def kaspi(terminal_sim, make_proxy):
    """A registered proxy and its terminal simulator."""

    def start(sim_options=None, **terminal):
        sim = terminal_sim(**(sim_options or {}))
        proxy = make_proxy(terminal={"host": "127.0.0.1", "port": sim.port, **terminal})
        registered = proxy.client.result("/clever/terminal/register", {"name": "Clever POS test"})
        assert registered["registered"] is True, registered
        return proxy, sim

    return start


def pay(client, payment_uuid, amount=1500, **extra):
    return client.result("/clever/terminal/pay",
                         {"payment_uuid": payment_uuid, "amount": amount, "order_uuid": "order-1", **extra})


def status(client, payment_uuid):
    return client.result("/clever/terminal/status", {"payment_uuid": payment_uuid})


def final(client, payment_uuid, timeout=10):
    return wait_until(lambda: (lambda s: s if s["final"] else None)(status(client, payment_uuid)), timeout)


def wait_status(client, payment_uuid, wanted, timeout=10):
    return wait_until(lambda: (lambda s: s if s["status"] == wanted else None)(status(client, payment_uuid)), timeout)


def test_success_keeps_the_terminal_transaction(kaspi):
    proxy, sim = kaspi()
    started = pay(proxy.client, "line-1")
    assert started["status"] == "wait" and started["process_id"] and not started["final"]
    assert started["code"] == "waiting"
    # stored before the POS hears back: the proxy knows the process by payment uuid and by id
    assert proxy.app.store.latest_for_payment("line-1")["process_id"] == started["process_id"]
    seen = {status(proxy.client, "line-1")["sub_status"]}
    done = final(proxy.client, "line-1")
    assert done["status"] == "success" and done["code"] == "paid"
    charge = sim.operation(started["process_id"])
    assert done["transaction_id"] == charge.transaction_id and done["method"] == "qr"
    assert done["cheque"]["amount"] == "1500 ₸" and done["amount"] == 1500
    assert len(sim.charges()) == 1
    assert seen <= {"Initialize", "WaitUser", "WaitForQrConfirmation", "QrTransactionSuccess", None}
    payment_calls = [r for r in sim.requests if r["method"] == "payment"]
    assert payment_calls[0]["params"] == {"amount": "1500", "owncheque": "false"}
    assert payment_calls[0]["headers"]["accesstoken"]
    # asking again after the end changes nothing and charges nothing
    assert pay(proxy.client, "line-1")["transaction_id"] == done["transaction_id"]
    assert len(sim.charges()) == 1


def test_decline_then_cashier_retry_starts_a_new_attempt(kaspi):
    proxy, sim = kaspi()
    sim.script("decline", method="card")
    pay(proxy.client, "line-2")
    done = final(proxy.client, "line-2")
    assert done["status"] == "fail" and done["code"] == "declined"
    assert "недостаточно" in done["terminal_message"]
    # a late duplicate of the first request does not start a payment by itself
    again = pay(proxy.client, "line-2")
    assert again["attempt"] == 1 and again["status"] == "fail" and len(sim.charges()) == 1
    # the cashier presses retry on the POS: a new attempt, a new terminal operation
    retried = pay(proxy.client, "line-2", retry=True)
    assert retried["attempt"] == 2 and retried["status"] == "wait"
    assert final(proxy.client, "line-2")["status"] == "success"
    assert len(sim.charges()) == 2


def test_cancel_while_waiting_is_done_on_the_terminal(kaspi):
    proxy, sim = kaspi()
    sim.script("timeout")
    started = pay(proxy.client, "line-3")
    cancel = proxy.client.result("/clever/terminal/cancel", {"payment_uuid": "line-3"})
    assert cancel["cancelled"] is False and cancel["cancel_code"] == "cancel_on_terminal"
    assert cancel["status"] == "wait", "the proxy keeps following the operation"
    sim.finish(started["process_id"], "cancel")  # the cashier presses Cancel on the terminal
    done = final(proxy.client, "line-3")
    assert done["status"] == "fail" and done["code"] == "cancelled"
    assert proxy.client.result("/clever/terminal/cancel", {"payment_uuid": "line-3"})["cancelled"] is True


def test_timeout_stays_waiting_and_overdue_then_resolves(kaspi):
    proxy, sim = kaspi()
    sim.script("timeout")
    started = pay(proxy.client, "line-4")
    # past wait_budget (0.6 s in the tests) the operation is still waiting, shown overdue
    waiting = wait_until(lambda: (lambda s: s if s["overdue"] else None)(status(proxy.client, "line-4")))
    assert waiting["status"] == "wait" and not waiting["final"]
    # the proxy keeps polling the terminal by itself, nobody needs to ask
    wait_until(lambda: len([r for r in sim.requests if r["method"] == "status"]) >= 6)
    assert status(proxy.client, "line-4")["status"] == "wait"
    sim.finish(started["process_id"], "success")
    assert final(proxy.client, "line-4")["status"] == "success"
    assert len(sim.charges()) == 1


def test_unknown_then_success_is_resolved_by_actualize_not_by_paying_again(kaspi):
    proxy, sim = kaspi()
    sim.script("unknown_then_success", actualize_after=2)
    started = pay(proxy.client, "line-5")
    unknown = wait_status(proxy.client, "line-5", "unknown")
    assert unknown["code"] == "outcome_unknown" and not unknown["final"]
    # a second pay for the same line (reload, impatient cashier) returns the same operation
    assert pay(proxy.client, "line-5")["process_id"] == started["process_id"]
    done = final(proxy.client, "line-5")
    assert done["status"] == "success" and done["transaction_id"]
    actualize = [r["at"] for r in sim.requests if r["method"] == "actualize"]
    assert len(actualize) == 2
    assert actualize[1] - actualize[0] >= 0.3 - 0.05, "actualize no more often than actualize_interval"
    assert len(sim.charges()) == 1


def test_unknown_for_good_goes_to_manual_review_and_a_person_resolves_it(kaspi):
    proxy, sim = kaspi()
    sim.script("unknown")
    pay(proxy.client, "line-6")
    review = wait_status(proxy.client, "line-6", "manual_review")
    assert review["code"] == "outcome_unknown" and not review["final"]
    assert pay(proxy.client, "line-6", retry=True)["status"] == "manual_review", "never paid again"
    resolved = proxy.client.result("/clever/terminal/resolve",
                                   {"payment_uuid": "line-6", "outcome": "paid", "note": "slip 0042 seen",
                                    "transaction_id": "manual-42"})
    assert resolved["status"] == "success" and resolved["code"] == "resolved_manually"
    assert resolved["transaction_id"] == "manual-42" and resolved["resolution"]["note"] == "slip 0042 seen"
    again = proxy.client.result("/clever/terminal/resolve", {"payment_uuid": "line-6", "outcome": "not_paid"})
    assert again["status"] == "rejected" and again["code"] == "not_unknown"
    assert len(sim.charges()) == 1


def test_terminal_answer_beats_a_manual_resolution(kaspi):
    proxy, sim = kaspi(wait_giveup=0.5)
    sim.script("timeout")
    started = pay(proxy.client, "line-6b")
    review = wait_status(proxy.client, "line-6b", "manual_review")
    assert review["code"] == "terminal_wait_expired"
    sim.finish(started["process_id"], "success")  # the customer did pay in the end
    answer = proxy.client.result("/clever/terminal/resolve", {"payment_uuid": "line-6b", "outcome": "not_paid"})
    assert answer["status"] == "rejected" and answer["code"] == "not_unknown"
    assert answer["operation"]["status"] == "success" and answer["operation"]["transaction_id"]
    assert status(proxy.client, "line-6b")["status"] == "success"


def test_connection_drop_on_payment_is_never_retried_automatically(kaspi):
    proxy, sim = kaspi()
    sim.script("drop", then="success")
    started = pay(proxy.client, "line-7")
    assert started["status"] == "manual_review" and started["code"] == "payment_response_lost"
    assert started["process_id"] is None
    assert len(sim.charges()) == 1, "the terminal did start it: the customer may be paying"
    for _ in range(2):  # double click, reload, retry: still the same operation, still one charge
        assert pay(proxy.client, "line-7", retry=True)["status"] == "manual_review"
    assert len(sim.charges()) == 1
    # the cashier checks the terminal screen: not paid (e.g. the customer walked away)
    resolved = proxy.client.result("/clever/terminal/resolve", {"payment_uuid": "line-7", "outcome": "not_paid"})
    assert resolved["status"] == "fail" and resolved["final"]
    time.sleep(0.4)  # let the dropped operation finish on the terminal
    assert pay(proxy.client, "line-7", retry=True)["attempt"] == 2
    assert final(proxy.client, "line-7")["status"] == "success"
    assert len(sim.charges()) == 2


def test_connection_drop_while_polling_is_just_polled_again(kaspi):
    proxy, sim = kaspi()
    sim.drop_next("status", times=2)
    pay(proxy.client, "line-8")
    done = final(proxy.client, "line-8")
    assert done["status"] == "success"
    assert len(sim.charges()) == 1


def test_double_click_on_pay_charges_once(kaspi):
    proxy, sim = kaspi()
    results = []

    def click():
        results.append(pay(proxy.client, "line-9"))

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r["process_id"] for r in results}) == 1 and results[0]["process_id"]
    assert len(sim.charges()) == 1
    assert final(proxy.client, "line-9")["status"] == "success"


def test_page_reload_while_waiting_resumes_the_same_payment(kaspi):
    proxy, sim = kaspi()
    sim.script("timeout")
    started = pay(proxy.client, "line-10")
    # the POS page reloads: it knows only the payment line's uuid, and asks its status
    reloaded = status(proxy.client, "line-10")
    assert reloaded["status"] == "wait" and reloaded["process_id"] == started["process_id"]
    # even a POS that re-sends the payment after the reload gets the same operation
    assert pay(proxy.client, "line-10")["process_id"] == started["process_id"]
    sim.finish(started["process_id"], "success")
    assert final(proxy.client, "line-10")["status"] == "success"
    assert len(sim.charges()) == 1


def test_proxy_restart_while_waiting_resumes_the_same_payment(kaspi):
    proxy, sim = kaspi()
    sim.script("timeout")
    started = pay(proxy.client, "line-11")
    client = proxy.restart()  # the proxy process dies and comes back (same state folder)
    resumed = status(client, "line-11")
    assert resumed["status"] == "wait" and resumed["process_id"] == started["process_id"]
    polls_before = len([r for r in sim.requests if r["method"] == "status"])
    wait_until(lambda: len([r for r in sim.requests if r["method"] == "status"]) > polls_before + 2)
    sim.finish(started["process_id"], "success")
    assert final(client, "line-11")["status"] == "success"
    assert len(sim.charges()) == 1


def test_proxy_killed_while_sending_goes_to_manual_review(kaspi):
    proxy, sim = kaspi()
    store = proxy.app.store
    store.insert_operation(payment_uuid="line-12", attempt=1, kind="payment", amount=900, status="sending",
                           code="waiting")
    client = proxy.restart()
    review = status(client, "line-12")
    assert review["status"] == "manual_review" and review["code"] == "payment_response_lost"
    assert pay(client, "line-12", amount=900, retry=True)["status"] == "manual_review"
    assert len(sim.charges()) == 0


def test_terminal_busy(kaspi):
    proxy, sim = kaspi()
    sim.script("busy")
    busy = pay(proxy.client, "line-13")
    assert busy["status"] == "fail" and busy["code"] == "terminal_busy" and busy["final"]
    # one operation per terminal: while one waits, another line is refused without a call
    sim.script("timeout")
    first = pay(proxy.client, "line-14")
    calls = len(sim.requests)
    second = pay(proxy.client, "line-15", amount=200)
    assert second["status"] == "fail" and second["code"] == "terminal_busy"
    assert not [r for r in sim.requests[calls:] if r["method"] == "payment"]
    sim.finish(first["process_id"], "success")
    final(proxy.client, "line-14")
    assert pay(proxy.client, "line-15", amount=200, retry=True)["status"] == "wait"
    assert final(proxy.client, "line-15")["status"] == "success"


def test_refund_goes_back_to_the_terminal(kaspi):
    proxy, sim = kaspi()
    sim.script("success", method="card")
    paid = pay(proxy.client, "line-16", amount=2000)
    paid = final(proxy.client, "line-16")
    assert paid["method"] == "card"

    too_much = proxy.client.result("/clever/terminal/refund", {"payment_uuid": "refund-1", "amount": 2500,
                                                               "original_payment_uuid": "line-16"})
    assert too_much["status"] == "rejected" and too_much["code"] == "refund_exceeds_payment"

    refund = proxy.client.result("/clever/terminal/refund", {"payment_uuid": "refund-1", "amount": 1200,
                                                             "original_payment_uuid": "line-16",
                                                             "order_uuid": "refund-order"})
    assert refund["status"] == "wait" and refund["kind"] == "refund"
    done = final(proxy.client, "refund-1")
    assert done["status"] == "success" and done["code"] == "refunded"
    call = [r for r in sim.requests if r["method"] == "refund"][0]["params"]
    assert call["transactionId"] == paid["transaction_id"] and call["method"] == "card"
    assert call["amount"] == "1200"
    assert sim.charges("refund")[0].refund_of == paid["transaction_id"]
    # what is left of the payment: 800
    rest = proxy.client.result("/clever/terminal/refund", {"payment_uuid": "refund-2", "amount": 900,
                                                           "original_payment_uuid": "line-16"})
    assert rest["code"] == "refund_exceeds_payment"
    # a refund of a payment taken on another till: the POS gives the stored transaction id and method
    other = proxy.client.result("/clever/terminal/refund", {"payment_uuid": "refund-3", "amount": 300,
                                                            "transaction_id": "123456789", "method": "qr"})
    assert other["status"] == "wait"
    assert final(proxy.client, "refund-3")["status"] == "success"
    missing = proxy.client.result("/clever/terminal/refund", {"payment_uuid": "refund-4", "amount": 300})
    assert missing["code"] == "original_payment_required"


def test_amount_and_payment_id_checks(kaspi):
    proxy, sim = kaspi()
    for amount in (1500.5, 0, -3, "abc", None, True):
        answer = pay(proxy.client, f"bad-{amount}", amount=amount)
        assert answer["status"] == "rejected" and answer["code"] == "amount_invalid", amount
    assert pay(proxy.client, "line-17", amount="1500.00")["amount"] == 1500
    conflict = pay(proxy.client, "line-17", amount=1600)
    assert conflict["status"] == "rejected" and conflict["code"] == "payment_uuid_conflict"
    assert len(sim.charges()) == 1
    unknown = status(proxy.client, "never-sent")
    assert unknown["status"] == "not_found" and unknown["code"] == "operation_not_found"
    assert parse_amount(10**10) is None and parse_amount("2 000") is None


def test_token_refresh_and_token_kept_on_the_proxy_only(kaspi):
    proxy, sim = kaspi()
    token_file = proxy.cfg.token_path
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    with open(token_file, encoding="utf-8") as handle:
        registration = json.load(handle)
    old_token = registration["access_token"]
    sim.expire_tokens()  # the terminal now refuses the token (401)
    pay(proxy.client, "line-18")
    assert final(proxy.client, "line-18")["status"] == "success"
    assert [r["method"] for r in sim.requests].count("revoke") == 1
    with open(token_file, encoding="utf-8") as handle:
        refreshed = json.load(handle)
    assert refreshed["access_token"] != old_token
    # no answer of the proxy ever carries a token
    answers = json.dumps([
        proxy.client.result("/clever/info"),
        proxy.client.result("/hw_proxy/status_json"),
        proxy.client.result("/clever/terminal/test"),
        status(proxy.client, "line-18"),
    ])
    for secret in (refreshed["access_token"], refreshed["refresh_token"], old_token):
        assert secret not in answers
    assert proxy.client.result("/clever/terminal/test")["device"]["terminal_id"] == "31452963"


def test_token_expiring_soon_is_refreshed_before_use(kaspi):
    proxy, sim = kaspi(sim_options={"token_ttl": 600})  # expires in 10 min < refresh margin (30 min)
    pay(proxy.client, "line-19")
    assert "revoke" in [r["method"] for r in sim.requests]
    assert final(proxy.client, "line-19")["status"] == "success"
    assert not [r for r in sim.requests if r["method"] == "payment" and r["headers"].get("accesstoken") is None]


def test_not_registered_and_unreachable_terminal(terminal_sim, make_proxy):
    sim = terminal_sim()
    proxy = make_proxy(terminal={"host": "127.0.0.1", "port": sim.port})
    answer = pay(proxy.client, "line-20")
    assert answer["status"] == "fail" and answer["code"] == "terminal_not_registered"
    assert proxy.client.result("/hw_proxy/status_json")["kaspi_terminal"]["code"] == "terminal_not_registered"
    assert proxy.client.result("/clever/terminal/register")["registered"] is True
    sim.stop()  # switched off
    answer = pay(proxy.client, "line-21")
    assert answer["status"] == "fail" and answer["code"] == "terminal_unreachable", "not sent: safe to retry"
    assert proxy.client.result("/clever/terminal/test")["code"] == "terminal_unreachable"
    status_json = proxy.client.result("/hw_proxy/status_json")["kaspi_terminal"]
    assert status_json["status"] == "disconnected"


def test_terminal_lost_while_waiting_keeps_the_payment_then_manual_review(kaspi):
    proxy, sim = kaspi(lost_budget=2.0)
    sim.script("timeout")
    started = pay(proxy.client, "line-22")
    sim.stop()
    lost = wait_until(lambda: (lambda s: s if s["code"] == "terminal_unreachable" else None)(
        status(proxy.client, "line-22")))
    assert lost["status"] == "wait", "contact lost is not a failure"
    review = wait_status(proxy.client, "line-22", "manual_review", timeout=15)
    assert review["process_id"] == started["process_id"]


def test_register_refused_on_the_terminal(terminal_sim, make_proxy):
    sim = terminal_sim(registration="reject")
    proxy = make_proxy(terminal={"host": "127.0.0.1", "port": sim.port})
    answer = proxy.client.result("/clever/terminal/register")
    assert answer["registered"] is False and answer["code"] == "registration_failed"
    assert not os.path.exists(proxy.cfg.token_path)


def test_terminal_certificate_is_pinned(terminal_sim, make_proxy, tmp_path):
    """The terminal's self-signed certificate is remembered at registration; another one is refused."""
    first = _self_signed(tmp_path, "first")
    sim = terminal_sim(certfile=first[0], keyfile=first[1])
    proxy = make_proxy(terminal={"host": "127.0.0.1", "port": sim.port, "scheme": "https"})
    assert proxy.client.result("/clever/terminal/register")["registered"] is True
    assert pay(proxy.client, "line-23")["status"] == "wait"
    assert final(proxy.client, "line-23")["status"] == "success"
    info = proxy.client.result("/clever/info")["terminal"]
    assert len(info["certificate_sha256"]) == 64
    port = sim.port
    sim.stop()
    second = _self_signed(tmp_path, "second")
    impostor = terminal_sim(certfile=second[0], keyfile=second[1], port=port)
    answer = pay(proxy.client, "line-24")
    assert answer["status"] == "fail" and answer["code"] == "terminal_certificate_changed"
    assert not impostor.charges()


def _self_signed(tmp_path, name):
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"kaspi-{name}")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / f"{name}.crt", tmp_path / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def test_expiration_formats():
    assert parse_expiration("2025-11-25 10:00:00") == parse_expiration("Nov 25, 2025 10:00:00")
    assert parse_expiration("2025-11-25T10:00:00") == parse_expiration("25.11.2025 10:00:00")
    assert parse_expiration("garbage") is None and parse_expiration(None) is None


def test_command_line_registration_and_pairing_reach_the_running_proxy(terminal_sim, tmp_path, monkeypatch,
                                                                        capsys):
    from proxy_testkit import FAST_TERMINAL, ProxyClient, ProxyHandle

    from clever_proxy import cli
    from clever_proxy import config as proxy_config

    sim = terminal_sim()
    config_path = tmp_path / "proxy.json"
    config_path.write_text(json.dumps({
        "listen": {"host": "127.0.0.1", "port": 0},
        "terminal": {**FAST_TERMINAL, "host": "127.0.0.1", "port": sim.port},
    }))
    handle = ProxyHandle(proxy_config.load(str(config_path)))
    try:
        monkeypatch.setattr(cli, "is_privileged", lambda: False)
        # pairing from a shell on the proxy host, no code needed
        assert cli.main(["--config", str(config_path), "pair", "--origin", "https://shop.example.kz"]) == 0
        keys = json.loads(capsys.readouterr().out)
        client = ProxyClient(handle.url, key=keys["key"])
        assert client.result("/hw_proxy/handshake") is True
        assert cli.main(["--config", str(config_path), "pairings"]) == 0
        assert "https://shop.example.kz" in capsys.readouterr().out
        # registration from a shell while the proxy runs: the proxy uses the new token at once
        assert pay(client, "cli-1")["code"] == "terminal_not_registered"
        assert cli.main(["--config", str(config_path), "register-terminal"]) == 0
        assert json.loads(capsys.readouterr().out)["registered"] is True
        assert pay(client, "cli-2")["status"] == "wait"
        assert final(client, "cli-2")["status"] == "success"
        assert cli.main(["--config", str(config_path), "unpair", "--origin", "https://shop.example.kz"]) == 0
        assert client.rpc("/hw_proxy/handshake")[0] == 403
    finally:
        handle.stop()
