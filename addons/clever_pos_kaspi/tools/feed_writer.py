"""Streaming writer of a Kaspi price list (`kaspi_catalog`, spec section 1.2) into a file.

Offers are written one at a time as bytes with explicit XML escaping: the document is never held
in memory. Element order follows the schema: model, brand, availabilities, then cityprices or price.
The ETag is the SHA-1 of the document without the value of its `date` attribute, so a regeneration
that changes nothing keeps the ETag and Kaspi keeps getting 304 Not Modified.
"""

import hashlib
import os
import re

XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/U+FFFF):
# pasted into a product name they would make the whole feed unreadable for Kaspi.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    value = _NOT_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(value):
    return (
        xml_text(value)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def format_quantity(quantity):
    """Kaspi's stockCount: an integer when whole, else up to three decimals."""
    if quantity.is_integer():
        return str(int(quantity))
    rounded = round(quantity, 3)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:.3f}".rstrip("0").rstrip(".")


class OfferEncoder:
    """Turns offer rows into the bytes of `<offer>` up to its price, the part every city's feed
    shares. Escaped point ids and brands are computed once per generation."""

    def __init__(self, point_codes):
        self._points = [
            (
                f'<availability available="yes" storeId="{xml_attr(code)}" preOrder="',
                f'<availability available="no" storeId="{xml_attr(code)}"/>',
            )
            for code in point_codes
        ]
        self._brands = {}

    def head(self, row):
        brand = self._brands.get(row.brand)
        if brand is None:
            brand = self._brands[row.brand] = xml_text(row.brand)
        # The SKU of a ready offer matches ^[A-Za-z0-9_-]{1,20}$: nothing to escape.
        parts = ['<offer sku="', row.sku, '"><model>', xml_text(row.model), "</model><brand>", brand, "</brand><availabilities>"]
        preorder = row.preorder_days or 0
        for (yes, no), (__, quantity) in zip(self._points, row.stock):
            if quantity > 0:
                parts.append(f'{yes}{preorder}" stockCount="{format_quantity(quantity)}"/>')
            elif preorder > 0:
                # Nothing on hand but the shop takes pre-orders for this product.
                parts.append(f'{yes}{preorder}"/>')
            else:
                parts.append(no)
        parts.append("</availabilities>")
        return "".join(parts).encode()


def price_part(city_code, price, per_city):
    if per_city:
        return (
            f'<cityprices><cityprice cityId="{xml_attr(city_code)}">{price}</cityprice></cityprices></offer>\n'
        ).encode()
    return f"<price>{price}</price></offer>\n".encode()


class CatalogFileWriter:
    """One city's feed file being written. `close()` returns (etag, size); `discard()` removes it."""

    def __init__(self, path, company, merchant_id, date):
        self.path = path
        self.count = 0
        self.size = 0
        self._hash = hashlib.sha1()
        self._file = open(path, "wb", buffering=1 << 16)  # noqa: SIM115 (closed by close/discard)
        self._write(b'<?xml version="1.0" encoding="utf-8"?>\n<kaspi_catalog date="')
        self._write(xml_attr(date).encode(), hashed=False)
        self._write(
            (
                f'" xmlns="kaspiShopping" xmlns:xsi="{XSI}"'
                ' xsi:schemaLocation="kaspiShopping http://kaspi.kz/kaspishopping.xsd">\n'
                f"<company>{xml_text(company)}</company>\n"
                f"<merchantid>{xml_text(merchant_id)}</merchantid>\n"
                "<offers>\n"
            ).encode()
        )

    def _write(self, data, hashed=True):
        self._file.write(data)
        self.size += len(data)
        if hashed:
            self._hash.update(data)

    def write_offer(self, head, tail):
        self._write(head + tail)
        self.count += 1

    def close(self):
        self._write(b"</offers>\n</kaspi_catalog>\n")
        self._file.close()
        return self._hash.hexdigest(), self.size

    def discard(self):
        if not self._file.closed:
            self._file.close()
        if os.path.exists(self.path):
            os.remove(self.path)
