"""The simulator itself behaves like Webkassa (spec section 9), spoken to over raw HTTP, so that
the client tests above prove something about the real service."""

import gzip
import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest
import requests

from webkassa_testkit import API_KEY, CASHBOX, LOGIN, PASSWORD, TERMINAL_DIR, WebkassaSimulator, new_number


def post(sim, path, body, key=API_KEY, **kwargs):
    headers = {"x-api-key": key} if key else {}
    response = requests.post(sim.url + path, json=body, headers=headers, timeout=5, **kwargs)
    return response


def token_of(sim):
    return post(sim, "/api/v4/Authorize", {"Login": LOGIN, "Password": PASSWORD}).json()["Data"]["Token"]


def check_body(token, **changes):
    body = {
        "Token": token,
        "CashboxUniqueNumber": CASHBOX,
        "OperationType": 2,
        "Positions": [
            {
                "Count": 1,
                "Price": 500,
                "TaxType": 100,
                "TaxPercent": 16,
                "Tax": 68.97,
                "PositionName": "Вода",
                "UnitCode": 796,
            }
        ],
        "Payments": [{"Sum": 500, "PaymentType": 0}],
        "RoundType": 2,
        "ExternalCheckNumber": new_number(),
    }
    body.update(changes)
    return body


def position(**changes):
    item = {
        "Count": 1,
        "Price": 500,
        "TaxType": 100,
        "TaxPercent": 16,
        "Tax": 68.97,
        "PositionName": "Вода",
        "UnitCode": 796,
    }
    item.update(changes)
    return item


def error_of(response):
    assert response.status_code == 200  # business errors: HTTP 200 + Errors
    errors = response.json()["Errors"]
    return errors[0]["Code"], errors[0]["Text"]


def test_routes_are_case_insensitive_with_legacy_aliases(sim):
    for path in ("/api/v4/Authorize", "/API/AUTHORIZE", "/api/authorize/", "/api/v2/Authorize", "/api/v1/authorize"):
        response = post(sim, path, {"login": LOGIN, "PASSWORD": PASSWORD})  # property names too
        assert response.status_code == 200, path
        assert re.fullmatch(r"[0-9a-f]{32}", response.json()["Data"]["Token"])
    assert post(sim, "/api/v4/NoSuchMethod", {}).status_code == 404
    token = token_of(sim)
    assert "Data" in post(sim, "/api/check", check_body(token)).json()
    assert "Data" in post(sim, "/API/V4/CHECK", {k.lower(): v for k, v in check_body(token).items()}).json()


def test_answers_are_gzip_json_in_pascal_case(sim):
    response = requests.post(
        sim.url + "/api/v4/Authorize",
        json={"Login": LOGIN, "Password": PASSWORD},
        headers={"x-api-key": API_KEY, "Accept-Encoding": "gzip"},
        timeout=5,
        stream=True,
    )
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Token" in json.loads(gzip.decompress(response.raw.read()))["Data"]


def test_api_key_and_logins(sim):
    assert error_of(post(sim, "/api/v4/Authorize", {"Login": LOGIN, "Password": PASSWORD}, key=None))[0] == 3
    assert error_of(post(sim, "/api/v4/Authorize", {"Login": LOGIN, "Password": PASSWORD}, key="prod-api-key"))[0] == 3
    code, text = error_of(post(sim, "/api/v4/Authorize", {"Login": LOGIN, "Password": "nope"}))
    assert (code, text) == (1, "Неверный логин и/или пароль")
    old, new = token_of(sim), token_of(sim)
    assert error_of(post(sim, "/api/v4/references/RefUnits", {"Token": old}))[0] == 2  # revoked by the new login
    assert any(unit["Code"] == 796 for unit in post(sim, "/api/v4/references/RefUnits", {"Token": new}).json()["Data"])
    sim.advance(hours=25)
    assert error_of(post(sim, "/api/v4/references/RefUnits", {"Token": new}))[0] == 2  # TTL 24 h
    assert error_of(post(sim, "/api/v4/references/RefUnits", {}))[0] == 3


INVALID_CHECKS = {
    "tax": ({"Positions": [position(Tax=53.57)]}, "Positions[0].Tax: Налог подсчитан неверно"),
    "8 %": ({"Positions": [position(TaxPercent=8, Tax=37.04)]}, "Positions[0].TaxPercent"),
    "rate not enabled": ({"Positions": [position(TaxPercent=12, Tax=53.57)]}, "Positions[0].TaxPercent"),
    "no VAT but tax": ({"Positions": [position(TaxType=0, Tax=1)]}, "Positions[0].Tax"),
    "price decimals": ({"Positions": [position(Price=500.001)]}, "Positions[0].Price"),
    "quantity": ({"Positions": [position(Count=5000000)]}, "Positions[0].Count"),
    "mark and list": ({"Positions": [position(Mark="a", MarkList=["b"])]}, "Positions[0].MarkList"),
    "warehouse": ({"Positions": [position(WarehouseType=1)]}, "Positions[0].ProductId"),
    "unit": ({"Positions": [position(UnitCode=1)]}, "Positions[0].UnitCode"),
    "payment twice": (
        {"Payments": [{"Sum": 250, "PaymentType": 0}, {"Sum": 250, "PaymentType": 0}]},
        "Payments[1].PaymentType",
    ),
    "non-cash over total": ({"Payments": [{"Sum": 600, "PaymentType": 1}]}, "Payments: Сумма оплаты при безналичном"),
    "not enough paid": ({"Payments": [{"Sum": 400, "PaymentType": 0}]}, "Payments"),
    "wrong change": ({"Payments": [{"Sum": 1000, "PaymentType": 0}], "Change": 400}, "Change"),
    "round type": ({"RoundType": 5}, "RoundType"),
    "external number": ({"ExternalCheckNumber": "x" * 51}, "ExternalCheckNumber"),
    "customer xin": ({"CustomerXin": "123"}, "CustomerXin"),
    "return basis": ({"OperationType": 3}, "ReturnBasisDetails"),
    "no positions": ({"Positions": []}, "Positions"),
}


@pytest.mark.parametrize("name", INVALID_CHECKS)
def test_check_validations_answer_code_9_with_the_field(sim, name):
    changes, prefix = INVALID_CHECKS[name]
    code, text = error_of(post(sim, "/api/v4/check", check_body(token_of(sim), **changes)))
    assert code == 9 and text.startswith(prefix), text
    assert sim.receipts() == []


def test_change_given_explicitly_and_discount_plus_markup(sim):
    token = token_of(sim)
    ok = post(sim, "/api/v4/check", check_body(token, Payments=[{"Sum": 1000, "PaymentType": 0}], Change=500)).json()
    assert "Errors" not in ok
    both = post(sim, "/api/v4/check", check_body(token, Positions=[position(Discount=10, Markup=10)]))
    assert error_of(both)[0] == 17


@pytest.mark.parametrize(
    "round_type, tax, total",
    [(0, 129.0, "935.26"), (1, 128.97, "935.00"), (2, 128.97, "935.00"), (3, 129.0, "935.00")],
)
def test_round_types(sim, round_type, tax, total):
    body = check_body(
        token_of(sim),
        RoundType=round_type,
        Positions=[position(Count=4.63, Price=202, Tax=tax)],
        Payments=[{"Sum": 1000, "PaymentType": 0}],
    )
    data = post(sim, "/api/v4/check", body).json()["Data"]
    assert f"&s={total}&" in data["TicketUrl"]


def test_numbering_duplicates_and_lookups(sim):
    token = token_of(sim)
    body = check_body(token)
    first = post(sim, "/api/v4/check", body).json()["Data"]
    assert (first["ShiftNumber"], first["CheckOrderNumber"]) == (1, 1)
    assert isinstance(first["Cashbox"]["IdentityNumber"], str)
    second = post(sim, "/api/v4/check", check_body(token)).json()["Data"]
    assert second["CheckOrderNumber"] == 2 and second["CheckNumber"] != first["CheckNumber"]

    duplicate = post(sim, "/api/v4/check", body).json()
    assert duplicate["Data"]["CheckNumber"] == first["CheckNumber"]
    assert duplicate["Errors"][0]["Code"] == 14 and body["ExternalCheckNumber"] in duplicate["Errors"][0]["Text"]
    sim.duplicate_with_data = False
    assert "Data" not in post(sim, "/api/v4/check", body).json()

    external = body["ExternalCheckNumber"]
    lines = post(
        sim,
        "/api/v4/Ticket/PrintFormat",
        {
            "Token": token,
            "CashboxUniqueNumber": CASHBOX,
            "ExternalCheckNumber": external,
            "PaperKind": 0,
            "IsDuplicate": True,
        },
    ).json()["Data"]["Lines"]
    assert any(line["Type"] == 2 for line in lines)
    ticket = post(
        sim,
        "/api-history/v4/Ticket/GetTicketByExternalCheckNumber",
        {"Token": token, "CashboxUniqueNumber": CASHBOX, "ExternalCheckNumber": external, "ShiftNumber": 1},
    ).json()["Data"]
    assert ticket["CheckNumber"] == first["CheckNumber"]
    unknown = {"Token": token, "CashboxUniqueNumber": CASHBOX, "ExternalCheckNumber": "nope", "ShiftNumber": 1}
    assert error_of(post(sim, "/api/v4/Ticket/PrintFormat", unknown))[0] == 19
    assert error_of(post(sim, "/api-history/v4/Ticket/GetTicketByExternalCheckNumber", unknown))[0] == 19

    history = post(
        sim,
        "/api/v4/Check/History",
        {"Token": token, "CashboxUniqueNumber": CASHBOX, "ShiftNumber": 1, "Skip": 1, "Take": 1},
    ).json()["Data"]
    assert history["Total"] == 2 and [item["Number"] for item in history["Items"]] == [second["CheckNumber"]]
    assert (
        error_of(
            post(
                sim,
                "/api/v4/Check/History",
                {"Token": token, "CashboxUniqueNumber": CASHBOX, "ShiftNumber": 1, "Take": 51},
            )
        )[0]
        == 9
    )
    assert (
        error_of(
            post(sim, "/api/v4/Check/History", {"Token": token, "CashboxUniqueNumber": CASHBOX, "ShiftNumber": 7})
        )[0]
        == 15
    )
    by_number = {"Token": token, "CashboxUniqueNumber": CASHBOX, "ShiftNumber": 1, "Number": first["CheckNumber"]}
    assert post(sim, "/api/v4/Check/HistoryByNumber", by_number).json()["Data"]["Ofd"]["Code"] == 4
    assert error_of(post(sim, "/api/v4/Check/HistoryByNumber", {**by_number, "Number": "1"}))[0] == 16

    shifts = post(sim, "/api/v4/Cashbox/ShiftHistory", {"Token": token, "CashboxUniqueNumber": CASHBOX}).json()["Data"]
    assert shifts["Shifts"][0]["ShiftNumber"] == 1 and "CloseDate" not in shifts["Shifts"][0]
    z_of_shift = {"Token": token, "CashboxUniqueNumber": CASHBOX, "ShiftNumber": 1}
    assert error_of(post(sim, "/api/v4/ZReport/ByShiftNumber", z_of_shift))[0] == 1014
    z_report = post(sim, "/api/v4/ZReport", {"Token": token, "CashboxUniqueNumber": CASHBOX}).json()["Data"]
    assert isinstance(z_report["CashboxIN"], int) and z_report["ReportNumber"] == z_report["DocumentCount"] == 2
    assert post(sim, "/api/v4/ZReport/ByShiftNumber", z_of_shift).json()["Data"]["ShiftNumber"] == 1
    assert error_of(post(sim, "/api/v4/ZReport", {"Token": token, "CashboxUniqueNumber": CASHBOX}))[0] == 12


def test_references_cashboxes_and_organisation(sim):
    token = token_of(sim)
    boxes = post(sim, "/api/v4/Cashboxes", {"Token": token}).json()["Data"]["List"]
    assert CASHBOX in [box["UniqueNumber"] for box in boxes]
    info = post(sim, "/api-portal/v4/organization/main-info", {"Token": token, "Xin": "150740000001"}).json()["Data"]
    assert info["VATInfo"]["VATRates"] == [0, 16]


def test_offline_mode_and_control_endpoint(sim):
    token = token_of(sim)
    control = lambda **command: requests.post(sim.url + "/_sim/control", json=command, timeout=5)
    assert control(action="set_ofd", online=False).json() == {"ok": True}
    data = post(sim, "/api/v4/check", check_body(token)).json()["Data"]
    assert data["OfflineMode"] and data["CashboxOfflineMode"] and data["StartOfflineMode"]
    assert any("автономном" in line["Value"] for line in data["TicketPrintFormat"])
    post(sim, "/api/v4/ZReport", {"Token": token, "CashboxUniqueNumber": CASHBOX})
    control(action="advance_clock", hours=73)
    token = token_of(sim)
    assert error_of(post(sim, "/api/v4/check", check_body(token)))[0] == 18
    control(action="set_ofd", online=True)
    data = post(sim, "/api/v4/check", check_body(token)).json()["Data"]
    assert not data["OfflineMode"] and not data["CashboxOfflineMode"]
    state = requests.get(sim.url + "/_sim/state", timeout=5).json()
    assert state["Cashboxes"][CASHBOX]["Receipts"] == 2 and state["Cashboxes"][CASHBOX]["OfflineNotSent"] == 0
    control(action="add_fault", kind="http_500", route="check")
    assert post(sim, "/api/v4/check", check_body(token)).status_code == 500


def test_state_survives_a_restart(tmp_path):
    state_file = str(tmp_path / "webkassa.json")
    first = WebkassaSimulator(state_file=state_file).start()
    try:
        token = token_of(first)
        body = check_body(token)
        original = post(first, "/api/v4/check", body).json()["Data"]
    finally:
        first.stop()
    second = WebkassaSimulator(state_file=state_file).start()
    try:
        again = post(second, "/api/v4/check", body).json()
        assert again["Errors"][0]["Code"] == 14 and again["Data"]["CheckNumber"] == original["CheckNumber"]
        following = post(second, "/api/v4/check", check_body(token)).json()["Data"]
        assert (following["ShiftNumber"], following["CheckOrderNumber"]) == (1, 2)
    finally:
        second.stop()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("how", ["script", "module"])
def test_command_line_serves_on_the_given_port(how):
    port = free_port()
    if how == "script":
        command = [sys.executable, os.path.join(TERMINAL_DIR, "fiscal", "webkassa_simulator.py"), "--port", str(port)]
    else:
        command = [sys.executable, "-m", "fiscal.webkassa_simulator", "--port", str(port)]
    process = subprocess.Popen(command, cwd=TERMINAL_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                state = requests.get(f"http://127.0.0.1:{port}/_sim/state", timeout=1).json()
                break
            except requests.ConnectionError:
                assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
                time.sleep(0.1)
        assert state["Down"] is False
    finally:
        process.terminate()
        process.wait(timeout=10)
