"""Fixtures of the Kaspi Shop API client tests: a simulator on a free port of 127.0.0.1 per
test, and clients on it that back off without waiting (the pauses they would make are kept).

``shop_api`` sits inside the Odoo addon but imports no Odoo: it is put on the path directly, so
that these tests run with plain pytest, without Odoo or a database."""

import random
import sys
from datetime import timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "addons" / "clever_pos_kaspi"))

from shop_api import KaspiShopClient  # noqa: E402
from shop_api.simulator import DEFAULT_TOKEN, KaspiShopSimulator  # noqa: E402


@pytest.fixture
def make_sim():
    started = []

    def start(**kwargs):
        sim = KaspiShopSimulator("127.0.0.1", 0, **kwargs).start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


@pytest.fixture
def sim(make_sim):
    return make_sim(orders=40, span_days=10)


class SleepRecorder(list):
    """Stands in for time.sleep: records the backoff pauses instead of waiting."""

    def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture
def make_client():
    clients = []

    def create(sim, token=DEFAULT_TOKEN, **kwargs):
        kwargs.setdefault("timeout", (2.0, 5.0))
        kwargs.setdefault("sleep", SleepRecorder())
        kwargs.setdefault("rng", random.Random(7))
        kwargs.setdefault("window_overlap", timedelta(hours=6))
        client = KaspiShopClient(token, base_url=sim.base_url, **kwargs)
        clients.append(client)
        return client

    yield create
    for client in clients:
        client.close()


@pytest.fixture
def client(sim, make_client):
    return make_client(sim)
