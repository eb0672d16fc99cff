"""The Shanghai seed (中共上海市普陀区委社会工作部, 2024 部门决算, the newer national order):
our transcription (tests/fixtures/seeds/shanghai_2024.json) holds every figure the published
PDF prints in each table and no other, in the specs' keys; the workbook built from it
(tests/fixtures/workbooks/seed_shanghai_2024.xlsx) holds exactly the transcribed figures.

The figures come from the document: the stored `pdftotext -layout` text of the PDF, which
a test re-extracts from the PDF itself when poppler is installed."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections import Counter
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from .transcriptions import SEEDS_DIR, load, printed_amounts, rows_of, seed_text, transcribed_amounts

SEED = "shanghai_2024"
PDF = SEEDS_DIR / "shanghai-putuo-shgzb-2024.pdf"
WORKBOOK = SEEDS_DIR.parent / "workbooks" / "seed_shanghai_2024.xlsx"
DATA = SEEDS_DIR.parent.parent.parent / "accounts_app" / "data"

# The tables in the order the document prints them: key, title as printed, sheet name.
TABLES = [
    ("income_expense", "收入支出决算总表", "表一"),
    ("income", "收入决算表", "表二"),
    ("expense", "支出决算表", "表三"),
    ("fiscal_income_expense", "财政拨款收入支出决算总表", "表四"),
    ("gpb_expense", "一般公共预算财政拨款支出决算表", "表五"),
    ("gpb_basic", "一般公共预算财政拨款基本支出决算表", "表六"),
    ("three_public", "财政拨款“三公”经费支出决算表", "表七"),
    ("gov_fund", "政府性基金预算财政拨款收入支出决算表", "表八"),
    ("soe_capital_ie", "国有资本经营预算财政拨款收入支出决算表", "表九"),
]
KEYS = [key for key, _, _ in TABLES]
EMPTY = {"three_public", "gov_fund", "soe_capital_ie"}
# The value columns of the code tables, left to right as printed (and in the workbook).
CODE_COLUMNS = {
    "income": ["total", "fiscal", "superior", "business", "operating", "affiliated", "other"],
    "expense": ["total", "basic", "project", "to_superior", "operating", "to_affiliated"],
    "gpb_expense": ["total", "basic", "project"],
}
LINE_COLUMNS = {"income_expense": [["amount"], ["amount"]], "fiscal_income_expense": [["amount"], ["total", "gpb", "gov_fund", "soe"]]}
AMOUNT = re.compile(r"-?\d+\.\d{2}")


def _compact(line: str) -> str:
    return re.sub(r"\s", "", line)


def table_lines(text: str) -> list[str]:
    """The printed tables: from the first table's title (alone on its line, so not the 目录's
    「一、收入支出决算总表」) to the 第三部分 heading."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if _compact(line) == TABLES[0][1])
    end = next(i for i in range(start, len(lines)) if _compact(lines[i]).startswith("第三部分"))
    return lines[start:end]


def sections(text: str) -> dict[str, str]:
    """Each table's printed text, from its title to the next table's title."""
    lines = table_lines(text)
    starts, i = [], 0
    for _, title, _ in TABLES:
        while _compact(lines[i]) != title:
            i += 1
        starts.append(i)
    bounds = starts + [len(lines)]
    return {key: "\n".join(lines[bounds[n] : bounds[n + 1]]) for n, key in enumerate(KEYS)}


# -- the transcription against the document -------------------------------------------------


def test_the_transcription_lists_the_tables_in_printed_order():
    info = load(SEED)
    assert (info["seed"], info["entity"], info["year"], info["kind"], info["region"]) == (
        "shanghai-putuo-shgzb-2024.txt",
        "中共上海市普陀区委社会工作部",
        2024,
        "department",
        "上海市普陀区",
    )
    assert list(info["tables"]) == KEYS
    assert list(sections(seed_text(SEED))) == KEYS


@pytest.mark.parametrize("table", KEYS)
def test_every_printed_amount_is_transcribed(table):
    printed = printed_amounts(sections(seed_text(SEED))[table])
    assert transcribed_amounts(SEED, table) == printed
    assert bool(printed) == (table not in EMPTY)


def test_empty_tables_say_so_as_printed():
    printed = sections(seed_text(SEED))
    for table in EMPTY:
        assert "说明：中共上海市普陀区委社会工作部本年度没有" in _compact(printed[table])
        assert load(SEED)["tables"][table] == {"blocks": [[]]}


def test_the_stored_text_is_what_pdftotext_extracts_from_the_pdf():
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    extracted = subprocess.run(
        ["pdftotext", "-layout", str(PDF), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert table_lines(extracted) == table_lines(seed_text(SEED))


# -- the transcription against our specs and catalogs -----------------------------------------


def _catalog(name: str, year: int) -> set[str]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return {row["code"] for row in csv.DictReader(handle) if int(row["year"]) == year}


def test_keys_are_the_specs_keys():
    from accounts_app.specs import RowKind, specs_for_year

    specs = specs_for_year(2024)
    codes = {RowKind.SUBJECT: _catalog("function_subjects.csv", 2024), RowKind.ECONOMIC: _catalog("economic_subjects.csv", 2024)}
    for key, table in load(SEED)["tables"].items():
        spec = specs[key]
        columns = {column.key for column in spec.value_columns}
        for row_key, _, values in rows_of(table):
            assert set(values) <= columns, (key, row_key)
            assert all(AMOUNT.fullmatch(value) for value in values.values()), (key, row_key)
        if spec.row_kind is RowKind.LINE:  # every fixed row, with the spec's label
            assert [[(r[0], r[1]) for r in block] for block in table["blocks"]] == [
                [(row.key, row.label) for row in block.rows] for block in spec.blocks
            ]
        elif key in CODE_COLUMNS or key == "gpb_basic":
            listed = [row[0] for row in table["blocks"][0] if row[0] != "total"]
            listed += [row[0] for block in table["blocks"][1:] for row in block]
            assert set(listed) <= codes[spec.row_kind], key
            assert all(len(code) in spec.code_lengths for code in listed), key
    footer = load(SEED)["tables"]["gpb_basic"]["footer"]
    assert [(r[0], r[1]) for r in footer] == [(row.key, row.label) for row in specs["gpb_basic"].footer]


# -- the workbook against the transcription ---------------------------------------------------


@pytest.fixture(scope="module")
def book():
    return load_workbook(WORKBOOK)


def _amount(value) -> Decimal | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if isinstance(value, str) and AMOUNT.fullmatch(value.strip()):
        return Decimal(value.strip())
    return None


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def test_workbook_sheets_titles_and_units(book):
    assert book.sheetnames == [sheet for _, _, sheet in TABLES]
    for _, title, sheet in TABLES:
        ws = book[sheet]
        assert ws.cell(1, 1).value == title
        assert ws.cell(2, ws.max_column).value == "单位：万元"
        texts = [_compact(str(c.value)) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert "行次" not in texts and "栏次" not in texts


@pytest.mark.parametrize("table", KEYS)
def test_workbook_holds_exactly_the_transcribed_figures(book, table):
    ws = book[dict((k, s) for k, _, s in TABLES)[table]]
    found = Counter(a for row in ws.iter_rows(values_only=True) for a in map(_amount, row) if a is not None)
    assert found == transcribed_amounts(SEED, table)


def _data_rows(ws, first_row: int):
    return [list(row) for row in ws.iter_rows(min_row=first_row, values_only=True)]


@pytest.mark.parametrize("table", list(CODE_COLUMNS))
def test_workbook_code_tables_cell_by_cell(book, table):
    ws = book[dict((k, s) for k, _, s in TABLES)[table]]
    read = {}
    for row in _data_rows(ws, 5):
        code = row[0]
        if code == "合计" or (isinstance(code, str) and code.isdigit()):
            values = {c: _text(_amount(v)) for c, v in zip(CODE_COLUMNS[table], row[2:])}
            read["total" if code == "合计" else code] = (row[1], {c: v for c, v in values.items() if v})
    expected = {key: (None if key == "total" else label, values) for key, label, values in rows_of(load(SEED)["tables"][table])}
    assert read == expected
    codes = [ws.cell(r, 1) for r in range(5, ws.max_row + 1) if str(ws.cell(r, 1).value or "").isdigit()]
    assert codes and all(cell.data_type == "s" for cell in codes), "codes are text"
    total_row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    assert (total_row == ws.max_row - 1) == (table == "gpb_expense"), "表05 prints its 合计 at the bottom"


def test_workbook_basic_spending_blocks(book):
    ws = book["表六"]
    table = load(SEED)["tables"]["gpb_basic"]
    rows = _data_rows(ws, 4)
    for offset, block in zip((0, 3), table["blocks"]):
        read = [(r[offset], r[offset + 1], _text(_amount(r[offset + 2]))) for r in rows if str(r[offset] or "").isdigit()]
        assert read == [(code, label, values["amount"]) for code, label, values in block]
    footer = next(r for r in rows if r[0] == "人员经费合计")
    assert (footer[0], _text(_amount(footer[2])), footer[3], _text(_amount(footer[5]))) == tuple(
        v for _, label, values in table["footer"] for v in (label, values["amount"])
    )


@pytest.mark.parametrize("table", list(LINE_COLUMNS))
def test_workbook_summary_tables_in_printed_order(book, table):
    """Blocks side by side: each block's rows that carry figures, in order, with their columns."""
    ws = book[dict((k, s) for k, _, s in TABLES)[table]]
    rows = _data_rows(ws, 5)
    offset = 0
    for columns, block in zip(LINE_COLUMNS[table], load(SEED)["tables"][table]["blocks"]):
        read = []
        for row in rows:
            values = {c: _text(_amount(v)) for c, v in zip(columns, row[offset + 1 : offset + 1 + len(columns)])}
            if any(values.values()):
                read.append({c: v for c, v in values.items() if v})
        assert read == [values for _, _, values in block if values]
        offset += 1 + len(columns)


def test_workbook_mimics_a_software_export(book):
    """Most amounts are numbers; a few totals are text, as some 决算 software exports them."""
    cells = [c for ws in book for row in ws.iter_rows() for c in row if _amount(c.value) is not None and c.row > 2]
    text = [c for c in cells if isinstance(c.value, str)]
    assert text and len(text) < len(cells) / 4
