"""With last year imported from its published PDF, this year's draft 情况说明 takes last
year's figures from it: no fact typed, the year-on-year sentences right; the department's
trend and the board span the imported year, timed by the original publication date."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from django.urls import reverse

from accounts_app.models import Disclosure, Membership, Version
from accounts_app.services.organisations import disclosure_ensure
from accounts_app.services.pdf_history import published_pdf_import
from tests.conftest import seed_workbook

from .conftest import PUBLISHED_ON, SHANGHAI_ENTITY, SHANGHAI_PDF

THIS_YEAR = 2025
GRAND_TOTAL = 400.00  # this year's 收、支总计 (last year's, in the PDF: 307.82)


def _this_years_workbook() -> bytes:
    """The Shanghai workbook with this year's 收、支总计 on 表一."""
    book = openpyxl.load_workbook(seed_workbook("shanghai_2024"))
    sheet = book["表一"]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "总计":
                sheet.cell(row=cell.row, column=cell.column + 1, value=GRAND_TOTAL)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, putuo, django_user_model) -> Version:
    disclosure = disclosure_ensure(region=putuo, entity=SHANGHAI_ENTITY, year=THIS_YEAR, kind=Disclosure.Kind.DEPARTMENT)
    user = django_user_model.objects.create_user("putuo-tianbao", password="pw-12345")
    Membership.objects.create(user=user, role=Membership.Role.ACCOUNTANT, department=disclosure.department)
    client.force_login(user)
    upload = io.BytesIO(_this_years_workbook())
    upload.name = "2025.xlsx"
    response = client.post(reverse("work:upload", args=[disclosure.pk]), {"workbook": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    return disclosure.versions.get()


def _overview(client, version) -> str:
    page = client.get(reverse("work:narrative", args=[version.pk]))
    assert page.status_code == 200
    return page.content.decode()


def test_the_draft_compares_with_last_years_imported_pdf(putuo, client, django_user_model):
    imported = published_pdf_import(
        region=putuo, data=SHANGHAI_PDF.read_bytes(), filename=SHANGHAI_PDF.name, published_on=PUBLISHED_ON
    )
    assert imported.version.disclosure.year.year == THIS_YEAR - 1
    version = _upload(client, putuo, django_user_model)
    html = _overview(client, version)
    # 400.00 − 307.82 = 92.18; 92.18 ÷ 307.82 = 29.95 %
    assert "2025 年度收、支总计均为 400.00 万元。与上年度相比，收、支总计各增加 92.18 万元，增长 29.95%。" in html
    assert not version.facts.filter(key__startswith="last_").exists()  # nothing typed


def test_without_last_year_the_draft_has_no_comparison(putuo, client, django_user_model):
    version = _upload(client, putuo, django_user_model)
    html = _overview(client, version)
    assert "2025 年度收、支总计均为 400.00 万元。" in html
    assert "与上年度相比，收、支总计" not in html


def test_trend_compare_and_board_span_the_imported_year(putuo, client, django_user_model):
    imported = published_pdf_import(
        region=putuo, data=SHANGHAI_PDF.read_bytes(), filename=SHANGHAI_PDF.name, published_on=PUBLISHED_ON
    )
    department = imported.version.disclosure.department
    page = client.get(reverse("department", args=[department.pk]))
    assert page.status_code == 200 and "2024年度" in page.content.decode()
    board = client.get(reverse("board"), {"region": putuo.code, "year": "2024"})
    html = board.content.decode()
    assert board.status_code == 200 and SHANGHAI_ENTITY in html and "2025-09-16" in html
    csv = client.get(reverse("board_csv"), {"region": putuo.code, "year": "2024"}).content.decode("utf-8-sig")
    assert "2025-09-16" in csv
    compare = client.get(reverse("compare"), {"year": "2024"})
    assert compare.status_code == 200 and SHANGHAI_ENTITY in compare.content.decode()
    assert date(2025, 9, 16) == imported.version.original_published_on
