"""Pure tests of the Kazakh identifier and phone rules (no database): BIN/IIN check digits and
phone spellings, as clever_pos_base applies them."""

import importlib.util
import pathlib

import pytest

_PATH = pathlib.Path(__file__).resolve().parent.parent / "addons/clever_pos_base/tools/kz_validation.py"
_spec = importlib.util.spec_from_file_location("kz_validation", _PATH)
kz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kz)


@pytest.mark.parametrize(
    "number",
    [
        "971240001315",  # Kaspi Bank's BIN (first weights give the digit)
        "940740000911",
        "150340001236",  # the demo shop
        "880101300123",  # an IIN
        "9712 4000 1315",  # spaces as people type them
    ],
)
def test_valid_bin_iin(number):
    assert kz.is_valid_bin_iin(number)


@pytest.mark.parametrize(
    "number",
    ["971240001316", "100241007868", "97124000131", "9712400013155", "97124000131A", "", None],
)
def test_invalid_bin_iin(number):
    assert not kz.is_valid_bin_iin(number)


def test_second_weights_are_used_when_first_give_ten():
    # Find 11 digits whose first weighted sum is 10 mod 11: the digit then comes from the second
    # weights, and a number is refused only when both give 10.
    for n in range(10**10, 10**10 + 5000):
        digits = f"{n:011d}"
        first = sum(int(d) * w for d, w in zip(digits, range(1, 12))) % 11
        if first == 10:
            second = sum(int(d) * w for d, w in zip(digits, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))) % 11
            assert kz.bin_iin_check_digit(digits) == (None if second == 10 else second)
            if second != 10:
                assert kz.is_valid_bin_iin(digits + str(second))
            return
    pytest.fail("no sample found")


@pytest.mark.parametrize(
    "typed",
    ["8 701 234 56 78", "+7 (701) 234-56-78", "7012345678", "87012345678", "77012345678", "+77012345678", "8-701-234-56-78"],
)
def test_phone_spellings(typed):
    assert kz.normalize_phone(typed) == "+7 701 234 56 78"
    assert kz.phone_e164(typed) == "+77012345678"


def test_landline_and_foreign_numbers():
    assert kz.normalize_phone("8 727 355 00 00") == "+7 727 355 00 00"
    assert kz.normalize_phone("+49 30 901820") == "+49 30 901820"


@pytest.mark.parametrize("typed", ["8 701 234", "", None, "abc", "+7 000 000 00 00"])
def test_invalid_phones(typed):
    assert kz.normalize_phone(typed) is None


def test_what_looks_like_a_phone_login():
    assert kz.looks_like_phone("+7 (701) 234-56-78")
    assert kz.looks_like_phone("87012345678")
    assert not kz.looks_like_phone("manager")
    assert not kz.looks_like_phone("admin@example.com")
