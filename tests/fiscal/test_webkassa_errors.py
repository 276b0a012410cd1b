"""Every Webkassa error code ends as a FiscalError with a stable code and an English message that
the Odoo side translates for the cashier or manager."""

import re

import pytest

from fiscal import (
    FiscalBlockedError,
    FiscalConfigError,
    FiscalError,
    FiscalNotFoundError,
    FiscalRejectedError,
    MoneyOperation,
    MoneyOperationKind,
)
from fiscal.webkassa_client import LOCAL_ERRORS, PROVIDER_ERRORS, error_from_provider
from webkassa_testkit import D, line, make_client, new_number, sale


def english(text):
    return text.isascii() and text[0].isupper() and text.endswith(".")


def test_catalogue_codes_are_stable_identifiers_with_english_text():
    for code, (cls, stable, message) in PROVIDER_ERRORS.items():
        assert issubclass(cls, FiscalError), code
        assert re.fullmatch(r"fiscal_[a-z0-9_]+", stable), code
        assert english(message), code
    for stable, message in LOCAL_ERRORS.items():
        assert re.fullmatch(r"fiscal_[a-z0-9_]+", stable) and english(message)


def test_code_9_variants_are_told_apart():
    assert error_from_provider(9, "Касса не имеет активной лицензии").code == "fiscal_license_not_found"
    assert error_from_provider(9, "Нарушена последовательность операций").code == "fiscal_busy"
    invalid = error_from_provider(9, "Positions[0].Tax: Налог подсчитан неверно")
    assert invalid.code == "fiscal_invalid_data" and invalid.provider_text.startswith("Positions[0].Tax")
    assert error_from_provider(4242, "новая ошибка").code == "fiscal_provider_error"


# What the real (simulated) Webkassa answers in each situation.
SCENARIOS = {
    "wrong password (1)": ({"password": "Wrong-Pass"}, "receipt", FiscalConfigError, "fiscal_wrong_credentials", 1),
    "unknown API key (3)": ({"api_key": "prod-api-key"}, "receipt", FiscalConfigError, "fiscal_not_authorized", 3),
    "no permission (4)": (
        {"login": "seller@clever.kz", "password": "Seller-Pass-1"},
        "z_report",
        FiscalConfigError,
        "fiscal_operation_denied",
        4,
    ),
    "no access to the cashbox (5)": (
        {"cashbox_unique_number": "SWK00000003"},
        "receipt",
        FiscalConfigError,
        "fiscal_cashbox_access_denied",
        5,
    ),
    "unknown cashbox (6)": (
        {"cashbox_unique_number": "SWK99999999"},
        "receipt",
        FiscalConfigError,
        "fiscal_cashbox_not_found",
        6,
    ),
    "blocked cashbox (7)": (
        {"cashbox_unique_number": "SWK00000002"},
        "receipt",
        FiscalBlockedError,
        "fiscal_cashbox_blocked",
        7,
    ),
    "not enough cash (8)": ({}, "withdrawal", FiscalRejectedError, "fiscal_not_enough_cash", 8),
    "no licence (9)": (
        {"cashbox_unique_number": "SWK00000004"},
        "receipt",
        FiscalBlockedError,
        "fiscal_license_not_found",
        9,
    ),
    "not activated (10)": (
        {"cashbox_unique_number": "SWK00000005"},
        "receipt",
        FiscalBlockedError,
        "fiscal_cashbox_not_activated",
        10,
    ),
    "no open shift on X (13)": ({}, "x_report", FiscalNotFoundError, "fiscal_no_open_shift", 13),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_simulated_situations_give_clear_errors(sim, name):
    overrides, action, cls, code, provider_code = SCENARIOS[name]
    client = make_client(sim, **overrides)
    with pytest.raises(cls) as caught:
        if action == "receipt":
            client.send_receipt(sale())
        elif action == "withdrawal":
            client.money_operation(MoneyOperation(new_number(), MoneyOperationKind.WITHDRAWAL, D(1)))
        else:
            getattr(client, action)()
    error = caught.value
    assert (error.code, error.provider_code) == (code, provider_code)
    assert english(error.message) and str(error).startswith(code)
    assert error.provider_text  # Webkassa's own (Russian) text kept for the manager's detail view
    assert sim.receipts() == []


def test_validation_error_quotes_the_field(sim, client):
    sim.organization["VATInfo"]["VATRates"] = [0, 12]
    with pytest.raises(FiscalRejectedError) as caught:
        client.send_receipt(sale())
    assert caught.value.code == "fiscal_invalid_data"
    assert caught.value.provider_text.startswith("Positions[0].TaxPercent:")


def test_offline_over_72_hours_blocks_fiscal_sales(sim, client):
    sim.set_ofd_online(False)
    client.send_receipt(sale())
    sim.advance(hours=73)
    with pytest.raises(FiscalBlockedError) as caught:
        client.send_receipt(sale())  # 11 first (shift > 24 h): Z, then the resend meets 18
    assert (caught.value.code, caught.value.provider_code) == ("fiscal_offline_over_72h", 18)
    sim.set_ofd_online(True)
    assert not client.send_receipt(sale()).offline_mode


# Every code of the catalogue, injected as Webkassa's answer to /check. Codes the client handles
# itself need repeated answers to surface (2: after two re-logins, 3: after one, 11: after the Z).
REPEATS = {2: 3, 3: 2, 11: 2}


@pytest.mark.parametrize("provider_code", sorted(PROVIDER_ERRORS) + [4242])
def test_each_provider_code_maps_to_its_error(sim, client, provider_code):
    cls, code, _message = PROVIDER_ERRORS.get(provider_code, (FiscalError, "fiscal_provider_error", ""))
    sim.duplicate_with_data = False
    sim.add_fault("error", route="check", code=provider_code, times=REPEATS.get(provider_code, 1))
    with pytest.raises(cls) as caught:
        client.send_receipt(sale(line("Хлеб", 1, 250)))
    error = caught.value
    assert error.code == code
    assert error.provider_code == provider_code
    assert english(error.message)
    assert sim.receipts() == []
