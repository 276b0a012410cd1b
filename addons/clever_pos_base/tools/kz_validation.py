"""Kazakh identifiers and phone numbers, as pure functions (no Odoo import), so that the pure
tests of the repository can check them directly.

BIN/IIN: 12 digits with a check digit (../shared/specs/kaspi.md section 5.1): the sum of the
first 11 digits weighted 1..11, modulo 11; when that gives 10, again with weights 3..11,1,2; when
that gives 10 too, the number is never issued and so invalid.

Phones: Kazakhstan is +7 (shared with Russia), national prefix 8, 10-digit national numbers that
start with 7. People type them as "8 701 234 56 78", "+7 (701) 234-56-78", "7012345678" or
"77012345678"; all of these become "+7 701 234 56 78". Parsing and validity come from
libphonenumber (the `phonenumbers` package Odoo's phone_validation uses).
"""

import re

import phonenumbers

_WEIGHTS_1 = tuple(range(1, 12))
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def bin_iin_check_digit(first_11_digits):
    """Return the check digit of a BIN/IIN, or None when no valid number has these 11 digits."""
    digits = [int(c) for c in first_11_digits]
    for weights in (_WEIGHTS_1, _WEIGHTS_2):
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return check
    return None


def is_valid_bin_iin(value):
    """True for a 12-digit BIN or IIN whose check digit is right (spaces are ignored)."""
    number = re.sub(r"\s", "", value or "")
    if not re.fullmatch(r"\d{12}", number):
        return False
    return bin_iin_check_digit(number[:11]) == int(number[11])


def clean_bin_iin(value):
    """The BIN/IIN without the spaces people put into it."""
    return re.sub(r"\s", "", value or "")


def parse_phone(value):
    """Parse a phone as typed in Kazakhstan; return the phonenumbers object or None if invalid."""
    raw = (value or "").strip()
    if not raw or not re.search(r"\d", raw):
        return None
    digits = re.sub(r"\D", "", raw)
    if not raw.startswith("+"):
        if len(digits) == 10 and digits.startswith("7"):
            raw = "+7" + digits  # 701 234 56 78
        elif len(digits) == 11 and digits[0] in "78":
            raw = "+7" + digits[1:]  # 8 701 ... or 7 701 ...
    try:
        number = phonenumbers.parse(raw, "KZ")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return number


def normalize_phone(value):
    """Return the phone as "+7 7XX XXX XX XX" (other countries: international format), or None."""
    number = parse_phone(value)
    if number is None:
        return None
    national = str(number.national_number)
    if number.country_code == 7 and len(national) == 10:
        return f"+7 {national[:3]} {national[3:6]} {national[6:8]} {national[8:]}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_e164(value):
    """Return the phone in E.164 ("+77012345678"), the form stored for searching, or None."""
    number = parse_phone(value)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(value):
    """True when a login typed on the login page is meant as a phone number."""
    return bool(re.fullmatch(r"[+\d\s()\-.]{10,20}", (value or "").strip()))
