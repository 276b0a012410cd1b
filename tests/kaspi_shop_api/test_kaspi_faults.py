"""Kaspi misbehaving: 429 and 5xx retried with backoff (bounded), timeouts, 401, 406."""

import pytest
import requests
from shop_api import AuthError, KaspiRefusedError, KaspiUnavailableError
from shop_api.simulator import DEFAULT_TOKEN, JSONAPI


def import_all(sim, client):
    return client.fetch_orders(sim.start_ms, sim.end_ms, states=None)


def test_429_is_retried_with_growing_jittered_backoff(sim, make_client):
    client = make_client(sim, backoff_base=0.2)
    sim.fail_next(429, count=2, path="/orders")

    batch = import_all(sim, client)

    assert {o.id for o in batch.orders} == sim.order_ids(sim.start_ms, sim.end_ms)
    assert sim.request_count("GET", "/orders") == batch.pages + 2
    assert batch.requests == batch.pages + 2 and batch.retries == 2
    first, second = client._sleep
    assert 0.1 <= first <= 0.2 and 0.2 <= second <= 0.4, "step doubles; pause drawn in [step/2, step]"


def test_retry_after_of_a_429_is_respected(sim, make_client):
    client = make_client(sim, backoff_base=0.2)
    sim.fail_next(429, path="/orders", retry_after=3)

    import_all(sim, client)

    assert client._sleep == [3.0]


def test_500_is_retried(sim, make_client):
    client = make_client(sim, backoff_base=0.5)
    sim.fail_next(500, count=3, path="/orders")

    batch = import_all(sim, client)

    assert len(batch.orders) == 40
    assert sim.request_count("GET", "/orders") == batch.pages + 3
    assert [round(s, 3) for s in client._sleep] == sorted(round(s, 3) for s in client._sleep)
    assert 0.25 <= client._sleep[0] <= 0.5 and 1.0 <= client._sleep[2] <= 2.0


def test_retries_are_bounded(sim, make_client):
    client = make_client(sim, max_retries=3)
    sim.fail_next(503, count=100, path="/orders")

    with pytest.raises(KaspiUnavailableError, match="after 4 attempts"):
        import_all(sim, client)
    assert sim.request_count("GET", "/orders") == 4 and len(client._sleep) == 3


def test_a_timeout_is_retried(sim, make_client):
    client = make_client(sim, timeout=(1.0, 0.3))
    sim.delay_next(1.0, path="/orders")

    batch = import_all(sim, client)

    assert len(batch.orders) == 40
    assert batch.requests == batch.pages + 1 and batch.retries == 1


def test_timeouts_that_persist_end_in_unavailable(sim, make_client):
    client = make_client(sim, timeout=(1.0, 0.2), max_retries=1)
    sim.delay_next(0.6, count=2, path="/orders")

    with pytest.raises(KaspiUnavailableError, match="timeout") as unavailable:
        import_all(sim, client)
    assert unavailable.value.__cause__ is None and unavailable.value.__context__ is None


def test_a_wrong_token_raises_auth_error_without_retrying(sim, make_client):
    client = make_client(sim, token="wrong-token-123456")

    with pytest.raises(AuthError) as denied:
        import_all(sim, client)

    assert denied.value.http_status == 401
    assert sim.request_count() == 1 and client._sleep == []
    assert "wrong-token-123456" not in str(denied.value)
    assert denied.value.kaspi_message == "Invalid token ***", "the token Kaspi echoed was masked"


def test_accept_header_is_required(sim, make_client):
    url = f"{sim.base_url}/orders"
    params = {
        "page[number]": 0,
        "page[size]": 10,
        "filter[orders][creationDate][$ge]": sim.start_ms,
        "filter[orders][creationDate][$le]": sim.end_ms,
    }
    headers = {"X-Auth-Token": DEFAULT_TOKEN, "Content-Type": JSONAPI}

    without = requests.get(url, params=params, headers=headers, timeout=5)  # requests sends Accept: */*
    with_accept = requests.get(url, params=params, headers={**headers, "Accept": JSONAPI}, timeout=5)

    assert without.status_code == 406
    assert with_accept.status_code == 200

    session = requests.Session()
    client = make_client(sim, session=session)
    session.headers["Accept"] = "*/*"  # e.g. a proxy or a later change overriding the header
    with pytest.raises(KaspiRefusedError) as refused:
        import_all(sim, client)
    assert refused.value.http_status == 406


def test_the_client_sends_json_api_headers_and_a_browser_user_agent(sim, client):
    import_all(sim, client)
    order_id = sim.find_order(state="NEW")
    client.accept(order_id, sim.order(order_id)["code"])

    assert sim.requests
    for record in sim.requests:
        assert record.token_ok
        assert record.accept == JSONAPI and record.content_type == JSONAPI
        assert record.user_agent.startswith("Mozilla/5.0 (")
