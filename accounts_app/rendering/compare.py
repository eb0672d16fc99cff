"""The region's comparison and a department's trend, from the key figures stored with each
published version (`Version.summary`): pure, so the page never reads the figures.

Unknown is not zero: a key figure the tables did not hold is None (printed 「—」), a known
zero is 0 (printed 0.00). A total is known only when every part is: the region's 三公 over
departments of which one did not publish it is unknown, not the sum of the others, and
over departments that all lack it certainly not 0.00. A share needs both 基本支出 and 项目支出."""

from __future__ import annotations

from decimal import Decimal

from ..numbers import share
from ..specs.key_figures import COMPARED, EXPENSE_PARTS, KEY_LABELS


def amount(value) -> Decimal | None:
    """A stored key figure ("1085.68", or None when the tables did not hold it)."""
    return None if value in (None, "") else Decimal(value)


def total(values) -> Decimal | None:
    """The sum of known amounts; None (unknown) when there is none, or when any is unknown."""
    values = list(values)
    if not values or any(value is None for value in values):
        return None
    return sum(values, Decimal(0))


def compare_rows(entries: list[tuple[int, str, dict]]) -> tuple[list[dict], dict]:
    """(rows, totals) for (disclosure id, name, summary) of each department: its key figures,
    and the share of each of 基本支出/项目支出 in their sum; the totals likewise, and under
    "incomplete" the (label, number of departments without it) of each figure whose total is
    unknown because some department lacks it."""
    rows = []
    for pk, entity, summary in entries:
        figures = {key: amount(summary.get(key)) for key in COMPARED}
        rows.append({"pk": pk, "entity": entity, **figures, **_shares(figures), "operating": None})
    totals: dict = {key: total(row[key] for row in rows) for key in COMPARED}
    totals.update(_shares(totals))
    totals["incomplete"] = [
        (KEY_LABELS[key], missing)
        for key in COMPARED
        if (missing := sum(1 for row in rows if row[key] is None))
    ]
    return rows, totals


def _shares(figures: dict) -> dict:
    spent = total(figures[key] for key in EXPENSE_PARTS)
    return {f"{key}_share": share(figures[key], spent) for key in EXPENSE_PARTS}
