"""Status changes: each action's happy path, and Kaspi's refusals reaching the caller with
Kaspi's own message (state changes are irreversible)."""

import pytest
from shop_api import KaspiRefusedError


def pick(sim, **conditions):
    order_id = sim.find_order(**conditions)
    return order_id, sim.order(order_id)["code"]


def posts(sim):
    return sim.request_count("POST", "/orders")


def test_accept_a_new_order(sim, client):
    order_id, code = pick(sim, state="NEW", status="APPROVED_BY_BANK", kind="pickup")

    change = client.accept(order_id, code)

    assert (change.order_id, change.code, change.status) == (order_id, code, "ACCEPTED_BY_MERCHANT")
    assert sim.order(order_id)["state"] == "PICKUP", "accepted pickup orders move to the PICKUP tab"
    assert client.get_order(order_id).status == "ACCEPTED_BY_MERCHANT"


def test_accepting_twice_is_refused_with_kaspi_message(sim, client):
    order_id, code = pick(sim, state="NEW", status="APPROVED_BY_BANK")
    client.accept(order_id, code)

    with pytest.raises(KaspiRefusedError) as refused:
        client.accept(order_id, code)

    assert refused.value.http_status == 400
    assert refused.value.kaspi_message == "Order in status ACCEPTED_BY_MERCHANT can't be accepted."
    assert refused.value.kaspi_message in str(refused.value)


def test_an_order_awaiting_the_buyer_signature_cannot_be_accepted(sim, client):
    order_id = sim.add_order(sim.start_ms + 1000, state="SIGN_REQUIRED")
    code = sim.order(order_id)["code"]

    with pytest.raises(KaspiRefusedError, match="signature"):
        client.accept(order_id, code)
    assert sim.order(order_id)["status"] == "APPROVED_BY_BANK"


def test_cancel_with_reason_and_comment(sim, client):
    order_id, code = pick(sim, state="NEW", status="APPROVED_BY_BANK")

    change = client.cancel(order_id, code, "MERCHANT_OUT_OF_STOCK", comment="Нет в наличии")

    assert change.status == "CANCELLED"
    held = sim.order(order_id)
    assert (held["state"], held["cancellationReason"], held["cancellationComment"]) == (
        "ARCHIVE",
        "MERCHANT_OUT_OF_STOCK",
        "Нет в наличии",
    )


def test_a_wrong_cancellation_is_caught_before_calling_kaspi(sim, client):
    order_id, code = pick(sim, state="NEW")

    with pytest.raises(ValueError):
        client.cancel(order_id, code, "CHANGED_MY_MIND")
    with pytest.raises(ValueError):
        client.cancel(order_id, code, "MERCHANT_OUT_OF_STOCK", comment="x" * 1001)
    assert posts(sim) == 0


def test_final_states_are_irreversible(sim, client):
    completed_id, completed_code = pick(sim, status="COMPLETED")
    cancelled_id, cancelled_code = pick(sim, status="CANCELLED")

    with pytest.raises(KaspiRefusedError) as cancel_completed:
        client.cancel(completed_id, completed_code, "BUYER_CANCELLATION_BY_MERCHANT")
    with pytest.raises(KaspiRefusedError) as accept_cancelled:
        client.accept(cancelled_id, cancelled_code)

    assert cancel_completed.value.kaspi_message == "Order already has been completed, so it can't be cancelled."
    assert accept_cancelled.value.kaspi_message == "Order is cancelled, so it can't be accepted."
    assert sim.order(completed_id)["status"] == "COMPLETED" and sim.order(cancelled_id)["status"] == "CANCELLED"


def test_assemble_a_kaspi_delivery_order(sim, client):
    order_id, code = pick(sim, state="KASPI_DELIVERY", status="ACCEPTED_BY_MERCHANT")

    change = client.assemble(order_id, code, parcels=2)

    assert change.assembled is True and change.status == "ACCEPTED_BY_MERCHANT"
    order = client.get_order(order_id)
    assert order.assembled and order.waybill_number and order.waybill.endswith(".pdf")
    assert sim.orders[order_id].number_of_space == 2
    with pytest.raises(KaspiRefusedError, match="already assembled"):
        client.assemble(order_id, code, parcels=1)


def test_only_kaspi_delivery_orders_are_assembled(sim, client):
    order_id, code = pick(sim, state="PICKUP", status="ACCEPTED_BY_MERCHANT")

    with pytest.raises(KaspiRefusedError, match="Only Kaspi Delivery orders are assembled"):
        client.assemble(order_id, code, parcels=1)
    with pytest.raises(ValueError):
        client.assemble(order_id, code, parcels=0)


def test_preorder_arrived_then_completed(sim, client):
    order_id, code = pick(sim, state="PICKUP", status="ACCEPTED_BY_MERCHANT")
    sim.set_status(order_id, "ACCEPTED_BY_MERCHANT", preOrder=True)

    with pytest.raises(KaspiRefusedError, match="have not arrived"):
        client.send_completion_code(order_id, code)
    client.mark_arrived(order_id, code)
    with pytest.raises(KaspiRefusedError, match="already arrived"):
        client.mark_arrived(order_id, code)

    client.send_completion_code(order_id, code)
    assert client.complete(order_id, code, sim.sms_code(order_id)).status == "COMPLETED"


def test_arrived_is_refused_for_an_order_that_is_not_a_preorder(sim, client):
    order_id, code = pick(sim, state="PICKUP", status="ACCEPTED_BY_MERCHANT", preOrder=False)

    with pytest.raises(KaspiRefusedError, match="Only pre-orders"):
        client.mark_arrived(order_id, code)


def test_complete_takes_the_buyer_code_in_two_steps(sim, client):
    order_id, code = pick(sim, state="PICKUP", status="ACCEPTED_BY_MERCHANT", preOrder=False)

    with pytest.raises(KaspiRefusedError, match="not sent"):
        client.complete(order_id, code, "0000")
    client.send_completion_code(order_id, code)
    buyer_code = sim.sms_code(order_id)
    assert buyer_code and sim.order(order_id)["status"] == "ACCEPTED_BY_MERCHANT", "step 1 changes nothing"
    with pytest.raises(KaspiRefusedError) as wrong:
        client.complete(order_id, code, "9" + buyer_code[1:] if buyer_code[0] != "9" else "0" + buyer_code[1:])
    assert wrong.value.kaspi_message == "Security code is not valid. And the order cannot be completed without it"

    change = client.complete(order_id, code, buyer_code)

    assert change.status == "COMPLETED" and sim.order(order_id)["state"] == "ARCHIVE"
    with pytest.raises(KaspiRefusedError) as again:
        client.complete(order_id, code, buyer_code)
    assert again.value.kaspi_message == "Order already has been completed, so it can't be completed again."
    with pytest.raises(ValueError):
        client.complete(order_id, code, "")


def test_returned_goods_arrived_back(sim, client):
    order_id, code = pick(sim, state="KASPI_DELIVERY", status="ACCEPTED_BY_MERCHANT")
    sim.set_status(order_id, "KASPI_DELIVERY_RETURN_REQUESTED")

    assert client.mark_return_arrived(order_id, code).status == "RETURNED"
    with pytest.raises(KaspiRefusedError, match="not being returned"):
        client.mark_return_arrived(order_id, code)


def test_a_change_whose_answer_was_lost_is_not_reported_as_refused(sim, client):
    """Kaspi applied the accept but the answer was a 500: the retry is refused ("already
    accepted"), the client re-reads the order, sees it accepted, and reports success."""
    order_id, code = pick(sim, state="NEW", status="APPROVED_BY_BANK")
    sim.fail_next(500, method="POST", path="/orders", apply_first=True)

    change = client.accept(order_id, code)

    assert change.status == "ACCEPTED_BY_MERCHANT"
    assert posts(sim) == 2 and sim.request_count("GET", f"/orders/{order_id}") == 1
    assert len(client._sleep) == 1


def test_a_real_refusal_after_a_lost_answer_is_still_raised(sim, client):
    order_id = sim.add_order(sim.start_ms + 1000, state="SIGN_REQUIRED")
    code = sim.order(order_id)["code"]
    sim.fail_next(500, method="POST", path="/orders", apply_first=True)

    with pytest.raises(KaspiRefusedError, match="signature") as refused:
        client.accept(order_id, code)
    assert refused.value.after_ambiguous_retry
