"""The region's comparison and a department's trend, from the key figures stored with each
published version (`Version.summary`): pure, so the page never reads the figures."""

from __future__ import annotations

from decimal import Decimal

from ..numbers import share
from ..specs.key_figures import COMPARED, EXPENSE_PARTS


def amount(value) -> Decimal | None:
    """A stored key figure ("1085.68", or None when the tables did not hold it)."""
    return None if value in (None, "") else Decimal(value)


def compare_rows(entries: list[tuple[int, str, dict]]) -> tuple[list[dict], dict]:
    """(rows, totals) for (disclosure id, name, summary) of each department: its key figures,
    and the share of each of 基本支出/项目支出 in their sum; the totals likewise."""
    rows = []
    for pk, entity, summary in entries:
        figures = {key: amount(summary.get(key)) for key in COMPARED}
        rows.append({"pk": pk, "entity": entity, **figures, **_shares(figures), "operating": None})
    totals = {key: sum((row[key] for row in rows if row[key] is not None), Decimal(0)) for key in COMPARED}
    totals.update(_shares(totals))
    return rows, totals


def _shares(figures: dict) -> dict:
    spent = sum((figures[key] or 0 for key in EXPENSE_PARTS), Decimal(0))
    return {f"{key}_share": share(figures[key], spent) for key in EXPENSE_PARTS}
