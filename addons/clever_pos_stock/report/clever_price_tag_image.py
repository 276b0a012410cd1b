"""A shelf price tag drawn as an image, for the receipt printer (ESC/POS raster through the
device proxy, as the POS prints its receipts: a 512 px wide JPEG the proxy scales to the paper).

The barcode is the drawing Odoo's barcode reports use (reportlab, ``odoo.tools.barcode``), painted
shape by shape with Pillow, so no reportlab PNG backend is needed."""

import base64
import io
import os

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.shapes import Group, Rect, String
from reportlab.graphics.widgetbase import Widget

from odoo.tools.barcode import createBarcodeDrawing

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "C:\\Windows\\Fonts")
# tag format -> (width, height) in mm
TAG_SIZES = {"58x40": (58, 40), "40x30": (40, 30), "a4_3x8": (70, 37)}


def _font(size, bold=False):
    names = ("DejaVuSans-Bold.ttf",) if bold else ("DejaVuSans.ttf",)
    for folder in FONT_DIRS:
        for name in names:
            path = os.path.join(folder, name)
            if os.path.exists(path):
                return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _point(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _paint(draw, node, matrix, box):
    """Paint reportlab shapes (bars and digits) into box = (left, top, height) of the image."""
    left, top, height = box
    for shape in getattr(node, "contents", []):
        if isinstance(shape, Widget):
            shape = shape.draw()
        if isinstance(shape, Group):
            _paint(draw, shape, _multiply(matrix, shape.transform), box)
        elif isinstance(shape, Rect):
            if shape.fillColor is None or shape.fillColor.red > 0.5:
                continue  # background
            x0, y0 = _point(matrix, shape.x, shape.y)
            x1, y1 = _point(matrix, shape.x + shape.width, shape.y + shape.height)
            draw.rectangle(
                (left + min(x0, x1), top + height - max(y0, y1), left + max(x0, x1) - 1, top + height - min(y0, y1)),
                fill=0,
            )
        elif isinstance(shape, String):
            x, y = _point(matrix, shape.x, shape.y)
            size = max(int(shape.fontSize * abs(matrix[3])), 8)
            font = _font(size)
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}.get(shape.textAnchor, "ls")
            draw.text((left + x, top + height - y), shape.text, font=font, fill=0, anchor=anchor)


def _wrap(draw, text, font, width, max_lines):
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines[:max_lines]


def tag_image(tag, print_format="58x40", width=512):
    """A PIL image ("L") of one tag (a dict of the price tag report)."""
    width_mm, height_mm = TAG_SIZES.get(print_format, TAG_SIZES["58x40"])
    height = round(width * height_mm / width_mm)
    unit = width / 512.0
    margin = round(12 * unit)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)

    y = margin
    names = tag["names"][:2]
    for index, name in enumerate(names):
        font = _font(round((26 if index == 0 else 22) * unit), bold=index == 0)
        for line in _wrap(draw, name, font, width - 2 * margin, 2 if len(names) == 1 else 1 + (index == 0)):
            draw.text((margin, y), line, font=font, fill=0)
            y += round(font.size * 1.15)

    price_font = _font(round(78 * unit), bold=True)
    price_y = round(height * 0.58)
    right = width - margin
    draw.text((right, price_y), tag["price"], font=price_font, fill=0, anchor="rs")
    if tag.get("old_price"):
        old_font = _font(round(28 * unit))
        old_right = right - draw.textlength(tag["price"], font=price_font) - round(14 * unit)
        draw.text((old_right, price_y), tag["old_price"], font=old_font, fill=0, anchor="rs")
        old_width = draw.textlength(tag["old_price"], font=old_font)
        strike_y = price_y - round(old_font.size * 0.35)
        draw.line((old_right - old_width, strike_y, old_right, strike_y), fill=0, width=max(2, round(2 * unit)))

    meta_font = _font(round(20 * unit))
    bottom = height - margin
    draw.text((right, bottom), tag["date"], font=meta_font, fill=0, anchor="rs")
    if tag.get("sku"):
        draw.text((right, bottom - round(meta_font.size * 1.2)), tag["sku"], font=meta_font, fill=0, anchor="rs")

    if tag.get("barcode"):
        bar_width = round(width * 0.58)
        bar_height = height - price_y - round(16 * unit) - margin
        drawing = createBarcodeDrawing(
            tag["symbology"], value=tag["barcode"], width=bar_width, height=bar_height, humanReadable=True,
            fontName="Courier", quiet=True,
        )
        _paint(draw, drawing, drawing.transform, (margin, bottom - bar_height, bar_height))
    return image


def tag_jpeg_b64(tag, print_format="58x40", width=512):
    buffer = io.BytesIO()
    tag_image(tag, print_format, width).convert("RGB").save(buffer, format="JPEG", quality=92)
    return base64.b64encode(buffer.getvalue()).decode()
