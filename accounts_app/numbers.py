"""Amounts as the portal writes them, in one place: Decimal 万元 to the 分, printed with
thousands separators and two decimals; shares in % to two decimals, rounded half up.

And as it reads them: `parse_number` is the one reading of a figure from a workbook's cell
or a typed text. It accepts what accountants type and nothing more — ASCII and full-width
digits, one sign, one decimal point, thousands separators and spaces — and only numbers
the database can store and give back (`AMOUNT_LIMIT`: Figure.amount is numeric(16, 2)).
Python's int() and Decimal() accept far more (Arabic-Indic digits, 'NaN', '1E+999'), and
the NFKC folding the importer applies to labels turns 「³⁷³」 into 373: neither is used here.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

# How the database stores an amount (万元) or a count: numeric(16, 2) (Figure.amount), so below
# 10^14 on PostgreSQL. SQLite keeps a decimal as a double, exact to 15 significant digits: a
# 16-digit figure is stored but can no longer be read back (Django's converter raises). What the
# importer lets through stays one digit short of the column: below 10^13 万元 (10^17 元), ten
# thousand times the largest budget a department discloses.
AMOUNT_DIGITS, AMOUNT_PLACES = 16, 2
STORED_DIGITS = 15  # what every database the portal runs on keeps exactly
AMOUNT_LIMIT = Decimal(10) ** (STORED_DIGITS - AMOUNT_PLACES)

_FOLD = str.maketrans("０１２３４５６７８９．＋－", "0123456789.+-")  # full-width forms typed with a Chinese IME
_SEPARATORS = re.compile(r"[\s,，]+")  # spaces (any kind) and thousands separators, wherever they stand
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
SHOWN_CHARS = 40  # what a message quotes of a value that is not a number


class NotANumber(ValueError):
    """`code`: "number.bad" (not a number), "number.not_finite" or "number.out_of_range";
    `found`: the value as the message quotes it."""

    def __init__(self, code: str, found: str):
        self.code = code
        self.found = found
        super().__init__(f"{code}: {found}")


def parse_number(value, *, divisor: int = 1, limit: Decimal = AMOUNT_LIMIT) -> Decimal:
    """The number `value` holds (a cell's int, float, Decimal or text; a typed text), divided
    by `divisor` (10,000 for 元 read as 万元), exactly. Raises NotANumber for anything else,
    and when the number, rounded to two places, is not below `limit` in size."""
    if isinstance(value, bool) or isinstance(value, (datetime, date, time)):
        raise NotANumber("number.bad", shown(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotANumber("number.not_finite", shown(value))
        number = Decimal(repr(value))
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise NotANumber("number.not_finite", shown(value))
        number = value
    elif isinstance(value, str):
        number = _parse_text(value)
    else:
        raise NotANumber("number.bad", shown(value))
    if divisor != 1:
        number = number / divisor
    # below the limit once rounded half up to the 分: what the column can hold
    if abs(number) >= limit - CENT / 2:
        raise NotANumber("number.out_of_range", shown(value))
    return number


def _parse_text(value: str) -> Decimal:
    raw = _SEPARATORS.sub("", value.translate(_FOLD))
    if raw.lower() in _NOT_FINITE:
        raise NotANumber("number.not_finite", shown(value))
    if not _NUMBER.fullmatch(raw):
        raise NotANumber("number.bad", shown(value))
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise NotANumber("number.bad", shown(value)) from None


def fold_digits(text: str) -> str:
    """Full-width digits, point and signs as ASCII, character for character (positions kept):
    how a text is read for the amounts it states."""
    return text.translate(_FOLD)


def is_number(value) -> bool:
    """Whether `value` reads as a number (of any size): a cell that looks like data."""
    try:
        parse_number(value, limit=Decimal("Infinity"))
    except NotANumber:
        return False
    return True


def ascii_digits(value: str) -> str | None:
    """A code or a number typed in digits only — ASCII or full-width, spaces ignored — as
    ASCII digits; None for anything else (superscripts, other scripts' digits included)."""
    raw = re.sub(r"\s+", "", value.translate(_FOLD))
    return raw if raw and raw.isascii() and raw.isdigit() else None


def shown(value) -> str:
    """A value as a message quotes it: a number as Excel shows it (1E+308), a text with its
    runs of spaces collapsed and, when long, cut with an ellipsis."""
    if isinstance(value, float) and math.isfinite(value):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value).upper()
    if isinstance(value, float):
        return repr(value)  # inf, nan
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def money(amount: Decimal) -> str:
    """1085.68 → “1,085.68”."""
    return f"{amount:,.2f}"


def in_text(amount: Decimal) -> str:
    """An amount in running text, as the documents print it: 2826.76, no thousands separators
    (so that readers and checkers parse it); tables keep `money`."""
    return f"{amount:.2f}"


def cents(value: Decimal) -> Decimal:
    """A value to the 分 (two decimals, half up)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part ÷ whole in %, two decimals; None where there is no whole."""
    if part is None or not whole:
        return None
    return cents(part / whole * HUNDRED)
