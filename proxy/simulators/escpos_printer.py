"""Network ESC/POS receipt printer simulator (TCP, like a printer's port 9100).

It records every byte it receives, understands the commands a receipt uses (``ESC @``, raster
images ``GS v 0``, text and line feeds, ``ESC d``/``ESC J`` feeds, ``GS V`` cuts, ``ESC p`` and
``DLE DC4`` drawer kicks, and skips the other common commands by their length), answers the
real-time status requests ``DLE EOT 1/2/4``, and renders what was printed to images that can be
saved as PNG -- so a test, or a person, can see the receipt.

Modes (:meth:`EscposPrinterSimulator.set_mode`):

``online``       prints, status "ready"
``unreachable``  the port is closed (printer switched off or unplugged): connections are refused
``offline``      accepts the connection, status says offline with the cover open, prints nothing
``paper_out``    accepts the connection, status says out of paper, prints nothing
``paper_low``    prints, status says the roll is nearly finished
``silent``       prints, never answers status requests (as many cheap printers)

Run it by hand: ``python proxy/simulators/escpos_printer.py --port 9100 --out receipts/`` writes
a PNG per cut receipt into ``receipts/``.
"""

import argparse
import os
import socket
import threading
import time

from PIL import Image, ImageDraw, ImageFont

MODES = ("online", "unreachable", "offline", "paper_out", "paper_low", "silent")
LINE_HEIGHT = 30
CODE_PAGES = {0: "cp437", 17: "cp866", 46: "cp1251", 59: "kz1048"}
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "C:\\Windows\\Fonts\\consola.ttf",
)


def _font():
    for path in FONT_FILES:
        if os.path.exists(path):
            try:
                return ImageFont.truetype(path, 22)
            except OSError:
                continue
    return ImageFont.load_default()


class PrintedReceipt:
    """What came out of the printer between two cuts."""

    def __init__(self, image, cut, drawer_kicks):
        self.image = image
        self.cut = cut
        self.drawer_kicks = drawer_kicks

    @property
    def width(self):
        return self.image.width

    @property
    def height(self):
        return self.image.height

    def save_png(self, path):
        self.image.save(path, format="PNG")
        return path


class EscPosParser:
    """Streaming ESC/POS interpreter: ``feed(bytes)`` returns the bytes to answer."""

    def __init__(self, paper_dots=576, status=lambda n: None, printing=True):
        self.paper_dots = paper_dots
        self.status = status
        self.printing = printing
        self.buffer = bytearray()
        self.pieces = []  # images of this page, top to bottom
        self.text = bytearray()
        self.code_page = "cp437"
        self.receipts = []
        self.drawer_kicks = 0
        self.page_kicks = 0
        self.raster_commands = 0
        self.raster_widths = []
        self.cuts = 0
        self.unknown = []
        self.status_requests = []
        self._font = None

    # layout ----------------------------------------------------------------------------------
    def _blank(self, height):
        if height > 0 and self.printing:
            self.pieces.append(Image.new("1", (self.paper_dots, height), 1))

    def _flush_text(self, feed=True):
        if not self.text and not feed:
            return
        line = bytes(self.text)
        self.text.clear()
        if not self.printing:
            return
        strip = Image.new("1", (self.paper_dots, LINE_HEIGHT), 1)
        if line.strip():
            self._font = self._font or _font()
            ImageDraw.Draw(strip).text((0, 3), line.decode(self.code_page, "replace"), font=self._font, fill=0)
        self.pieces.append(strip)

    def _raster(self, mode, width_bytes, height, data):
        self.raster_commands += 1
        self.raster_widths.append(width_bytes * 8)
        if not self.printing:
            return
        image = Image.frombytes("1", (width_bytes * 8, height), bytes(data), "raw", "1;I")
        if mode in (1, 3, 49, 51):
            image = image.resize((image.width * 2, image.height))
        if mode in (2, 3, 50, 51):
            image = image.resize((image.width, image.height * 2))
        strip = Image.new("1", (self.paper_dots, image.height), 1)
        strip.paste(image.crop((0, 0, min(image.width, self.paper_dots), image.height)), (0, 0))
        self.pieces.append(strip)

    def _end_page(self, cut):
        if self.text:
            self._flush_text()
        if cut:
            self.cuts += 1
        if self.pieces or self.page_kicks:
            height = sum(piece.height for piece in self.pieces) or 1
            page = Image.new("1", (self.paper_dots, height), 1)
            y = 0
            for piece in self.pieces:
                page.paste(piece, (0, y))
                y += piece.height
            self.receipts.append(PrintedReceipt(page.convert("L"), cut, self.page_kicks))
        self.pieces = []
        self.page_kicks = 0

    def close(self):
        """End of the connection: what is left on the page is a receipt without a cut."""
        if self.pieces or self.text:
            self._end_page(cut=False)

    # parsing ---------------------------------------------------------------------------------
    def feed(self, data):
        self.buffer += data
        replies = bytearray()
        while self.buffer:
            used, reply = self._command(self.buffer)
            if used == 0:
                break  # incomplete command: wait for more bytes
            del self.buffer[:used]
            if reply is not None:
                replies += reply
        return bytes(replies)

    def _need(self, buf, n):
        return len(buf) >= n

    def _command(self, buf):  # noqa: C901 - one branch per command family
        b = buf[0]
        if b == 0x0A:  # LF
            self._flush_text()
            return 1, None
        if b == 0x0D:  # CR
            return 1, None
        if b == 0x10:  # DLE
            if not self._need(buf, 3):
                return 0, None
            if buf[1] == 0x04:  # DLE EOT n
                self.status_requests.append(buf[2])
                answer = self.status(buf[2])
                return 3, None if answer is None else bytes([answer])
            if buf[1] == 0x14:  # DLE DC4 fn m t
                if not self._need(buf, 5):
                    return 0, None
                if buf[2] == 1:
                    self.drawer_kicks += 1
                    self.page_kicks += 1
                return 5, None
            self.unknown.append(bytes(buf[:2]))
            return 2, None
        if b == 0x1B:  # ESC
            if not self._need(buf, 2):
                return 0, None
            c = buf[1]
            if c == 0x40:  # ESC @
                self.text.clear()
                self.code_page = "cp437"
                return 2, None
            if c == 0x32:  # ESC 2
                return 2, None
            if c == 0x64:  # ESC d n
                if not self._need(buf, 3):
                    return 0, None
                self._flush_text(feed=False)
                self._blank(buf[2] * LINE_HEIGHT)
                return 3, None
            if c == 0x4A:  # ESC J n
                if not self._need(buf, 3):
                    return 0, None
                self._flush_text(feed=False)
                self._blank(buf[2])
                return 3, None
            if c == 0x70:  # ESC p m t1 t2
                if not self._need(buf, 5):
                    return 0, None
                self.drawer_kicks += 1
                self.page_kicks += 1
                return 5, None
            if c == 0x74:  # ESC t n
                if not self._need(buf, 3):
                    return 0, None
                self.code_page = CODE_PAGES.get(buf[2], "cp437")
                return 3, None
            if c == 0x2A:  # ESC * m nL nH data
                if not self._need(buf, 5):
                    return 0, None
                columns = buf[3] + buf[4] * 256
                size = 5 + columns * (3 if buf[2] in (32, 33) else 1)
                return (size, None) if self._need(buf, size) else (0, None)
            if c in b"!-3aEGMRTVrU{ =":  # ESC x n: one parameter byte
                return (3, None) if self._need(buf, 3) else (0, None)
            if c == 0x24 or c == 0x5C:  # ESC $ / ESC \ nL nH
                return (4, None) if self._need(buf, 4) else (0, None)
            self.unknown.append(bytes(buf[:2]))
            return 2, None
        if b == 0x1D:  # GS
            if not self._need(buf, 2):
                return 0, None
            c = buf[1]
            if c == 0x76:  # GS v 0 m xL xH yL yH d1...dk
                if not self._need(buf, 8):
                    return 0, None
                width_bytes = buf[4] + buf[5] * 256
                height = buf[6] + buf[7] * 256
                size = 8 + width_bytes * height
                if not self._need(buf, size):
                    return 0, None
                self._flush_text(feed=False)
                self._raster(buf[3], width_bytes, height, buf[8:size])
                return size, None
            if c == 0x56:  # GS V m [n]
                if not self._need(buf, 3):
                    return 0, None
                size = 4 if buf[2] in (65, 66, 97, 98, 103, 104) else 3
                if not self._need(buf, size):
                    return 0, None
                if size == 4:
                    self._flush_text(feed=False)
                    self._blank(buf[3])
                self._end_page(cut=True)
                return size, None
            if c == 0x28:  # GS ( x pL pH data
                if not self._need(buf, 5):
                    return 0, None
                size = 5 + buf[3] + buf[4] * 256
                return (size, None) if self._need(buf, size) else (0, None)
            if c == 0x6B:  # GS k m ...
                if not self._need(buf, 3):
                    return 0, None
                if buf[2] <= 6:
                    end = buf.find(b"\x00", 3)
                    return (end + 1, None) if end >= 0 else (0, None)
                if not self._need(buf, 4):
                    return 0, None
                size = 4 + buf[3]
                return (size, None) if self._need(buf, size) else (0, None)
            if c in (0x4C, 0x57, 0x50, 0x24, 0x5C):  # GS L / GS W / GS P / GS $ / GS \ : 2 bytes
                return (4, None) if self._need(buf, 4) else (0, None)
            if c in b"!BHfhwabrIE":  # GS x n
                if not self._need(buf, 3):
                    return 0, None
                if c in (0x72, 0x49):  # GS r n / GS I n: transmit status / printer id
                    return 3, b"\x00"
                return 3, None
            self.unknown.append(bytes(buf[:2]))
            return 2, None
        if b == 0x1C:  # FS
            if not self._need(buf, 2):
                return 0, None
            if buf[1] in (0x2E, 0x26):  # FS . / FS &
                return 2, None
            if buf[1] == 0x70:  # FS p n m
                return (4, None) if self._need(buf, 4) else (0, None)
            return (3, None) if self._need(buf, 3) else (0, None)
        if b < 0x20 and b not in (0x09,):
            self.unknown.append(bytes(buf[:1]))
            return 1, None
        self.text.append(b)
        return 1, None


class PrintJob:
    """One TCP connection: the bytes received and what they printed."""

    def __init__(self, mode):
        self.mode = mode
        self.data = bytearray()
        self.receipts = []
        self.drawer_kicks = 0
        self.status_requests = []
        self.raster_widths = []
        self.cuts = 0
        self.printed = mode in ("online", "paper_low", "silent")
        self.closed = threading.Event()


class EscposPrinterSimulator:
    def __init__(self, host="127.0.0.1", port=9100, paper_dots=576, mode="online", out_dir=None):
        if mode not in MODES:
            raise ValueError(mode)
        self.host = host
        self.port = port
        self.paper_dots = paper_dots
        self.mode = mode
        self.out_dir = out_dir
        self.jobs = []
        self.lock = threading.Lock()
        self._sock = None
        self._thread = None
        self._stopping = threading.Event()
        self._job_done = threading.Condition()

    # server ----------------------------------------------------------------------------------
    def start(self):
        self._stopping.clear()
        if self.mode != "unreachable":
            self._listen()
        elif not self.port:
            # reserve a port number even when starting unreachable
            probe = socket.socket()
            probe.bind((self.host, 0))
            self.port = probe.getsockname()[1]
            probe.close()
        return self

    def _listen(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(8)
        sock.settimeout(0.2)
        self.port = sock.getsockname()[1]
        self._sock = sock
        stop = threading.Event()
        self._listen_stop = stop
        self._thread = threading.Thread(target=self._accept_loop, args=(sock, stop), name="escpos-sim", daemon=True)
        self._thread.start()

    def _unlisten(self):
        if self._sock:
            self._listen_stop.set()
            self._thread.join(timeout=5)
            self._sock.close()
            self._sock = None

    def stop(self):
        self._stopping.set()
        self._unlisten()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def set_mode(self, mode):
        if mode not in MODES:
            raise ValueError(mode)
        was = self.mode
        self.mode = mode
        if mode == "unreachable" and was != "unreachable":
            self._unlisten()
        elif was == "unreachable" and mode != "unreachable" and not self._stopping.is_set():
            self._listen()

    @property
    def address(self):
        return f"{self.host}:{self.port}"

    def _accept_loop(self, sock, stop):
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                break
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    # printing --------------------------------------------------------------------------------
    def status_byte(self, n, mode):
        if mode == "silent":
            return None
        if n == 1:  # printer status: bit 3 = offline
            return 0x1A if mode in ("offline", "paper_out") else 0x12
        if n == 2:  # offline cause: bit 2 cover open, bit 5 paper end stop
            return {"offline": 0x16, "paper_out": 0x32}.get(mode, 0x12)
        if n == 3:  # error cause
            return 0x12
        if n == 4:  # roll paper sensor: bits 2-3 near end, bits 5-6 end
            return {"paper_out": 0x7E, "paper_low": 0x1E}.get(mode, 0x12)
        return None

    def _serve(self, conn):
        mode = self.mode
        job = PrintJob(mode)
        parser = EscPosParser(self.paper_dots, status=lambda n: self.status_byte(n, mode), printing=job.printed)
        with self.lock:
            self.jobs.append(job)
        conn.settimeout(5)
        try:
            while True:
                try:
                    chunk = conn.recv(65536)
                except (TimeoutError, socket.timeout):
                    break
                if not chunk:
                    break
                job.data += chunk
                reply = parser.feed(chunk)
                if reply:
                    conn.sendall(reply)
        except OSError:
            pass
        finally:
            conn.close()
            parser.close()
            job.receipts = parser.receipts
            job.drawer_kicks = parser.drawer_kicks
            job.status_requests = parser.status_requests
            job.raster_widths = parser.raster_widths
            job.cuts = parser.cuts
            if self.out_dir and job.receipts:
                os.makedirs(self.out_dir, exist_ok=True)
                for index, printed in enumerate(job.receipts):
                    printed.save_png(os.path.join(self.out_dir, f"receipt-{time.time():.3f}-{index}.png"))
            job.closed.set()
            with self._job_done:
                self._job_done.notify_all()

    @property
    def receipts(self):
        with self.lock:
            jobs = list(self.jobs)
        return [printed for job in jobs if job.closed.is_set() for printed in job.receipts]

    @property
    def drawer_kicks(self):
        with self.lock:
            return sum(job.drawer_kicks for job in self.jobs if job.closed.is_set())

    def wait_for_jobs(self, count, timeout=10.0):
        """Wait until ``count`` connections have been fully received; returns the jobs."""
        deadline = time.monotonic() + timeout
        with self._job_done:
            while True:
                done = [job for job in self.jobs if job.closed.is_set()]
                if len(done) >= count:
                    return done
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(done)} of {count} print jobs received")
                self._job_done.wait(remaining)


def main(argv=None):
    parser = argparse.ArgumentParser(description="ESC/POS network printer simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--dots", type=int, default=576, help="paper width in dots (384 = 58 mm, 576 = 80 mm)")
    parser.add_argument("--mode", choices=MODES, default="online")
    parser.add_argument("--out", default="receipts", help="folder for the PNG of each receipt")
    args = parser.parse_args(argv)
    sim = EscposPrinterSimulator(args.host, args.port, args.dots, args.mode, out_dir=args.out)
    sim.start()
    print(f"ESC/POS printer simulator on {sim.address}, PNGs in {args.out}/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sim.stop()


if __name__ == "__main__":
    main()
