"""The 功能分类 类 printed as rows of 表01 and 表04, per year.

Read from the repo's catalog file (the one source of the classification); the
classification changes between years, so every year keeps its own list and a year
without one uses the nearest earlier year's.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FUNCTION_CATALOG = DATA_DIR / "function_subjects.csv"
ECONOMIC_CATALOG = DATA_DIR / "economic_subjects.csv"


@dataclass(frozen=True)
class ExpenseClass:
    code: str
    name: str
    line: int  # 行次 in 表01; 表04 prints the same class one line lower


@dataclass(frozen=True)
class Classification:
    year: int
    classes: tuple[ExpenseClass, ...]


@lru_cache(maxsize=1)
def _classes_by_year() -> dict[int, tuple[ExpenseClass, ...]]:
    by_year: dict[int, list[ExpenseClass]] = {}
    with FUNCTION_CATALOG.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            if record["summary_line"]:
                by_year.setdefault(int(record["year"]), []).append(
                    ExpenseClass(record["code"], record["name"], int(record["summary_line"]))
                )
    return {year: tuple(sorted(items, key=lambda c: c.line)) for year, items in by_year.items()}


def catalog_years() -> list[int]:
    return sorted(_classes_by_year())


def classification_for(year: int) -> Classification:
    by_year = _classes_by_year()
    known = sorted(by_year)
    earlier = [y for y in known if y <= year]
    edition = earlier[-1] if earlier else known[0]
    return Classification(year=edition, classes=by_year[edition])
