"""One reading of a figure (accounts_app.numbers.parse_number) and the cell readers built on it:
the characters accepted, the range the database stores, the message of what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts_app.importing import cells
from accounts_app.importing.cells import CellValueError, Mark
from accounts_app.numbers import AMOUNT_LIMIT, NotANumber, ascii_digits, is_number, parse_number, shown


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1,085.68", "1085.68"),
        ("1, 085. 68", "1085.68"),  # seed 001's text amounts
        ("１２３．４５", "123.45"),  # full-width digits and point, typed with a Chinese IME
        ("１，２３４", "1234"),
        ("+12", "12"),
        ("－0.66", "-0.66"),
        (".5", "0.5"),
        ("\u3000 373.64 ", "373.64"),
        (373.64, "373.64"),
        (12, "12"),
        (Decimal("9999999999999.99"), "9999999999999.99"),
        ("9999999999999.994", "9999999999999.994"),
    ],
)
def test_what_accountants_type_is_read(value, expected):
    assert parse_number(value) == Decimal(expected)


@pytest.mark.parametrize(
    "value",
    [
        "³⁷³",  # superscripts: NFKC folds them to 373
        "٣٧٣",  # Arabic-Indic digits: Decimal() and int() accept them
        "३७३",  # Devanagari
        "①②",
        "½",
        "1e5",  # an exponent is a number Excel stores, not one an accountant types
        "1.2.3",
        "--1",
        "12元",
        "三十七点零一",
        True,
        object(),
    ],
)
def test_anything_else_is_not_a_number(value):
    with pytest.raises(NotANumber) as refused:
        parse_number(value)
    assert refused.value.code == "number.bad"
    assert not is_number(value)


@pytest.mark.parametrize("value", ["NaN", "-inf", "Infinity", float("inf"), float("nan"), Decimal("NaN")])
def test_infinities_and_nan_are_not_finite(value):
    with pytest.raises(NotANumber) as refused:
        parse_number(value)
    assert refused.value.code == "number.not_finite"


@pytest.mark.parametrize(
    "value, found",
    [
        (1e15, "1000000000000000"),
        (1e308, "1E+308"),
        ("123456789012345.67", "123456789012345.67"),
        ("10000000000000", "10000000000000"),
        ("9999999999999.995", "9999999999999.995"),  # rounds half up to 10^13: one digit too many
        (-1e15, "-1000000000000000"),
        ("1" + "0" * 5000, "1" + "0" * 39 + "…"),
    ],
)
def test_numbers_beyond_what_the_database_stores_are_out_of_range(value, found):
    with pytest.raises(NotANumber) as refused:
        parse_number(value)
    assert (refused.value.code, refused.value.found) == ("number.out_of_range", found)


def test_the_range_is_the_stored_one_after_converting_yuan():
    assert parse_number(1e15, divisor=10000) == Decimal("100000000000")
    with pytest.raises(NotANumber):
        parse_number(1e17, divisor=10000)
    assert AMOUNT_LIMIT == Decimal("10000000000000")


def test_a_cell_amount_names_what_it_found_and_what_it_expected():
    with pytest.raises(CellValueError) as refused:
        cells.amount(1e308)
    assert refused.value.code == "cell.out_of_range"
    assert refused.value.params == {"found": "1E+308", "expected": "10,000,000,000,000 万元", "what": "金额"}
    with pytest.raises(CellValueError) as refused:
        cells.amount("³⁷³")
    assert (refused.value.code, refused.value.params["found"]) == ("cell.bad_amount", "³⁷³")
    with pytest.raises(CellValueError) as refused:
        cells.count(10**15)
    assert refused.value.code == "cell.out_of_range" and refused.value.params["what"] == "数量"
    assert refused.value.params["expected"] == "10,000,000,000,000"


def test_cell_amounts_keep_their_marks_and_rounding():
    assert cells.amount(None) == (Mark.BLANK, False)
    assert cells.amount("  ") == (Mark.BLANK, False)
    assert cells.amount("——") == (Mark.NOT_APPLICABLE, False)
    assert cells.amount("－") == (Mark.NOT_APPLICABLE, False)
    assert cells.amount("12.345") == (Decimal("12.35"), True)
    assert cells.amount(123456.0, in_yuan=True) == (Decimal("12.35"), False)
    assert cells.amount(1e15, in_yuan=True) == (Decimal("100000000000.00"), False)  # 1E15 元 is storable


def test_codes_and_line_numbers_are_ascii_or_full_width_digits_only():
    assert cells.code_part("２１０") == "210"
    assert cells.code_part(2101501) == "2101501"
    assert cells.code_part(" 210 ") == "210"
    for value in ("²¹⁰", "٢١٠", "21O", 210.5):
        with pytest.raises(CellValueError):
            cells.code_part(value)
    assert cells.int_like("³") is None and cells.int_like("１２") == 12
    assert ascii_digits("٣") is None and ascii_digits("12") == "12"


def test_messages_quote_values_as_excel_shows_them():
    assert shown(1e15) == "1000000000000000"
    assert shown(float("inf")) == "inf"
    assert shown("  a \n b ") == "a b"
    assert shown(-0.66) == "-0.66"
