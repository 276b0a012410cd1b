"""Fixtures of the Webkassa tests: a simulator on a free port of 127.0.0.1 per test, and clients
sharing one token cache per test (as every client of one login shares it in a real process)."""

import pytest

from webkassa_testkit import TokenCache, WebkassaSimulator, make_client


@pytest.fixture
def sim():
    simulator = WebkassaSimulator("127.0.0.1", 0, seed=14).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def tokens():
    return TokenCache()


@pytest.fixture
def client_factory(sim, tokens):
    def build(**overrides):
        return make_client(sim, tokens=tokens, **overrides)

    return build


@pytest.fixture
def client(client_factory):
    return client_factory()
