"""The Shanghai seed PDF (中共上海市普陀区委社会工作部 2024, WPS, the newer national order)
imported as a published historical version: every figure equal to the document (our
transcription of it, tests/fixtures/seeds/shanghai_2024.json, which tests/seeds checks
against the PDF's text), its narrative split into its parts, its checks stored as findings
and shown, the version published from the date entered, marked and never editable."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts_app.models import AuditEntry, Disclosure, Version
from accounts_app.selectors import version_dataset
from accounts_app.services.pdf_history import Result, published_pdf_import
from tests.seeds.transcriptions import expected_figures

from .conftest import PUBLISHED_ON, SHANGHAI_ENTITY, SHANGHAI_PDF, stored_figures


def _import(region, user=None):
    return published_pdf_import(
        region=region, data=SHANGHAI_PDF.read_bytes(), filename=SHANGHAI_PDF.name, published_on=PUBLISHED_ON, user=user
    )


def test_every_figure_equals_the_document(putuo):
    outcome = _import(putuo)
    assert outcome.result == Result.IMPORTED, outcome.message
    version = outcome.version
    assert version.disclosure.entity_name == SHANGHAI_ENTITY and version.disclosure.year.year == 2024
    assert version.disclosure.kind == Disclosure.Kind.DEPARTMENT
    found = stored_figures(version_dataset(version))
    expected = expected_figures("shanghai_2024")
    assert set(found) == set(expected)
    for table in expected:
        assert found[table] == expected[table], table
    compared = sum(len(cells) for cells in expected.values())
    assert compared == version.figure_count == 205
    # the department's own numbering and titles, as printed
    labels = {t.table: (t.label, t.printed_title) for t in version.tables.all()}
    assert labels["three_public"] == ("表七", "财政拨款“三公”经费支出决算表")
    assert labels["gov_fund"][0] == "表八" and labels["soe_capital_ie"][0] == "表九"
    # a name wrapped over two lines in the PDF, joined
    assert version.tables.get(table="income").lines.get(key="2080505").label == "机关事业单位基本养老保险缴费支出"


def test_it_is_published_history_with_its_hash_and_date(putuo):
    version = _import(putuo).version
    assert version.status == Version.Status.PUBLISHED and version.origin == Version.Origin.PUBLISHED_PDF
    assert version.original_published_on == PUBLISHED_ON and timezone.localtime(version.published_at).date() == PUBLISHED_ON
    assert version.source_sha256 == version.pdf_sha256 and len(version.source_sha256) == 64
    assert version.pdf.read() == SHANGHAI_PDF.read_bytes()
    assert version.disclosure.current_version_id == version.pk
    assert version.summary["income_total"] == "307.82" and version.summary["income_grand"] == "307.82"
    assert AuditEntry.objects.filter(version=version, action=AuditEntry.Action.IMPORT_PDF).count() == 1


def test_its_narrative_is_split_into_its_parts(putuo):
    version = _import(putuo).version
    kinds = [(part["number"], part["kind"]) for part in version.published_parts]
    assert ("第一部分", "profile") in kinds and ("第三部分", "narrative") in kinds and ("第四部分", "glossary") in kinds
    profile = next(p for p in version.published_parts if p["kind"] == "profile")
    assert profile["paragraphs"][0] == "一、主要职能"
    sections = version.narrative_sections
    assert [s["number"] for s in sections] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert sections[0]["title"] == "收入支出决算总体情况说明"
    assert "收入支出总计307.82万元" in sections[0]["paragraphs"][0].replace(" ", "")
    assert "增长100.00%。主要原因：单位于2024年成立。" in sections[0]["paragraphs"][0].replace(" ", "")
    assert [sub["number"] for sub in sections[4]["subsections"]] == ["（一）", "（二）", "（三）"]
    glossary = next(p for p in version.published_parts if p["kind"] == "glossary")
    assert glossary["paragraphs"][0].startswith("一、财政拨款收入：")


def test_the_checks_are_stored_and_shown(putuo, client, admin_user):
    outcome = _import(putuo, admin_user)
    version = outcome.version
    # the document's own 尾差: 302 商品和服务支出 10.23 against its 款 10.22, and 05 vs 06
    codes = sorted(version.findings.values_list("code", flat=True))
    assert codes == ["check.rounding", "check.rounding"], codes
    # named by the PDF's page, and the grid's row and column on it
    assert version.findings.get(table="gpb_basic").cell == "第13页2行6列"
    assert version.tables.get(table="income").sheet_name == "第6—7页"  # continued over a page
    client.force_login(admin_user)
    page = client.get(reverse("work:version", args=[version.pk]))
    assert page.status_code == 200
    assert "302「商品和服务支出」" in page.content.decode()


def test_the_public_page_shows_it_as_imported_history(putuo, client):
    version = _import(putuo).version
    page = client.get(reverse("disclosure", args=[version.disclosure_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "根据已公开 PDF 导入" in html and "2025-09-16" in html
    assert "主要原因：单位于 2024 年成立。" in html or "主要原因：单位于2024年成立。" in html
    pdf = client.get(reverse("download_pdf", args=[version.disclosure_id, version.number]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]) == SHANGHAI_PDF.read_bytes()


def test_importing_twice_changes_nothing(putuo):
    first = _import(putuo)
    second = _import(putuo)
    assert second.result == Result.ALREADY and second.version.pk == first.version.pk
    assert Version.objects.count() == 1 and AuditEntry.objects.count() == 1


def test_it_is_never_editable(putuo, client, django_user_model):
    from accounts_app.models import Membership

    version = _import(putuo).version
    user = django_user_model.objects.create_user("putuo-accountant", password="pw-12345")
    Membership.objects.create(user=user, role="accountant", department=version.disclosure.department)
    client.force_login(user)
    response = client.post(reverse("work:narrative_facts", args=[version.pk]), {})
    assert response.status_code in (403, 404, 302)
    version.refresh_from_db()
    assert version.status == Version.Status.PUBLISHED and not version.facts.exists()


def test_the_admin_imports_one_file(putuo, client, admin_user):
    client.force_login(admin_user)
    listing = client.get(reverse("admin:accounts_app_version_changelist"))
    assert reverse("admin:accounts_app_version_import_pdf") in listing.content.decode()
    with SHANGHAI_PDF.open("rb") as handle:
        page = client.post(
            reverse("admin:accounts_app_version_import_pdf"), {"region": putuo.pk, "published_on": "2025-09-16", "pdf": handle}
        )
    html = page.content.decode()
    assert page.status_code == 200 and "已导入" in html and "205 个数据" in html
    version = Version.objects.get()
    assert version.created_by == admin_user and version.origin == Version.Origin.PUBLISHED_PDF


def test_only_administrators_import(putuo, client, django_user_model):
    from accounts_app.models import Membership

    user = django_user_model.objects.create_user("putuo-czj", password="pw-12345", is_staff=True)
    Membership.objects.create(user=user, role=Membership.Role.REVIEWER, region=putuo)
    client.force_login(user)
    response = client.get(reverse("admin:accounts_app_version_import_pdf"))
    assert response.status_code == 403
