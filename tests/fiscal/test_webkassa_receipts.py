"""Receipts, returns, cash in/out and shift reports against the local Webkassa: what the cashier and
the tax authority see (fiscal sign, VAT at 16 %, QR link, payments, cash in the drawer)."""

import re
from datetime import timezone

import pytest

from fiscal import (
    FiscalNotFoundError,
    FiscalRejectedError,
    FiscalValidationError,
    ModifierKind,
    MoneyOperation,
    MoneyOperationKind,
    ReceiptModifier,
    ReceiptOperation,
    ReturnBasis,
    WebkassaConfig,
)
from fiscal.webkassa_client import build_check_body, position_sum, receipt_total, vat_of
from webkassa_testkit import CASHBOX, D, line, make_client, new_number, pay, sale


def values(result):
    return [print_line.value for print_line in result.print_lines]


def test_vat_16_and_rounding_follow_the_spec():
    # Tax = round2(sum x p / (100 + p)), half away from zero (spec 3.2 examples and 16 % from 2026).
    assert vat_of(D(500), 16) == D("68.97")
    assert vat_of(D(500), 12) == D("53.57")
    assert vat_of(D(19000), 12) == D("2035.71")
    assert vat_of(D(935), 12) == D("100.18")  # the captured RoundType 2 receipt
    assert vat_of(D(500), None) == 0
    weighed = line("Сыр", quantity="4.630", price="202.00")
    assert position_sum(weighed, round_type=2) == D(935)  # every item to whole tenge (default)
    assert position_sum(weighed, round_type=0) == D("935.26")
    assert position_sum(line(quantity=1, price="2.50"), round_type=2) == D(3)  # not banker's 2
    assert position_sum(line(quantity=1, price="-2.50"), round_type=2) == D(-3)
    receipt = sale(line(quantity=1, price="10.40"), line(quantity=1, price="10.40"))
    assert receipt_total(receipt, round_type=3) == D(21)  # items to tiyn, total to tenge
    assert receipt_total(receipt, round_type=0) == D("20.80")


def test_cash_sale_returns_the_fiscal_data_of_the_printed_receipt(sim, client):
    receipt = sale(
        line("Вода 1 л", 2, 250, code="W1"),
        line("Хлеб", 1, 1000),
        payments=[pay("cash", 1500)],
        order_number="POS/0001",
    )
    body, total, change = build_check_body(receipt, client.config)
    assert [position["Tax"] for position in body["Positions"]] == [68.97, 137.93]
    assert all(position["TaxType"] == 100 and position["TaxPercent"] == 16 for position in body["Positions"])
    assert (total, change) == (D(1500), D(0))

    result = client.send_receipt(receipt)

    assert re.fullmatch(r"\d{9,13}", result.check_number)
    assert result.total == D(1500) and not result.duplicate and not result.offline_mode
    assert result.registration_number == "660000000001" and result.cashbox_unique_number == CASHBOX
    assert (result.shift_number, result.check_order_number) == (1, 1)
    assert result.date_time.utcoffset().total_seconds() == 5 * 3600
    assert result.ticket_url.startswith(f"http://consumer.wofd.kz?i={result.check_number}&f=660000000001&s=1500.00&t=")
    assert result.ofd_name and result.taxpayer_in == "150740000001" and result.identity_number == "748"
    printed = values(result)
    assert "ФИСКАЛДЫҚ ЧЕК / ФИСКАЛЬНЫЙ ЧЕК" in printed
    assert any("НДС 16%" in value and value.endswith("206.90") for value in printed)
    assert any("POS/0001" in value for value in printed)
    assert [pl.value for pl in result.print_lines if pl.kind == 2] == [result.ticket_url]  # the QR code
    box = sim.summary()["Cashboxes"][CASHBOX]
    assert (box["Receipts"], box["SumInCashbox"]) == (1, D(1500))


def test_mixed_payment_card_kaspi_cash_with_change(sim, client):
    receipt = sale(line("Кофе", 1, 2000), payments=[pay("card", 1000), pay("kaspi", 300), pay("cash", 1000)])
    result = client.send_receipt(receipt)

    document = sim.receipts()[-1]
    assert document["payments"] == {1: D(1000), 4: D(300), 0: D(1000)}  # Kaspi -> mobile payment (4)
    assert (document["total"], document["change"]) == (D(2000), D(300))
    assert result.total == D(2000)
    assert sim.summary()["Cashboxes"][CASHBOX]["SumInCashbox"] == D(700)  # cash kept = 1000 - 300 change


def test_kaspi_as_card_setting_and_same_type_payments_are_merged(sim, client_factory):
    client = client_factory(kaspi_payment_type=1)  # the accounting decision of spec 10.9
    client.send_receipt(sale(line("Кофе", 1, 2000), payments=[pay("card", 500), pay("kaspi", 1500)]))
    assert sim.receipts()[-1]["payments"] == {1: D(2000)}


def test_non_cash_over_total_is_refused_before_sending(sim, client):
    before = sim.request_counts["check"]
    with pytest.raises(FiscalValidationError) as caught:
        client.send_receipt(sale(line("Кофе", 1, 2000), payments=[pay("card", 2500)]))
    assert caught.value.code == "fiscal_invalid_receipt"
    assert "exceed" in caught.value.message
    with pytest.raises(FiscalValidationError):
        client.send_receipt(sale(line("Кофе", 1, 2000), payments=[pay("cash", 1500)]))
    assert sim.request_counts["check"] == before


def test_discounts_markups_and_receipt_modifiers_pass_the_simulator_checks(sim, client):
    receipt = sale(
        line("Сыр", "0.463", 2020, unit_code=166),  # 935.26 -> 935 (RoundType 2)
        line("Торт", 1, 5000, discount=D("499.50")),  # 5000 - 500 (discount rounded too)
        line("Без НДС", 2, 150, vat_percent=None),
        modifiers=(ReceiptModifier(ModifierKind.DISCOUNT, D(100), "Card discount"),),
        payments=[pay("cash", 6000)],
    )
    result = client.send_receipt(receipt)
    assert result.total == D(935 + 4500 + 300 - 100)
    assert sim.receipts()[-1]["change"] == D(6000) - result.total


def test_return_with_basis_of_the_original_receipt(sim, client):
    original = client.send_receipt(
        sale(line("Чайник", 1, 12000), line("Кружка", 2, 1500), payments=[pay("cash", 15000)])
    )
    basis = ReturnBasis.from_result(original)

    returned = client.send_receipt(
        sale(
            line("Кружка", 1, 1500),
            operation=ReceiptOperation.SALE_RETURN,
            return_basis=basis,
            payments=[pay("cash", 1500)],
        )
    )

    document = sim.receipts()[-1]
    assert document["operation"] == 3 and returned.check_number != original.check_number
    assert any("ВОЗВРАТ ПРОДАЖИ" in value for value in values(returned))
    assert sim.summary()["Cashboxes"][CASHBOX]["SumInCashbox"] == D(13500)
    # The basis may come back from the database as a naive UTC datetime (Odoo's convention).
    naive = ReturnBasis(
        check_number=original.check_number,
        date_time=original.date_time.astimezone(timezone.utc).replace(tzinfo=None),
        registration_number=original.registration_number,
        total=original.total,
    )
    client.send_receipt(sale(line("Кружка", 1, 1500), operation=ReceiptOperation.SALE_RETURN, return_basis=naive))
    assert len(sim.receipts()) == 3


def test_return_needs_a_correct_basis(sim, client):
    original = client.send_receipt(sale(line("Чайник", 1, 12000)))
    with pytest.raises(FiscalValidationError):
        client.send_receipt(sale(line("Чайник", 1, 12000), operation=ReceiptOperation.SALE_RETURN))
    wrong_total = ReturnBasis(
        check_number=original.check_number,
        date_time=original.date_time,
        registration_number=original.registration_number,
        total=D(99),
    )
    with pytest.raises(FiscalRejectedError) as caught:
        client.send_receipt(
            sale(line("Чайник", 1, 12000), operation=ReceiptOperation.SALE_RETURN, return_basis=wrong_total)
        )
    assert caught.value.code == "fiscal_invalid_data"
    assert caught.value.provider_text.startswith("ReturnBasisDetails.Total")
    assert len(sim.receipts()) == 1


def test_cash_in_and_out_keep_the_running_balance(sim, client):
    deposit = client.money_operation(MoneyOperation(new_number(), MoneyOperationKind.DEPOSIT, D(5000)))
    assert (deposit.balance, deposit.shift_number) == (D(5000), 1)  # a cash-in opens the shift
    withdrawal_number = new_number()
    withdrawal = client.money_operation(MoneyOperation(withdrawal_number, MoneyOperationKind.WITHDRAWAL, D(2000)))
    assert withdrawal.balance == D(3000)

    with pytest.raises(FiscalRejectedError) as caught:
        client.money_operation(MoneyOperation(new_number(), MoneyOperationKind.WITHDRAWAL, D(10000)))
    assert (caught.value.code, caught.value.provider_code) == ("fiscal_not_enough_cash", 8)

    again = client.money_operation(MoneyOperation(withdrawal_number, MoneyOperationKind.WITHDRAWAL, D(2000)))
    assert again.duplicate and again.balance == D(3000)  # the original answer, not a second withdrawal
    box = sim.summary()["Cashboxes"][CASHBOX]
    assert (box["MoneyOperations"], box["SumInCashbox"]) == (2, D(3000))


def test_x_report_reads_and_z_report_closes_the_shift(sim, client):
    with pytest.raises(FiscalNotFoundError) as caught:
        client.x_report()
    assert caught.value.code == "fiscal_no_open_shift"
    assert not client.shift_state().is_open

    client.money_operation(MoneyOperation(new_number(), MoneyOperationKind.DEPOSIT, D(1000)))
    client.send_receipt(sale(line("Хлеб", 2, 250)))
    client.send_receipt(sale(line("Молоко", 1, 700), payments=[pay("card", 700)]))
    x_report = client.x_report()
    assert (x_report.kind, x_report.shift_number, x_report.sell_count, x_report.sell_total) == ("X", 1, 2, D(1200))
    assert (x_report.sum_in_cashbox, x_report.put_money_sum, x_report.document_count) == (D(1500), D(1000), 3)
    state = client.shift_state()
    assert state.is_open and state.shift_number == 1 and 0 <= state.hours_open < 1

    z_report = client.z_report()
    assert (z_report.kind, z_report.shift_number, z_report.sell_count) == ("Z", 1, 2)
    assert z_report.close_on and not z_report.already_closed
    assert not client.shift_state().is_open
    assert client.z_report().already_closed  # nothing to close: success, not an error

    next_sale = client.send_receipt(sale())
    assert (next_sale.shift_number, next_sale.check_order_number) == (2, 1)
    assert client.x_report().sum_in_cashbox == D(2000)  # cash carries over between shifts


def test_z_report_resent_with_its_number_returns_the_same_report(sim, client):
    client.send_receipt(sale())
    number = new_number()
    first = client.z_report(number)
    again = client.z_report(number)
    assert again.shift_number == first.shift_number == 1 and again.report_number == first.report_number


def test_58mm_paper_and_offline_mode(sim, client_factory):
    client = client_factory(paper_kind=3)
    online = client.send_receipt(sale())
    assert max(len(value) for value in values(online) if set(value) == {"-"}) == 32

    sim.set_ofd_online(False)
    offline = client.send_receipt(sale())
    assert offline.offline_mode and offline.cashbox_offline_mode
    assert any("автономном режиме" in value for value in values(offline))
    assert re.fullmatch(r"\d{9,13}", offline.check_number)  # Webkassa makes the sign itself

    sim.set_ofd_online(True)
    back = client.send_receipt(sale())
    assert not back.offline_mode and not back.cashbox_offline_mode
    assert sim.summary()["Cashboxes"][CASHBOX]["OfflineNotSent"] == 0


def test_return_of_an_offline_receipt_carries_is_offline(sim, client):
    sim.set_ofd_online(False)
    original = client.send_receipt(sale(line("Чайник", 1, 12000)))
    sim.set_ofd_online(True)
    basis = ReturnBasis.from_result(original)
    assert basis.is_offline
    client.send_receipt(sale(line("Чайник", 1, 12000), operation=ReceiptOperation.SALE_RETURN, return_basis=basis))
    assert sim.receipts()[-1]["operation"] == 3


def test_config_repr_hides_secrets(sim):
    config = make_client(sim).config
    assert isinstance(config, WebkassaConfig)
    assert config.password not in repr(config) and config.api_key not in repr(config)
