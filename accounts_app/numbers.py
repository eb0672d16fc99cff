"""Amounts as the portal writes them, in one place: Decimal 万元 to the 分, printed with
thousands separators and two decimals; shares in % to two decimals, rounded half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


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
