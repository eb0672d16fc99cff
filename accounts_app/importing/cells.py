"""Reading single cell values: amounts, counts, codes and text, the way accountants type them."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache

from ..numbers import CENT, money

WAN = Decimal(10000)
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
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


def _raw_decimal(value) -> Decimal | Mark:
    if value is None:
        return Mark.BLANK
    if isinstance(value, bool) or isinstance(value, (datetime, date, time)):
        raise CellValueError("cell.bad_amount", found=text(value))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellValueError("cell.not_finite", found=text(value))
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    raw = compact(value).replace(",", "").replace("，", "")
    if not raw:
        return Mark.BLANK
    if is_dash(raw):
        return Mark.NOT_APPLICABLE
    if raw.lower() in {"nan", "inf", "+inf", "-inf", "infinity", "-infinity"}:
        raise CellValueError("cell.not_finite", found=text(value))
    if not _NUMBER.match(raw):
        raise CellValueError("cell.bad_amount", found=text(value))
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise CellValueError("cell.bad_amount", found=text(value)) from None


def amount(value, *, in_yuan: bool = False) -> tuple[Decimal | Mark, bool]:
    """(amount in 万元 with two decimals, or a Mark; whether rounding changed a 万元 figure).
    The disclosure tables hold no negative amounts: one is an error, never a 冲减 to guess at."""
    number = _raw_decimal(value)
    if isinstance(number, Mark):
        return number, False
    if number < 0:
        raise CellValueError("cell.negative", found=text(value))
    if in_yuan:
        number = number / WAN
    rounded = number.quantize(CENT, rounding=ROUND_HALF_UP)
    changed = not in_yuan and abs(rounded - number) > Decimal("1e-9")
    return rounded, changed


def count(value) -> Decimal | Mark:
    number = _raw_decimal(value)
    if isinstance(number, Mark):
        return number
    if number < 0:
        raise CellValueError("cell.negative_count", found=text(value))
    if number != number.to_integral_value():
        raise CellValueError("cell.bad_count", found=text(value))
    return number.quantize(CENT)


def code_part(value) -> str:
    """A code (or a 类/款/项 part of one) as digits; '' for an empty cell; raises for anything else."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = compact(value)
    if raw and not raw.isdigit():
        raise CellValueError("row.bad_code", found=text(value))
    return raw


def int_like(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        raw = compact(value)
        if raw.isdigit() and len(raw) <= 4:
            return int(raw)
    return None


def format_amount(value: Decimal | None) -> str:
    return "——" if value is None else money(value)
