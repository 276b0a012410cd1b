"""The API token never reaches a log record or an exception's text."""

import logging
import traceback

from shop_api import KaspiError

SECRET = "tok-SECRET-4f9a1c2e7b55"
WRONG = "tok-WRONG-0d3e9a6b1c77"


def test_the_token_is_never_in_logs_or_errors(make_sim, make_client, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's included
    sim = make_sim(orders=30, span_days=5, token=SECRET)
    client = make_client(sim, token=SECRET, timeout=(1.0, 0.3), max_retries=3)
    errors = []

    def attempt(call, *args):
        try:
            call(*args)
        except KaspiError as error:
            errors.append(error)

    sim.fail_next(429, path="/orders")
    sim.fail_next(500, path="/orders")
    sim.delay_next(0.8, path="/orders")
    batch = client.fetch_orders(sim.start_ms, sim.end_ms, states=None)
    completed = sim.find_order(status="COMPLETED")
    attempt(client.accept, completed, sim.order(completed)["code"])  # refused
    sim.fail_next(500, count=10, path="/orders/")
    attempt(client.get_order, completed)  # retries exhausted
    wrong = make_client(sim, token=WRONG)
    attempt(wrong.fetch_orders, sim.start_ms, sim.end_ms)  # 401, Kaspi echoes the token

    assert len(batch.orders) == 30 and len(errors) == 3
    assert batch.retries == 3 and "retry" in caplog.text and "urllib3" in {r.name.split(".")[0] for r in caplog.records}
    texts = [caplog.text, repr(client), repr(wrong)]
    for record in caplog.records:
        texts.append(record.getMessage())
        texts.extend(str(arg) for arg in record.args or ())
    for error in errors:
        texts += [str(error), repr(error), str(error.kaspi_message), "".join(traceback.format_exception(error))]
    for text in texts:
        assert SECRET not in text and WRONG not in text
