"""The proxy as the browser sees it: the POS's /hw_proxy routes, CORS, pairing, keys, where it
listens, and the one command that starts it (as an unprivileged process)."""

import json
import os
import signal
import socket
import subprocess
import sys

import pytest
from proxy_testkit import ORIGIN, PAIRING_CODE, PROXY_DIR, ProxyClient

from clever_proxy import cli
from clever_proxy import config as proxy_config
from clever_proxy.pairing import normalize_origin

OTHER = "https://evil.example.com"


def test_hw_proxy_routes_answer_as_the_pos_expects(make_proxy):
    proxy = make_proxy()
    client = proxy.client
    status, body, headers = client.request("GET", "/hw_proxy/hello")
    assert status == 200 and body == b"ping"
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    status, answer, headers = client.rpc("/hw_proxy/handshake")
    assert status == 200 and answer == {"jsonrpc": "2.0", "id": 7, "result": True}
    assert headers["Access-Control-Allow-Origin"] == ORIGIN and headers["Vary"] == "Origin"
    drivers = client.result("/hw_proxy/status_json")
    assert drivers["printer"]["status"] == "disconnected"
    # GET on a JSON-RPC route, unknown route, broken JSON
    assert client.request("GET", "/hw_proxy/handshake")[0] == 405
    status, answer, _ = client.rpc("/hw_proxy/nope")
    assert status == 404 and answer["error"]["data"]["code"] == "not_found"
    status, raw, _ = client.request("POST", "/hw_proxy/handshake", None,
                                    {"Content-Type": "application/json", "X-Clever-Proxy-Key": client.key})
    assert status == 200  # an empty body is an empty call
    req_status, raw, _ = _raw_post(proxy.url, "/hw_proxy/handshake", b"{not json", client.key)
    assert req_status == 400 and json.loads(raw)["error"]["data"]["code"] == "bad_request"


def _raw_post(url, path, data, key):
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url + path, data=data, method="POST",
                                 headers={"Content-Type": "application/json", "Origin": ORIGIN,
                                          "X-Clever-Proxy-Key": key})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


def test_preflight_cors_only_for_the_paired_origin(make_proxy):
    proxy = make_proxy()
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-clever-proxy-key",
        "Access-Control-Request-Private-Network": "true",
    }
    status, _, headers = proxy.client.request("OPTIONS", "/hw_proxy/default_printer_action", headers=preflight)
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "x-clever-proxy-key" in headers["Access-Control-Allow-Headers"]
    assert "content-type" in headers["Access-Control-Allow-Headers"]
    assert headers["Access-Control-Allow-Private-Network"] == "true"

    for path in ("/hw_proxy/default_printer_action", "/clever/terminal/pay", "/hw_proxy/hello"):
        status, _, headers = proxy.client.request("OPTIONS", path, headers=preflight, origin=OTHER)
        assert status == 403 and "Access-Control-Allow-Origin" not in headers, path


def test_unpaired_origin_is_refused_even_with_a_valid_key(make_proxy):
    proxy = make_proxy()
    key = proxy.client.key
    status, _, headers = proxy.client.request("GET", "/hw_proxy/hello", origin=OTHER)
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    for path in ("/hw_proxy/handshake", "/hw_proxy/default_printer_action", "/clever/terminal/pay"):
        status, answer, headers = proxy.client.rpc(path, {"data": {"action": "cashbox"}}, key=key, origin=OTHER)
        assert status == 403 and answer["error"]["data"]["code"] == "origin_not_paired", path
        assert "Access-Control-Allow-Origin" not in headers


def test_key_required_and_checked(make_proxy):
    proxy = make_proxy()
    client = proxy.client
    status, answer, headers = client.rpc("/hw_proxy/handshake", key=None)
    assert status == 403 and answer["error"]["data"]["code"] == "key_invalid"
    assert headers["Access-Control-Allow-Origin"] == ORIGIN, "the paired page may read why"
    status, answer, _ = client.rpc("/clever/terminal/status", {"payment_uuid": "x"}, key="wrong")
    assert status == 403 and answer["error"]["data"]["code"] == "key_invalid"
    # administration needs the admin key, the POS key is not enough
    status, answer, _ = client.rpc("/clever/unpair", {}, admin_key="nope")
    assert status == 403 and answer["error"]["data"]["code"] == "admin_key_invalid"
    # a program on the proxy host (no Origin header) with the key is served
    status, answer, headers = client.rpc("/hw_proxy/handshake", origin=None)
    assert status == 200 and answer["result"] is True and "Access-Control-Allow-Origin" not in headers
    # hello is keyless (the POS fetches it without headers)
    assert client.request("GET", "/hw_proxy/hello", origin=None)[0] == 200


def test_register_needs_admin_key(make_proxy):
    proxy = make_proxy(terminal={"host": "127.0.0.1", "port": 9})
    client = ProxyClient(proxy.url, key=proxy.client.key)  # a POS: it has no admin key
    status, answer, _ = client.rpc("/clever/terminal/register", {})
    assert status == 403 and answer["error"]["data"]["code"] == "admin_key_invalid"


def test_stock_pos_mode_without_key(make_proxy):
    proxy = make_proxy(require_key_on_hw_proxy=False)
    status, answer, _ = proxy.client.rpc("/hw_proxy/handshake", key=None)
    assert status == 200 and answer["result"] is True
    status, answer, _ = proxy.client.rpc("/clever/terminal/status", {"payment_uuid": "x"}, key=None)
    assert status == 403, "our own routes always need the key"


def test_pairing_with_the_one_time_code(make_proxy):
    proxy = make_proxy(pair=False, pairing={})  # no fixed code: a generated one, one use
    code = proxy.app.pairing.current_code
    assert code and len(code) == 8
    client = proxy.client
    status, answer, headers = client.rpc("/clever/pair", {"code": "00000000"}, key=None)
    assert status == 403 and answer["error"]["data"]["code"] == "pairing_code_invalid"
    assert headers["Access-Control-Allow-Origin"] == ORIGIN, "the pairing page can read the refusal"
    # the origin is the page's, not a claimed one
    status, answer, _ = client.rpc("/clever/pair", {"code": code, "origin": OTHER}, key=None)
    assert status == 403 and answer["error"]["data"]["code"] == "origin_mismatch"
    keys = client.result("/clever/pair", {"code": f"{code[:4]}-{code[4:]}", "name": "Till 2"}, key=None)
    assert keys["origin"] == ORIGIN and keys["key"] != keys["admin_key"]
    assert "terminal" in keys and "printers" in keys
    # the code is used up
    status, answer, _ = ProxyClient(proxy.url, origin="https://other.example.kz").rpc(
        "/clever/pair", {"code": code}, key=None)
    assert status == 403 and answer["error"]["data"]["code"] == "pairing_code_expired"
    # keys are stored hashed
    stored = proxy.app.store.pairing(ORIGIN)
    assert keys["key"] not in json.dumps(stored) and len(stored["key_hash"]) == 64
    # unpair with the admin key: the origin loses CORS
    client.key, client.admin_key = keys["key"], keys["admin_key"]
    assert client.result("/clever/unpair", {}, admin_key=keys["admin_key"])["unpaired"] is True
    status, _, headers = client.request("GET", "/hw_proxy/hello")
    assert status == 403 and "Access-Control-Allow-Origin" not in headers


def test_second_pc_paired_with_the_keys_odoo_already_holds(make_proxy):
    first = make_proxy()
    second = make_proxy(pair=False, state_dir="state2")
    keys = second.client.result("/clever/pair", {"code": PAIRING_CODE, "key": first.client.key,
                                                 "admin_key": first.client.admin_key}, key=None)
    assert keys["key"] == first.client.key
    assert ProxyClient(second.url, key=first.client.key).result("/hw_proxy/handshake") is True
    status, answer, _ = second.client.rpc("/clever/pair", {"code": PAIRING_CODE, "key": "short"}, key=None)
    assert status == 403 and answer["error"]["data"]["code"] == "invalid_params"


def test_pairing_locks_after_wrong_codes(make_proxy):
    proxy = make_proxy(pair=False)
    for _ in range(5):
        status, answer, _ = proxy.client.rpc("/clever/pair", {"code": "11111111"}, key=None)
        assert answer["error"]["data"]["code"] == "pairing_code_invalid"
    status, answer, _ = proxy.client.rpc("/clever/pair", {"code": PAIRING_CODE}, key=None)
    assert status == 403 and answer["error"]["data"]["code"] == "pairing_locked"


def test_host_header_must_be_an_address_or_allowed(make_proxy):
    """A page that rebinds its own domain name to 127.0.0.1 cannot talk to the proxy."""
    proxy = make_proxy()
    status, _, _ = proxy.client.request("GET", "/hw_proxy/hello", headers={"Host": "rebind.evil.example"},
                                        origin=None)
    assert status == 403
    status, answer, _ = proxy.client.rpc("/hw_proxy/handshake", origin=None)
    assert status == 200
    allowed = make_proxy(listen={"allowed_hosts": ["till1.shop.lan"]})
    status, _, _ = allowed.client.request("GET", "/hw_proxy/hello", headers={"Host": "till1.shop.lan:8089"},
                                          origin=None)
    assert status == 200


def _port_open(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("listen,other", [("127.0.0.1", "127.0.0.2"), ("127.0.0.2", "127.0.0.1")])
def test_listens_only_where_configured(make_proxy, listen, other):
    proxy = make_proxy(listen={"host": listen}, pair=False)
    port = proxy.running.server.server_address[1]
    assert _port_open(listen, port)
    assert not _port_open(other, port)


def test_origin_normalisation():
    assert normalize_origin("https://Shop.Example.kz:443/") == "https://shop.example.kz"
    assert normalize_origin("http://127.0.0.1:8069") == "http://127.0.0.1:8069"
    assert normalize_origin("http://shop.kz:80") == "http://shop.kz"
    for bad in ("null", "file:///x", "https://shop.kz/path", "javascript:alert(1)", "", None):
        assert normalize_origin(bad) is None, bad


def test_config_is_checked(tmp_path):
    with pytest.raises(proxy_config.ConfigError):
        proxy_config.from_dict({"listen": {"hots": "0.0.0.0"}})
    with pytest.raises(proxy_config.ConfigError):
        proxy_config.from_dict({"printers": {"p": {"kind": "network", "address": "x", "paper": 76}}})
    with pytest.raises(proxy_config.ConfigError):
        proxy_config.from_dict({"printers": {"p": {"kind": "cups", "address": "x"}}})
    cfg = proxy_config.from_dict({"printers": {"p": {"kind": "network", "address": "10.0.0.5", "paper": 58}}},
                                 base_dir=str(tmp_path))
    assert cfg.host == "127.0.0.1" and cfg.port == 8089 and cfg.printer().width_dots == 384
    assert cfg.token_path == os.path.join(str(tmp_path), "state", "kaspi_terminal.json")
    example = os.path.join(PROXY_DIR, "proxy.example.json")
    assert proxy_config.load(example).printer().width_dots == 576


def test_refuses_to_run_as_root(monkeypatch, capsys):
    assert cli.is_privileged(platform="linux", euid=0) is True
    assert cli.is_privileged(platform="linux", euid=1000) is False
    monkeypatch.setattr(cli, "is_privileged", lambda: True)
    assert cli.main(["--config", os.path.join(PROXY_DIR, "proxy.example.json")]) == 2
    assert "refuses to run as root" in capsys.readouterr().err


BROWSER_PAGE = """<!DOCTYPE html><html><body><pre id="out">pending</pre><script>
const proxy = %(proxy)s, key = %(key)s, log = [];
async function rpc(path, params) {
  const response = await fetch(proxy + path, {method: "POST",
    headers: {"Content-Type": "application/json", "X-Clever-Proxy-Key": key},
    body: JSON.stringify({jsonrpc: "2.0", method: "call", params: params, id: 1})});
  return (await response.json()).result;
}
(async () => {
  try {
    const hello = await fetch(proxy + "/hw_proxy/hello");
    log.push("hello " + hello.status);
    log.push("handshake " + await rpc("/hw_proxy/handshake", {}));
    // the receipt as the POS makes it: a 512 px canvas exported as JPEG
    const canvas = document.createElement("canvas");
    canvas.width = 512; canvas.height = 200;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "white"; ctx.fillRect(0, 0, 512, 200);
    ctx.fillStyle = "black"; ctx.fillRect(156, 10, 200, 60);
    ctx.font = "28px sans-serif"; ctx.fillText("ИТОГО 1 500 ₸", 20, 140);
    const jpeg = canvas.toDataURL("image/jpeg").replace("data:image/jpeg;base64,", "");
    const printed = await rpc("/hw_proxy/default_printer_action", {data: {action: "print_receipt", receipt: jpeg}});
    log.push("print " + printed.result + " " + printed.code);
  } catch (error) {
    log.push("ERROR " + error);
  }
  document.getElementById("out").textContent = log.join(";");
})();
</script></body></html>"""


def _no_memory_limit():
    # Odoo (loaded by pytest-odoo) caps the address space; Chromium needs it lifted, as in
    # Odoo's own browser tests.
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def test_real_browser_calls_only_from_the_paired_origin(make_proxy, printer_sim, tmp_path):
    """Headless Chromium on a page of the paired origin prints; the same page unpaired cannot."""
    import functools
    import http.server
    import shutil
    import threading

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    assert chromium, "headless Chromium is needed (the POS tours use it too)"
    printer = printer_sim()
    site = tmp_path / "site"
    site.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    page_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=page_server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    origin = f"http://127.0.0.1:{page_server.server_address[1]}"
    proxy = make_proxy(printers={"receipt": {"kind": "network", "address": printer.address}}, pair=False)
    keys = proxy.app.pairing.add(origin)
    (site / "pos.html").write_text(BROWSER_PAGE % {"proxy": json.dumps(proxy.url), "key": json.dumps(keys["key"])},
                                   encoding="utf-8")

    def run_page():
        command = [chromium, "--headless", "--disable-gpu", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
                   "--virtual-time-budget=10000", "--dump-dom", f"{origin}/pos.html"]
        if os.geteuid() == 0:
            command.insert(1, "--no-sandbox")
        result = subprocess.run(command, capture_output=True, text=True, timeout=90, preexec_fn=_no_memory_limit)
        dom = result.stdout
        if '<pre id="out">' not in dom:
            return f"no page: {result.returncode} {result.stderr[-2000:]}"
        return dom[dom.find('<pre id="out">') + 14:dom.find("</pre>")]

    try:
        assert run_page() == "hello 200;handshake true;print true printed"
        job = printer.wait_for_jobs(1)[0]
        assert job.raster_widths and set(job.raster_widths) == {576}
        proxy.app.pairing.remove(origin)
        assert run_page().startswith("ERROR TypeError"), "the browser blocks the unpaired page"
        assert len(printer.jobs) == 1, "nothing reached the printer from the unpaired page"
    finally:
        page_server.shutdown()
        page_server.server_close()


def test_one_command_starts_the_proxy(tmp_path):
    """``python -m clever_proxy --config proxy.json`` serves until SIGTERM."""
    config_path = tmp_path / "proxy.json"
    config_path.write_text(json.dumps({"listen": {"host": "127.0.0.1", "port": 0},
                                       "pairing": {"code": PAIRING_CODE}}))
    command = [sys.executable, "-m", "clever_proxy", "--config", str(config_path)]
    if os.geteuid() == 0:  # the test machine may run as root; a real install does not
        command.append("--allow-root")
    process = subprocess.Popen(command, cwd=PROXY_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("READY http://127.0.0.1:"), (line, process.stderr.read() if process.poll() else "")
        url = line.split()[1]
        client = ProxyClient(url)
        client.pair()
        assert client.result("/hw_proxy/handshake") is True
        assert (tmp_path / "state" / "clever_proxy.sqlite3").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            assert process.wait(timeout=15) == 0
        finally:
            if process.poll() is None:
                process.kill()
            process.stdout.close()
            process.stderr.close()
