"""Fixtures of the device proxy tests: the proxy, the Kaspi terminal simulator and the printer
simulator, each on a free port of 127.0.0.1, started per test and stopped after it."""

import pytest
from proxy_testkit import (
    FAST_TERMINAL,
    PAIRING_CODE,
    EscposPrinterSimulator,
    KaspiTerminalSimulator,
    ProxyHandle,
    proxy_config,
)


@pytest.fixture
def printer_sim():
    started = []

    def start(paper_dots=576, mode="online"):
        sim = EscposPrinterSimulator("127.0.0.1", 0, paper_dots=paper_dots, mode=mode).start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


@pytest.fixture
def terminal_sim():
    started = []

    def start(**kwargs):
        kwargs.setdefault("step", 0.1)
        kwargs.setdefault("port", 0)
        sim = KaspiTerminalSimulator("127.0.0.1", **kwargs).start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


@pytest.fixture
def make_proxy(tmp_path):
    started = []

    def start(printers=None, terminal=None, pair=True, **top):
        data = {
            "listen": {"host": "127.0.0.1", "port": 0, **top.pop("listen", {})},
            "pairing": {"code": PAIRING_CODE},
            "state_dir": str(tmp_path / "state"),
            "printers": printers or {},
            **top,
        }
        if terminal is not None:
            data["terminal"] = {**FAST_TERMINAL, **terminal}
        cfg = proxy_config.from_dict(data, base_dir=str(tmp_path))
        handle = ProxyHandle(cfg)
        started.append(handle)
        if pair:
            handle.client.pair()
        return handle

    yield start
    for handle in started:
        handle.stop()
