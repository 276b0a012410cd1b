"""Receipt printers: network (TCP 9100), USB (device file or libusb), Windows spooler, file.

Each printer has a lock, so two receipts never interleave, and a cached status (read with the
ESC/POS real-time status requests ``DLE EOT 1/2/4`` where the connection can answer) that
``/hw_proxy/status_json`` returns without waiting for the printer.
"""

import logging
import os
import socket
import sys
import threading
import time

from . import receipt
from .codes import message

_logger = logging.getLogger(__name__)

STATUS_TIMEOUT = 1.5
CONNECT_TIMEOUT = 3.0


class PrinterFailure(Exception):
    def __init__(self, code, detail=""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


def _valid_status_byte(value):
    # ESC/POS real-time status bytes have bit 1 and bit 4 set, bit 0 and bit 7 clear.
    return value & 0x93 == 0x12


def decode_status(printer_byte, cause_byte=None, paper_byte=None):
    """Our code from the DLE EOT answers (None when an answer is missing)."""
    paper_low = False
    if paper_byte is not None and _valid_status_byte(paper_byte):
        if paper_byte & 0x60:
            return "printer_paper_out"
        paper_low = bool(paper_byte & 0x0C)
    if printer_byte is not None and _valid_status_byte(printer_byte) and printer_byte & 0x08:
        if cause_byte is not None and _valid_status_byte(cause_byte):
            if cause_byte & 0x20:
                return "printer_paper_out"
            if cause_byte & 0x04:
                return "printer_cover_open"
        return "printer_not_ready"
    return "printer_paper_low" if paper_low else "printer_ok"


class NetworkTransport:
    """Raw TCP, as network ESC/POS printers accept on port 9100."""

    def __init__(self, config):
        self.config = config
        host, _, port = config.address.rpartition(":")
        if not host or not port.isdigit():
            host, port = config.address, "9100"
        self.host = host.strip("[]")
        self.port = int(port)
        self.answers_status = config.status_query

    def _connect(self):
        try:
            return socket.create_connection((self.host, self.port), timeout=CONNECT_TIMEOUT)
        except OSError as exc:
            raise PrinterFailure("printer_offline", str(exc)) from exc

    def _ask(self, sock, request):
        sock.sendall(request)
        sock.settimeout(STATUS_TIMEOUT)
        try:
            answer = sock.recv(1)
        except (TimeoutError, socket.timeout):
            return None
        if not answer:
            raise PrinterFailure("printer_offline", "connection closed")
        return answer[0]

    def _status(self, sock):
        if not self.answers_status:
            return "printer_ok"
        printer_byte = self._ask(sock, receipt.STATUS_PRINTER)
        if printer_byte is None:
            # Many cheap printers never answer: stop asking this one, do not slow every receipt.
            self.answers_status = False
            _logger.info("printer %s does not answer status requests", self.config.name)
            return "printer_ok"
        cause_byte = None
        if _valid_status_byte(printer_byte) and printer_byte & 0x08:
            cause_byte = self._ask(sock, receipt.STATUS_OFFLINE_CAUSE)
        paper_byte = self._ask(sock, receipt.STATUS_PAPER)
        return decode_status(printer_byte, cause_byte, paper_byte)

    def status(self):
        sock = self._connect()
        try:
            return self._status(sock)
        except OSError as exc:
            raise PrinterFailure("printer_offline", str(exc)) from exc
        finally:
            sock.close()

    def send(self, data, check_status=True):
        sock = self._connect()
        try:
            code = self._status(sock) if check_status else "printer_ok"
            if code not in ("printer_ok", "printer_paper_low"):
                raise PrinterFailure(code)
            sock.settimeout(self.config.timeout)
            try:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
            except (TimeoutError, socket.timeout) as exc:
                raise PrinterFailure("printer_timeout", str(exc)) from exc
            except OSError as exc:
                raise PrinterFailure("printer_offline", str(exc)) from exc
            self._drain(sock)
            return code
        finally:
            sock.close()

    @staticmethod
    def _drain(sock):
        # Closing a socket with unread bytes (a late status answer) sends a reset, which can make
        # the printer drop the end of the receipt: read until the printer closes, briefly.
        deadline = time.monotonic() + 2.0
        sock.settimeout(0.3)
        try:
            while time.monotonic() < deadline and sock.recv(1024):
                pass
        except OSError:
            pass


class DeviceTransport:
    """A device file: ``/dev/usb/lp0`` on Linux (the user must be in the ``lp`` group)."""

    def __init__(self, config):
        self.config = config
        self.path = config.address

    def status(self):
        if not os.path.exists(self.path):
            raise PrinterFailure("printer_offline", f"{self.path} does not exist")
        if not os.access(self.path, os.W_OK):
            raise PrinterFailure("printer_access_denied", f"cannot write {self.path}")
        return "printer_ok"

    def send(self, data, check_status=True):
        self.status()
        try:
            with open(self.path, "wb", buffering=0) as device:
                device.write(data)
        except PermissionError as exc:
            raise PrinterFailure("printer_access_denied", str(exc)) from exc
        except OSError as exc:
            raise PrinterFailure("printer_offline", str(exc)) from exc
        return "printer_ok"


class FileTransport(DeviceTransport):
    """Appends the bytes to a file: for trying the proxy without a printer."""

    def status(self):
        folder = os.path.dirname(os.path.abspath(self.path))
        if not os.access(folder, os.W_OK):
            raise PrinterFailure("printer_access_denied", f"cannot write in {folder}")
        return "printer_ok"

    def send(self, data, check_status=True):
        self.status()
        with open(self.path, "ab") as handle:
            handle.write(data)
        return "printer_ok"


class UsbTransport:
    """``usb:VID:PID`` through libusb (pyusb), for printers without a kernel driver."""

    def __init__(self, config):
        self.config = config
        parts = config.address.split(":")
        if len(parts) != 3 or parts[0] != "usb":
            raise PrinterFailure("printer_offline", "usb address must be usb:VID:PID (hex)")
        self.vendor, self.product = int(parts[1], 16), int(parts[2], 16)

    def _open(self):
        try:
            from escpos.printer import Usb
        except ImportError as exc:  # pragma: no cover - depends on the machine
            raise PrinterFailure("printer_driver_missing", str(exc)) from exc
        try:
            device = Usb(self.vendor, self.product, timeout=int(self.config.timeout * 1000))
            device.open()
        except Exception as exc:  # noqa: BLE001 - pyusb raises many types
            name = type(exc).__name__
            code = "printer_driver_missing" if "Backend" in name or "Import" in name else "printer_offline"
            raise PrinterFailure(code, f"{name}: {exc}") from exc
        return device

    def status(self):
        device = self._open()
        device.close()
        return "printer_ok"

    def send(self, data, check_status=True):
        device = self._open()
        try:
            device._raw(data)
        except Exception as exc:  # noqa: BLE001
            raise PrinterFailure("printer_offline", str(exc)) from exc
        finally:
            device.close()
        return "printer_ok"


class WindowsTransport:
    """A printer installed in Windows, by its name, fed RAW bytes through the spooler (pywin32)."""

    # PRINTER_STATUS_* flags of GetPrinter level 2
    PAPER_OUT = 0x10
    OFFLINE = 0x80
    ERROR = 0x02
    DOOR_OPEN = 0x400000
    NOT_AVAILABLE = 0x1000
    PAPER_PROBLEM = 0x40

    def __init__(self, config):
        self.config = config

    def _win32print(self):
        if sys.platform != "win32":
            raise PrinterFailure("printer_driver_missing", "windows printers need Windows")
        try:
            import win32print
        except ImportError as exc:  # pragma: no cover - Windows only
            raise PrinterFailure("printer_driver_missing", "pip install pywin32") from exc
        return win32print

    def status(self):  # pragma: no cover - Windows only
        win32print = self._win32print()
        try:
            handle = win32print.OpenPrinter(self.config.address)
        except Exception as exc:  # noqa: BLE001
            raise PrinterFailure("printer_offline", str(exc)) from exc
        try:
            flags = win32print.GetPrinter(handle, 2)["Status"]
        finally:
            win32print.ClosePrinter(handle)
        if flags & (self.PAPER_OUT | self.PAPER_PROBLEM):
            return "printer_paper_out"
        if flags & self.DOOR_OPEN:
            return "printer_cover_open"
        if flags & (self.OFFLINE | self.NOT_AVAILABLE):
            raise PrinterFailure("printer_offline", f"spooler status {flags:#x}")
        if flags & self.ERROR:
            return "printer_not_ready"
        return "printer_ok"

    def send(self, data, check_status=True):  # pragma: no cover - Windows only
        code = self.status() if check_status else "printer_ok"
        if code not in ("printer_ok", "printer_paper_low"):
            raise PrinterFailure(code)
        win32print = self._win32print()
        handle = win32print.OpenPrinter(self.config.address)
        try:
            win32print.StartDocPrinter(handle, 1, ("Clever POS receipt", None, "RAW"))
            try:
                win32print.StartPagePrinter(handle)
                win32print.WritePrinter(handle, data)
                win32print.EndPagePrinter(handle)
            finally:
                win32print.EndDocPrinter(handle)
        except Exception as exc:  # noqa: BLE001
            raise PrinterFailure("printer_error", str(exc)) from exc
        finally:
            win32print.ClosePrinter(handle)
        return code


def make_transport(config):
    if config.kind == "network":
        return NetworkTransport(config)
    if config.kind == "windows":
        return WindowsTransport(config)
    if config.kind == "file":
        return FileTransport(config)
    if config.kind == "usb" and config.address.startswith("usb:"):
        return UsbTransport(config)
    return DeviceTransport(config)  # "device", or "usb" given as a device path


class Printer:
    def __init__(self, config, cache_seconds=10.0):
        self.config = config
        self.transport = make_transport(config)
        self.cache_seconds = cache_seconds
        self._lock = threading.Lock()
        self._status = {"status": "connecting", "code": "printer_ok", "checked_at": 0.0}
        self._refreshing = threading.Lock()

    # results ---------------------------------------------------------------------------------
    def _ok(self, code, status_code="printer_ok"):
        self._remember(status_code)
        return {"result": True, "code": code, "message": message(code), "printer": self.config.name,
                "printer_status": status_code}

    def _fail(self, failure):
        self._remember(failure.code)
        _logger.warning("printer %s: %s %s", self.config.name, failure.code, failure.detail)
        return {"result": False, "code": failure.code, "message": message(failure.code),
                "printer": self.config.name}

    def _remember(self, code):
        connected = code in ("printer_ok", "printer_paper_low")
        self._status = {
            "status": "connected" if connected else "disconnected",
            "code": code,
            "checked_at": time.time(),
        }

    def _send(self, data, check_status=True):
        with self._lock:
            return self.transport.send(data, check_status=check_status)

    # actions ---------------------------------------------------------------------------------
    def print_receipt(self, receipt_b64):
        try:
            data = receipt.receipt_job(receipt_b64, self.config)
        except receipt.ReceiptError as exc:
            return {"result": False, "code": "receipt_invalid", "message": message("receipt_invalid"),
                    "printer": self.config.name, "detail": str(exc)}
        try:
            status_code = self._send(data)
        except PrinterFailure as failure:
            return self._fail(failure)
        return self._ok("printed", status_code)

    def open_cashbox(self):
        if not self.config.drawer_pin:
            return {"result": False, "code": "drawer_not_configured",
                    "message": message("drawer_not_configured"), "printer": self.config.name}
        try:
            # The drawer opens even without paper: do not refuse it on a paper-out status.
            self._send(receipt.drawer_job(self.config.drawer_pin), check_status=False)
        except PrinterFailure as failure:
            return self._fail(failure)
        return self._ok("drawer_opened")

    def print_test_page(self, when=""):
        try:
            status_code = self._send(receipt.make_test_page(self.config, when=when))
        except PrinterFailure as failure:
            return self._fail(failure)
        return self._ok("printed", status_code)

    def check_status(self):
        """Ask the printer now (up to a few seconds)."""
        with self._lock:
            try:
                code = self.transport.status()
            except PrinterFailure as failure:
                code = failure.code
        self._remember(code)
        return self.status()

    def status(self):
        """The cached status, in the shape ``/hw_proxy/status_json`` uses for a driver."""
        state = self._status
        return {
            "status": state["status"],
            "messages": "" if state["status"] == "connected" else message(state["code"]),
            "code": state["code"],
            "printer": self.config.name,
            "paper": self.config.paper,
            "dots": self.config.width_dots,
        }

    def status_soon(self):
        """The cached status; refresh it in the background when older than the cache time."""
        if time.time() - self._status["checked_at"] > self.cache_seconds and self._refreshing.acquire(
            blocking=False
        ):
            def refresh():
                try:
                    self.check_status()
                finally:
                    self._refreshing.release()

            threading.Thread(target=refresh, name=f"printer-status-{self.config.name}", daemon=True).start()
        return self.status()
