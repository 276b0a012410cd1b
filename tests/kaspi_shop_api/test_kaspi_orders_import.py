"""Importing orders: windows, pages, passes per state, deduplication, re-import, mapping."""

from datetime import date, datetime, timedelta, timezone

import pytest
import requests
from shop_api import ALMATY, STATES, KaspiShopClient, from_ms, to_ms
from shop_api.simulator import DEFAULT_TOKEN, JSONAPI, MAX_WINDOW_MS


def listings(sim):
    return [r for r in sim.requests if r.method == "GET" and r.path == "/orders"]


def window_of(record):
    query = record.query
    return int(query["filter[orders][creationDate][$ge]"]), int(query["filter[orders][creationDate][$le]"])


def test_three_pages_in_overlapping_windows_give_each_order_once(make_sim, make_client):
    sim = make_sim(orders=300, span_days=20)
    client = make_client(sim, window_overlap=timedelta(days=2))

    batch = client.fetch_orders(sim.start_ms, sim.end_ms, states=None)

    ids = [order.id for order in batch.orders]
    assert len(ids) == len(set(ids)) == 300
    assert set(ids) == sim.order_ids(sim.start_ms, sim.end_ms)
    assert batch.received > 300, "the two days shared by both windows came twice and were deduplicated"
    windows = sorted({window_of(r) for r in listings(sim)})
    assert len(windows) == 2
    assert windows[0][0] == sim.start_ms and windows[-1][1] == sim.end_ms
    assert all(le - ge <= MAX_WINDOW_MS for ge, le in windows)
    assert windows[1][0] == windows[0][1] - 2 * 24 * 3600 * 1000, "the second window starts 2 days early"
    first_window_pages = sorted(int(r.query["page[number]"]) for r in listings(sim) if window_of(r) == windows[0])
    assert first_window_pages == [0, 1, 2]
    assert {r.query["page[size]"] for r in listings(sim)} == {"100"}
    # Entries came with the orders (include[orders]=entries): one request per page, none per order.
    assert batch.requests == batch.pages == len(listings(sim)) == 5
    assert batch.entries == 600 and all(len(order.entries) == 2 for order in batch.orders)
    assert [o.creation_ms for o in batch.orders] == sorted(o.creation_ms for o in batch.orders)
    assert batch.complete


def test_one_pass_per_state_in_lifecycle_order(sim, client):
    batch = client.fetch_orders(sim.start_ms, sim.end_ms)

    assert {o.id for o in batch.orders} == sim.order_ids(sim.start_ms, sim.end_ms)
    assert [r.query["filter[orders][state]"] for r in listings(sim)] == list(STATES)
    assert all(order.state == sim.order(order.id)["state"] for order in batch.orders)


def test_reimport_of_the_same_window_gives_the_same_orders(sim, client):
    first = client.fetch_orders(sim.start_ms, sim.end_ms)
    second = client.fetch_orders(sim.start_ms, sim.end_ms)

    assert second.orders == first.orders
    assert second.requests == first.requests
    assert len(second.orders) == 40


def test_status_changed_by_kaspi_is_seen_on_the_next_import(sim, client):
    client.fetch_orders(sim.start_ms, sim.end_ms)
    new_id = sim.find_order(state="NEW")
    pickup_id = sim.find_order(state="PICKUP", status="ACCEPTED_BY_MERCHANT")
    sim.set_status(new_id, "CANCELLED", state="ARCHIVE", cancellationReason="BUYER_CANCELLATION_BY_MERCHANT")
    sim.set_status(pickup_id, "COMPLETED", state="ARCHIVE")

    orders = {o.id: o for o in client.fetch_orders(sim.start_ms, sim.end_ms).orders}

    assert (orders[new_id].state, orders[new_id].status) == ("ARCHIVE", "CANCELLED")
    assert orders[new_id].cancellation_reason == "BUYER_CANCELLATION_BY_MERCHANT"
    assert orders[new_id].is_final and orders[pickup_id].is_final
    assert orders[pickup_id].status == "COMPLETED"
    assert len(orders) == 40


def test_orders_map_to_dataclasses_with_entries_products_and_customer(sim, client):
    batch = client.fetch_orders(sim.start_ms, sim.end_ms, include=("entries", "user"))
    order = batch.orders[0]
    held = sim.order(order.id)

    assert order.code == held["code"]
    assert order.total_price == pytest.approx(sum(e.total_price for e in order.entries))
    assert order.creation_date.tzinfo == ALMATY and to_ms(order.creation_date) == held["creationDate"]
    assert order.customer.first_name == held["customer"]["firstName"]
    # Kaspi sends 10- and 11-digit phones; both become E.164.
    phones = {o.customer.cell_phone: o.customer.phone for o in batch.orders}
    assert {len(raw) for raw in phones} == {10, 11}
    assert all(phone == "+7" + raw[-10:] for raw, phone in phones.items())

    entry = order.entries[0]
    assert entry.offer_code.startswith("SKU-") and entry.point_of_service_id.endswith(("_PP1", "_PP2"))
    assert client.get_entries(order.id) == list(order.entries)
    product = client.get_entry_product(entry.id)
    assert product.code == sim.products[entry.product_id]["code"]
    assert client.get_merchant_product(product.id).code == entry.offer_code, "the offer code is the merchant's SKU"

    assert client.get_order(order.id) == order
    assert client.get_order_by_code(order.code).id == order.id
    assert client.get_order_by_code("999999999") is None


def test_a_new_order_arriving_between_two_pages_is_not_lost(make_sim, make_client):
    sim = make_sim(orders=60, span_days=5)
    client = make_client(sim, page_size=10)
    sim.change_during_listing("insert", after_page=0)

    batch = client.fetch_orders(sim.start_ms, sim.end_ms, states=None)

    ids = [o.id for o in batch.orders]
    assert len(ids) == len(set(ids)) == 61, "the shifted page repeated an order: kept once"
    assert set(ids) == sim.order_ids(sim.start_ms, sim.end_ms)
    assert batch.rewalks == 1 and batch.complete


def test_an_order_leaving_its_state_between_two_pages_is_not_lost(make_sim, make_client):
    sim = make_sim(orders=80, span_days=5)
    client = make_client(sim, page_size=5)
    sim.change_during_listing("remove", after_page=0)

    batch = client.fetch_orders(sim.start_ms, sim.end_ms)

    ids = [o.id for o in batch.orders]
    assert len(ids) == len(set(ids)) == 80
    assert set(ids) == sim.order_ids(sim.start_ms, sim.end_ms)
    assert batch.rewalks >= 1 and batch.complete
    # The accepted order was met in NEW and again in its new tab: the latest version is kept.
    assert all((o.state, o.status) == (sim.order(o.id)["state"], sim.order(o.id)["status"]) for o in batch.orders)


def test_without_a_rewalk_a_moving_listing_is_reported_incomplete(make_sim, make_client):
    """The check behind the previous test: the shift really skips an order, and the client
    says so instead of letting the caller advance its cursor."""
    sim = make_sim(orders=80, span_days=5)
    client = make_client(sim, page_size=5, max_rewalks=0)
    sim.change_during_listing("remove", after_page=0)

    batch = client.fetch_orders(sim.start_ms, sim.end_ms, states=("NEW",))

    assert not batch.complete
    missed = sim.order_ids(sim.start_ms, sim.end_ms, state="NEW") - {o.id for o in batch.orders}
    assert len(missed) == 1, "the order that slid from page 1 onto page 0 was never served"


def test_kaspi_limits_are_enforced(sim):
    headers = {"X-Auth-Token": DEFAULT_TOKEN, "Accept": JSONAPI, "Content-Type": JSONAPI}
    params = {"page[number]": 0, "page[size]": 100, "filter[orders][creationDate][$ge]": sim.start_ms}

    too_long = requests.get(
        f"{sim.base_url}/orders",
        params={**params, "filter[orders][creationDate][$le]": sim.start_ms + MAX_WINDOW_MS + 1},
        headers=headers,
        timeout=5,
    )
    no_start = requests.get(
        f"{sim.base_url}/orders", params={"page[number]": 0, "page[size]": 10}, headers=headers, timeout=5
    )
    too_big = requests.get(f"{sim.base_url}/orders", params={**params, "page[size]": 101}, headers=headers, timeout=5)

    assert too_long.status_code == 400 and too_long.json()["errors"][0]["title"] == "Maximum search period is 14 days"
    assert no_start.status_code == 400
    assert no_start.json()["errors"][0]["title"] == "Required filter [orders][creationDate][$ge] is empty"
    assert too_big.status_code == 400
    with pytest.raises(ValueError):
        KaspiShopClient(DEFAULT_TOKEN, page_size=101)
    with pytest.raises(ValueError):
        KaspiShopClient(DEFAULT_TOKEN, window=timedelta(days=15))


def test_kaspi_dates_are_unambiguous():
    march_8_almaty = 1741374000000  # 2025-03-08 00:00 in Almaty (UTC+5) = 2025-03-07 19:00 UTC
    assert to_ms(date(2025, 3, 8)) == march_8_almaty, "a day is an Almaty day"
    assert to_ms(datetime(2025, 3, 7, 19, 0, tzinfo=timezone.utc)) == march_8_almaty
    assert from_ms(march_8_almaty) == datetime(2025, 3, 8, tzinfo=ALMATY)
    with pytest.raises(ValueError):
        to_ms(datetime(2025, 3, 8))  # naive: UTC for Odoo, Almaty for Kaspi; refused
