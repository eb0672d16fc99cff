"""Reading single cell values: amounts, counts, codes and text, the way accountants type them."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import lru_cache

from ..numbers import AMOUNT_LIMIT, CENT, NotANumber, ascii_digits, money, parse_number, shown

WAN = Decimal(10000)
_SPACES = re.compile(r"\s+")
_DASHES = set("—–―-－‐─ｰ")


class Mark(Enum):
    BLANK = "blank"  # nothing in the cell
    NOT_APPLICABLE = "na"  # "——"


class CellValueError(ValueError):
    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)


# Labels repeat across sheets and are looked at many times (identification, header, rows):
# short texts are normalised once. Long ones are not kept, so a hostile workbook cannot make
# a cache hold more than CACHED_TEXTS × SHORT_TEXT characters.
CACHED_TEXTS, SHORT_TEXT = 8192, 120


@lru_cache(maxsize=CACHED_TEXTS)
def _normalised(value: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip()


@lru_cache(maxsize=CACHED_TEXTS)
def _label_key(value: str) -> str:
    key = _SPACES.sub("", _normalised(value))
    for a, b in (("“", '"'), ("”", '"'), ("'", '"'), ("‘", '"'), ("’", '"'), ("〔", "("), ("〕", ")")):
        key = key.replace(a, b)
    return key.replace('"', "")


@lru_cache(maxsize=CACHED_TEXTS)
def _compact(value: str) -> str:
    return _SPACES.sub("", _normalised(value))


def text(value) -> str:
    """A cell as normalised text: full-width forms folded (NFKC), spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _normalised(value) if len(value) <= SHORT_TEXT else _normalised.__wrapped__(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)):
        return str(value)  # ASCII without white space: normalised already
    return _normalised.__wrapped__(str(value))


def compact(value) -> str:
    """Text without any white space: "项 目" and "项目" compare equal."""
    if isinstance(value, str) and len(value) <= SHORT_TEXT:
        return _compact(value)
    return _SPACES.sub("", text(value))


def label_key(value) -> str:
    """Text for comparing labels: compact, quotes and brackets unified."""
    if isinstance(value, str) and len(value) <= SHORT_TEXT:
        return _label_key(value)
    return _label_key.__wrapped__(text(value))


_ORDINAL = re.compile(r"^(?:其中:)?(?:[一二三四五六七八九十]+[、.]|\(?\d+\)|\d+[、.]|\([一二三四五六七八九十]+\))?(?:其中:)?")


@lru_cache(maxsize=CACHED_TEXTS)
def _row_label_key(value: str) -> str:
    return _ORDINAL.sub("", _label_key(value))


def row_label_key(value) -> str:
    """A row label without its ordinal or 「其中：」: "一、一般公共预算财政拨款收入" → "一般公共预算财政拨款收入"."""
    if isinstance(value, str) and len(value) <= SHORT_TEXT:
        return _row_label_key(value)
    return _ORDINAL.sub("", label_key(value))


def is_dash(value: str) -> bool:
    return bool(value) and all(ch in _DASHES for ch in value)


_NUMBER_CODES = {"number.bad": "cell.bad_amount", "number.not_finite": "cell.not_finite", "number.out_of_range": "cell.out_of_range"}
BAD_AMOUNT = "数字（单位万元，两位小数）"


def mark(value) -> Mark | None:
    """Mark.BLANK for an empty cell (or only spaces), Mark.NOT_APPLICABLE for a dash (「——」,
    「－」, 「-」 …); None for a cell with anything else in it."""
    if value is None:
        return Mark.BLANK
    if isinstance(value, str):
        raw = compact(value)
        if not raw:
            return Mark.BLANK
        if is_dash(raw):
            return Mark.NOT_APPLICABLE
    return None


def _raw_decimal(value, *, divisor: int = 1, what: str = "金额") -> Decimal | Mark:
    """A figure cell: its Mark, or its number through numbers.parse_number (the characters it
    accepts, the range the database stores), divided by `divisor`."""
    found = mark(value)
    if found is not None:
        return found
    try:
        return parse_number(value, divisor=divisor)
    except NotANumber as error:
        expected = BAD_AMOUNT
        if error.code == "number.out_of_range":
            expected = f"{AMOUNT_LIMIT:,}" + (" 万元" if what == "金额" else "")
        raise CellValueError(_NUMBER_CODES[error.code], found=error.found, expected=expected, what=what) from None


def amount(value, *, in_yuan: bool = False) -> tuple[Decimal | Mark, bool]:
    """(amount in 万元 with two decimals, or a Mark; whether rounding changed a 万元 figure).
    The disclosure tables hold no negative amounts: one is an error, never a 冲减 to guess at."""
    number = _raw_decimal(value, divisor=int(WAN) if in_yuan else 1)
    if isinstance(number, Mark):
        return number, False
    if number < 0:
        raise CellValueError("cell.negative", found=shown(value))
    rounded = number.quantize(CENT, rounding=ROUND_HALF_UP)
    changed = not in_yuan and abs(rounded - number) > Decimal("1e-9")
    return rounded, changed


def count(value) -> Decimal | Mark:
    number = _raw_decimal(value, what="数量")
    if isinstance(number, Mark):
        return number
    if number < 0:
        raise CellValueError("cell.negative_count", found=shown(value))
    if number != number.to_integral_value():
        raise CellValueError("cell.bad_count", found=shown(value))
    return number.quantize(CENT)


def code_part(value) -> str:
    """A code (or a 类/款/项 part of one) as digits; '' for an empty cell; raises for anything else."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, (int, str)) or isinstance(value, bool):
        raise CellValueError("row.bad_code", found=shown(value))
    raw = str(value)
    if not raw.strip():
        return ""
    digits = ascii_digits(raw)
    if digits is None:
        raise CellValueError("row.bad_code", found=shown(value))
    return digits


def int_like(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        raw = ascii_digits(value)
        if raw is not None and len(raw) <= 4:
            return int(raw)
    return None


def format_amount(value: Decimal | None) -> str:
    return "——" if value is None else money(value)
