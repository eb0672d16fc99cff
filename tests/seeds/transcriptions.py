"""The three seed disclosures: their text as published (OCR'd, noisy) and our
transcription of their tables (tests/fixtures/seeds/NNN.json), and the helpers that
read figures out of the published text to hold the transcription to it."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SEEDS = ("000", "001", "002")

# The tables in the order each document prints them, with the title as printed.
TITLES = {
    "income_expense": "收入支出决算总表",
    "income": "收入决算表",
    "expense": "支出决算表",
    "fiscal_income_expense": "财政拨款收入支出决算总表",
    "gpb_expense": "一般公共预算财政拨款支出决算表",
    "gpb_basic": "一般公共预算财政拨款基本支出决算",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表",
    "soe_capital": "国有资本经营预算财政拨款支出决算表",
    "three_public": "三公",
    "three_public_detail": "三公",
    "state_assets": "国有资产占用情况表",
}
_AMOUNT = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+\.\d{2}(?!\d)|(?<![\d.,])\d+\.\d{2}(?!\d)")
_OCR_GAP = re.compile(r"(?<=\d[,.]) (?=\d)")


def load(seed: str) -> dict:
    return json.loads((SEEDS_DIR / f"{seed}.json").read_text(encoding="utf-8"))


def seed_text(seed: str) -> str:
    return (SEEDS_DIR / load(seed)["seed"]).read_text(encoding="utf-8")


def rows_of(table: dict) -> list[list]:
    """[key, label, {column: value}] for every transcribed row, blocks then footer."""
    return [row for block in table["blocks"] for row in block] + table.get("footer", [])


def figures(seed: str) -> dict[str, dict[tuple[str, str], str]]:
    """{table: {(row key, column): value as transcribed}}."""
    return {
        key: {(row[0], column): value for row in rows_of(table) for column, value in row[2].items()}
        for key, table in load(seed)["tables"].items()
    }


def _compact(line: str) -> str:
    return re.sub(r"[\s#*]", "", line)


def table_sections(seed: str) -> dict[str, str]:
    """The printed text of each table, from its title to the next table's title."""
    lines = seed_text(seed).split("\n")
    start = max(i for i, line in enumerate(lines) if "第二部分" in line)
    end = next(i for i in range(start, len(lines)) if "第三部分" in lines[i])
    keys = list(load(seed)["tables"])
    found = []
    i = start
    for key in keys:
        title = TITLES[key]
        while not (title in _compact(lines[i]) and len(_compact(lines[i])) < 60):
            i += 1
        found.append((key, i))
        i += 1
    bounds = [index for _, index in found] + [end]
    return {key: "\n".join(lines[bounds[n] : bounds[n + 1]]) for n, (key, _) in enumerate(found)}


def printed_amounts(section: str) -> Counter:
    """Every two-decimal amount in a printed section, OCR gaps ("1, 085. 68") closed."""
    text = _OCR_GAP.sub("", section)
    return Counter(Decimal(token.replace(",", "")) for token in _AMOUNT.findall(text))


def transcribed_amounts(seed: str, table: str) -> Counter:
    return Counter(
        Decimal(value)
        for value in figures(seed)[table].values()
        if re.fullmatch(r"-?\d+\.\d{2}", value)
    )


def printed_cell_rows(seed: str) -> list[list[str]]:
    """Seed 002 prints every cell on its own tab-led line, rows ending at an empty line."""
    rows, current = [], None
    for line in seed_text(seed).split("\n"):
        if line.startswith("\t"):
            current = current if current is not None else []
            current.append(line[1:].strip())
        elif current is not None:
            rows.append(current)
            current = None
    return rows


def amount_of(value) -> Decimal | None:
    """A transcribed value as stored: Decimal, or None for "——"."""
    return None if value == "——" else Decimal(str(value))


def expected_figures(seed: str) -> dict[str, dict[tuple[str, str], Decimal | None]]:
    """{table: {(row key, column): amount}}: what the store must hold for a seed. A table printed
    in a form stored under another form's keys (三公 items as rows) is expected under those keys,
    cell by cell as its spec's cell map says; the cells the map leaves out are not stored."""
    from accounts_app.specs import specs_for_year

    specs = specs_for_year(load(seed)["year"])
    found = {}
    for table, amounts in printed_figures(seed).items():
        spec = specs[table]
        if spec.stores_as:
            to = {(row, column): (to_row, to_column) for row, column, to_row, to_column in spec.cell_map}
            amounts = {to[cell]: amount for cell, amount in amounts.items() if cell in to}
        found[spec.stores_as or table] = amounts
    return found


def printed_figures(seed: str) -> dict[str, dict[tuple[str, str], Decimal | None]]:
    """{table: {(row key, column): amount}} as the document prints them, in its own form (a 三公
    table printed with its items as rows: under that form's key, rows and columns)."""
    return {table: {cell: amount_of(value) for cell, value in cells.items()} for table, cells in figures(seed).items()}


def dataset(seed: str):
    """The transcription as the Dataset the importer would produce (specs of the seed's year)."""
    from accounts_app.dataset import Dataset, LineData, TableData
    from accounts_app.specs import specs_for_year

    info = load(seed)
    specs = specs_for_year(info["year"])
    result = Dataset(year=info["year"])
    for key, table in info["tables"].items():
        spec = specs[key]
        data = TableData(spec=spec)
        for row_key, label, values in rows_of(table):
            line = data.lines.setdefault(row_key, LineData(row_key, label))
            line.values.update({column: amount_of(value) for column, value in values.items()})
        if spec.stores_as:
            data = data.stored_as(specs[spec.stores_as])
        result.tables[data.spec.key] = data
    return result
