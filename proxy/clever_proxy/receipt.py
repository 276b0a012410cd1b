"""From the POS receipt image to ESC/POS bytes (python-escpos builds the commands).

The Odoo POS renders the receipt 512 px wide and sends it as a base64 JPEG. A 58 mm printer has
384 dots per line and an 80 mm printer 576: the image is scaled to the printer's width (keeping
its proportions), turned to 1 bit, sent as ``GS v 0`` raster bands, then fed and cut.
"""

import base64
import binascii
import copy
import io
import os
import tempfile

from PIL import Image, ImageDraw, ImageFont

# python-escpos builds a capabilities cache in a fresh temporary folder at every import unless
# this variable names one; keep a single folder instead of leaking one per start.
os.environ.setdefault(
    "ESCPOS_CAPABILITIES_PICKLE_DIR",
    os.path.join(tempfile.gettempdir(), "clever_proxy_escpos"),
)
os.makedirs(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"], exist_ok=True)

from escpos.constants import PAPER_FULL_CUT, PAPER_PART_CUT  # noqa: E402  (needs the variable above)
from escpos.printer import Dummy  # noqa: E402

BAND_HEIGHT = 255  # rows per GS v 0 command; small bands suit printers with small buffers
MAX_PIXELS = 576 * 40000


class ReceiptError(ValueError):
    pass


def decode_receipt(receipt_b64):
    """PIL image from the POS's base64 JPEG (a ``data:`` prefix is tolerated)."""
    if not isinstance(receipt_b64, str) or not receipt_b64:
        raise ReceiptError("receipt_invalid")
    if receipt_b64.startswith("data:"):
        receipt_b64 = receipt_b64.split(",", 1)[-1]
    try:
        raw = base64.b64decode(receipt_b64, validate=False)
        image = Image.open(io.BytesIO(raw))
        if image.width * image.height > MAX_PIXELS * 4:
            raise ReceiptError("receipt_invalid")
        image.load()
    except (binascii.Error, OSError, Image.DecompressionBombError) as exc:
        raise ReceiptError("receipt_invalid") from exc
    return image


def to_printer_bitmap(image, width_dots, dither=False, threshold=150):
    """Grey, scaled to ``width_dots`` wide, 1 bit (mode "1": 0 = black dot, 255 = paper)."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    grey = image.convert("L")
    if grey.width != width_dots:
        height = max(1, round(grey.height * width_dots / grey.width))
        grey = grey.resize((width_dots, height), Image.Resampling.LANCZOS)
    if dither:
        return grey.convert("1")  # Floyd-Steinberg: for photos and shaded logos
    return grey.point(lambda value: 255 if value >= threshold else 0, mode="1")


def _printer(width_dots):
    printer = Dummy()
    profile_data = copy.deepcopy(printer.profile.profile_data)
    profile_data["media"]["width"]["pixels"] = width_dots
    printer.profile.profile_data = profile_data  # instance copy: never touch the shared profile
    return printer


def raster_job(bitmap, width_dots, cut="full", feed_lines=4):
    """ESC/POS bytes for a 1-bit image: initialise, raster bands, feed, cut."""
    printer = _printer(width_dots)
    printer.hw("INIT")
    printer.image(bitmap, impl="bitImageRaster", fragment_height=BAND_HEIGHT)
    printer.print_and_feed(max(feed_lines, 1))
    if cut == "full":
        printer._raw(PAPER_FULL_CUT)  # GS V 0
    elif cut == "partial":
        printer._raw(PAPER_PART_CUT)  # GS V 1
    return printer.output


def receipt_job(receipt_b64, printer_config):
    image = decode_receipt(receipt_b64)
    bitmap = to_printer_bitmap(
        image,
        printer_config.width_dots,
        dither=printer_config.dither,
        threshold=printer_config.threshold,
    )
    return raster_job(bitmap, printer_config.width_dots, printer_config.cut, printer_config.feed_lines)


def drawer_job(pin=2):
    printer = Dummy()
    printer.cashdraw(pin)
    return printer.output


STATUS_PRINTER = b"\x10\x04\x01"  # DLE EOT 1: printer status
STATUS_OFFLINE_CAUSE = b"\x10\x04\x02"  # DLE EOT 2: offline cause
STATUS_PAPER = b"\x10\x04\x04"  # DLE EOT 4: roll paper sensor

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
    "C:\\Windows\\Fonts\\segoeui.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
)


def find_font(size):
    """A TrueType font with Cyrillic and Kazakh letters, or Pillow's Latin default."""
    for candidate in FONT_CANDIDATES:
        if os.path.exists(candidate):
            try:
                return ImageFont.truetype(candidate, size), True
            except OSError:
                continue
    return ImageFont.load_default(), False


def make_test_page(printer_config, proxy_name="Clever POS proxy", when=""):
    """A test page the width of the paper: a border, a ruler every 8 dots, text, a black bar."""
    width = printer_config.width_dots
    font, unicode_font = find_font(22 if width >= 500 else 18)
    lines = [
        proxy_name,
        f"Printer: {printer_config.name} ({printer_config.kind})",
        f"Paper: {printer_config.paper} mm, {width} dots",
        when,
    ]
    if unicode_font:
        lines += ["Тест печати / Сынақ", "ә ғ қ ң ө ұ ү һ і  ₸"]
    line_height = 34
    height = 60 + line_height * len(lines) + 70
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, width - 1, height - 1), outline=0, width=2)
    for x in range(0, width, 8):
        draw.line((x, 2, x, 12 if x % 64 else 24), fill=0)
    y = 36
    for text in lines:
        if text:
            draw.text((10, y), text, font=font, fill=0)
        y += line_height
    draw.rectangle((10, y + 10, width - 11, y + 50), fill=0)
    return raster_job(page.convert("1"), width, printer_config.cut, printer_config.feed_lines)
