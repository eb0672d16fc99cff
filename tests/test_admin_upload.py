"""The upload page in the admin, over HTTP: choose or create a disclosure, upload, read the result."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts_app.models import Disclosure, Figure, Membership, Version, VersionTable
from accounts_app.services import workflow
from tests.conftest import corrected_seed_book, corrected_seed_bytes
from tests.statements import state_the_rest

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/accounts_app/disclosure/upload/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def accountant_of(django_user_model):
    """Factory: a staff user who is the 填报人 of a department, with the admin's upload permission."""

    def make(department):
        user = django_user_model.objects.create_user("kuaiji", password="x", is_staff=True)
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="accounts_app", codename__in=["add_version", "view_version", "view_disclosure"]
            )
        )
        Membership.objects.create(user=user, role=Membership.Role.ACCOUNTANT, department=department)
        return user

    return make


def _file(seed: str, data: bytes | None = None, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or f"seed_{seed}.xlsx", data or corrected_seed_bytes(seed), content_type=XLSX)


class _TableCells(HTMLParser):
    """The text of each cell of the table with the given id, row by row (header rows included)."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "table":
            self.inside = False


def table_cells(html: str, table_id: str) -> list[list[str]]:
    parser = _TableCells(table_id)
    parser.feed(html)
    return parser.rows


def outcome_text(html: str) -> str:
    found = re.search(r'<p class="[^"]*" id="outcome">(.*?)</p>', html, re.S)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", found.group(1)))


def _refused(version, user, errors: int) -> None:
    with pytest.raises(workflow.TransitionRefused) as refused:
        state_the_rest(version)
        workflow.version_submit(version=version, actor=workflow.Actor(user))
    assert str(refused.value) == f"检查发现 {errors} 处错误，须修改工作簿并重新上传后才能提交。"
    version.refresh_from_db()
    assert version.status == Version.Status.DRAFT


FINDING_COLUMNS = ["级别", "工作表", "单元格", "应为", "实为", "说明"]  # the findings' columns: the message names the table


def test_upload_creates_the_disclosure_and_shows_tables_and_findings(client, accountant_of, seed_disclosure):
    existing = seed_disclosure("000")
    department = existing.department
    existing.delete()  # the form creates it anew from department, kind and year
    accountant = accountant_of(department)
    client.force_login(accountant)

    page = client.get(UPLOAD)
    assert page.status_code == 200
    assert "上传并检查" in page.content.decode()

    response = client.post(
        UPLOAD, {"department": department.pk, "kind": "department", "year": 2023, "workbook": _file("000")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    version = Version.objects.get(disclosure__department=department, disclosure__year__year=2023)
    assert version.number == 1 and version.created_by == accountant
    warnings = version.findings.filter(severity="warning")
    assert warnings.exists() and not version.findings.filter(severity="error").exists()
    assert outcome_text(html) == f"已保存为第1版（草稿）。另有{warnings.count()}条提示，请核对。查看该版本"

    # what each sheet was read as, in the workbook's order: the 9 tables by their own numbers, then the 附件
    assert "读取情况（23 个工作表）" in html
    header, *rows = table_cells(html, "tables")
    assert header == ["工作表", "读作", "状态", "行数", "数据个数", "合计", "说明"]
    stored = {t.table: t for t in VersionTable.objects.filter(version=version)}
    read = [
        ("公开01表", "公开01表", "income_expense", "收入支出决算总表", "373.64"),
        ("公开02表", "公开02表", "income", "收入决算表", "373.64"),
        ("Sheet3", "公开03表", "expense", "支出决算表", "373.64"),
        ("公开04表", "公开04表", "fiscal_income_expense", "财政拨款收入支出决算总表", "373.64"),
        ("公开05表", "公开05表", "gpb_expense", "一般公共预算财政拨款支出决算表", "373.64"),
        ("公开06表", "公开06表", "gpb_basic", "一般公共预算财政拨款基本支出决算明细表", "99.70"),
        ("公开07表", "公开07表", "gov_fund", "政府性基金预算财政拨款收入支出决算表", ""),
        ("公开08表", "公开08表", "soe_capital", "国有资本经营预算财政拨款支出决算表", ""),
        ("公开09表", "公开09表", "three_public", "财政拨款“三公”经费支出决算表", ""),
    ]
    assert rows == [
        [sheet, f"{label}「{title}」", "已读取", str(stored[key].lines.count()), str(stored[key].figure_count), headline, ""]
        for sheet, label, key, title, headline in read
    ] + [[f"附件{n}", "", "绩效自评表", "", "", "", ""] for n in range(1, 15)]
    assert "识别到的绩效自评表（14 张）" in html and "综合业务费、新乡市凤泉区医疗保障局、城乡医疗救助" in html  # 第五部分 附件

    # 尾差 warnings, each with the cell it points at and its message naming the table; no errors
    assert f"问题清单（错误 0 处，提示 {warnings.count()} 条）" in html
    header, *rows = table_cells(html, "findings")
    assert header == FINDING_COLUMNS
    assert sorted(rows) == sorted(["提示", f.sheet, f.cell, f.expected, f.found, f.message] for f in warnings)
    assert ["提示", "公开02表", "C8", "373.65", "373.64",
            "公开02表「收入决算表」：合计 = Σ类；类 = Σ款；款 = Σ项：合计行「本年收入合计」栏 应为 373.65，实为 373.64，"
            "相差 0.01，在四舍五入尾差范围内（≤ 0.02）。"] in rows


def test_second_upload_is_a_new_version(client, accountant_of, seed_disclosure):
    disclosure = seed_disclosure("001")
    client.force_login(accountant_of(disclosure.department))
    for number in (1, 2):
        response = client.post(UPLOAD, {"disclosure": disclosure.pk, "kind": "department", "workbook": _file("001")})
        assert f"已保存为第 {number} 版" in response.content.decode()
    assert list(disclosure.versions.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_upload_with_a_missing_table_is_kept_as_a_draft_and_lists_errors_first(client, accountant_of, seed_disclosure):
    disclosure = seed_disclosure("000")
    accountant = accountant_of(disclosure.department)
    book = corrected_seed_book("000")
    sheet = next(s for s in book.worksheets if any("收入决算表" == str(c.value).strip() for row in s.iter_rows(max_row=5) for c in row))
    book.remove(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(accountant)

    response = client.post(
        UPLOAD, {"disclosure": disclosure.pk, "kind": "department", "workbook": _file("000", buffer.getvalue())}
    )
    html = response.content.decode()
    version = Version.objects.get(disclosure=disclosure)  # kept, with the error
    warnings = version.findings.filter(severity="warning").count()
    assert outcome_text(html) == (
        f"已保存为第1版（草稿）。检查发现1处错误，改正前不能提交审核；另有{warnings}条提示，请核对。查看该版本"
    )
    assert f"问题清单（错误 1 处，提示 {warnings} 条）" in html
    header, first, *rest = table_cells(html, "findings")
    assert header == FINDING_COLUMNS
    assert first == ["错误", "", "", "", "", "缺少公开02表「收入决算表」。没有数据的表也须上传（保留表头，数据留空）。"]
    assert len(rest) == warnings and {row[0] for row in rest} == {"提示"}
    _, *sheets = table_cells(html, "tables")
    assert [row[0] for row in sheets] == ["公开01表", "Sheet3"] + [f"公开0{n}表" for n in range(4, 10)] + [f"附件{n}" for n in range(1, 15)]
    assert Figure.objects.filter(line__table__version=version).exists()  # the other tables, as read
    assert not Figure.objects.filter(line__table__table="income").exists()
    _refused(version, accountant, errors=1)


def test_upload_with_errors_keeps_the_new_disclosure_and_its_draft(client, accountant_of, seed_disclosure):
    existing = seed_disclosure("001")  # its titles print "2022年度"
    department = existing.department
    existing.delete()
    accountant = accountant_of(department)
    client.force_login(accountant)
    response = client.post(
        UPLOAD,
        {"department": department.pk, "kind": "department", "year": 2023, "workbook": _file("001")},
    )
    html = response.content.decode()
    assert outcome_text(html) == "已保存为第1版（草稿）。检查发现9处错误，改正前不能提交审核；查看该版本"
    titles = [
        "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算明细表", "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
        "财政拨款“三公”经费支出决算表",
    ]
    _, *rows = table_cells(html, "findings")
    assert rows == [  # each table by its own number and its title as printed
        ["错误", f"表{n}", "A1", "2023", "2022", f"表{n}「{title}」：年度不符：本次上传的是 2023 年度，表中为 2022 年度。"]
        for n, title in enumerate(titles, start=1)
    ]
    [disclosure] = Disclosure.objects.filter(department=department)
    assert disclosure.year.year == 2023
    version = disclosure.versions.get()
    assert version.number == 1
    _refused(version, accountant, errors=9)


def test_an_unopenable_file_does_not_keep_a_new_disclosure(client, accountant_of, seed_disclosure):
    existing = seed_disclosure("001")
    department = existing.department
    existing.delete()
    client.force_login(accountant_of(department))
    response = client.post(
        UPLOAD,
        {"department": department.pk, "kind": "department", "year": 2023, "workbook": _file("001", b"not a zip at all")},
    )
    html = response.content.decode()
    assert outcome_text(html) == "未保存：文件无法安全打开，请修改后重新上传。本次上传没有保存任何数据。"
    assert "文件不是 Excel 工作簿（.xlsx）" in html
    assert not Disclosure.objects.filter(department=department).exists()
    assert not Version.objects.exists()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("report.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "只接受 Excel 工作簿（.xlsx）"),
        ("report.xlsx", b"not a zip at all", "文件不是 Excel 工作簿（.xlsx）"),
    ],
)
def test_wrong_files_are_refused_with_a_chinese_message(client, accountant_of, seed_disclosure, name, data, message):
    disclosure = seed_disclosure("000")
    client.force_login(accountant_of(disclosure.department))
    response = client.post(UPLOAD, {"disclosure": disclosure.pk, "kind": "department", "workbook": _file("000", data, name)})
    assert message in response.content.decode()
    assert not Version.objects.exists()


def test_oversized_upload_is_refused(client, accountant_of, seed_disclosure, settings):
    settings.WORKBOOK_MAX_UPLOAD_BYTES = 1000
    disclosure = seed_disclosure("000")
    client.force_login(accountant_of(disclosure.department))
    response = client.post(UPLOAD, {"disclosure": disclosure.pk, "kind": "department", "workbook": _file("000")})
    assert "文件过大" in response.content.decode()
    assert not Version.objects.exists()


def test_upload_needs_login_and_permission(client, django_user_model):
    assert client.get(UPLOAD).status_code == 302
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    response = client.get(UPLOAD)
    assert response.status_code == 403
    assert "没有上传决算公开表的权限" in response.content.decode()
