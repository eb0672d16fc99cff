"""The upload page in the admin, over HTTP: choose or create a disclosure, upload, read the result."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts_app.models import Disclosure, Figure, Membership, Version
from tests.conftest import seed_workbook

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
    return SimpleUploadedFile(name or f"seed_{seed}.xlsx", data or seed_workbook(seed).read_bytes(), content_type=XLSX)


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
    assert "已保存为第 1 版（草稿）" in html
    assert "识别到的公开表（9 张）" in html
    for title in ("收入支出决算总表", "一般公共预算财政拨款基本支出决算明细表", "财政拨款“三公”经费支出决算表"):
        assert title in html
    assert "识别到的绩效自评表（14 张）" in html and "综合业务费、新乡市凤泉区医疗保障局、城乡医疗救助" in html  # 第五部分 附件
    # 尾差 warnings are listed with the cell they point at; no errors
    warnings = version.findings.filter(severity="warning")
    assert warnings.exists() and not version.findings.filter(severity="error").exists()
    first = warnings.exclude(cell="").first()
    assert first is None or first.cell in html


def test_second_upload_is_a_new_version(client, accountant_of, seed_disclosure):
    disclosure = seed_disclosure("001")
    client.force_login(accountant_of(disclosure.department))
    for number in (1, 2):
        response = client.post(UPLOAD, {"disclosure": disclosure.pk, "kind": "department", "workbook": _file("001")})
        assert f"已保存为第 {number} 版" in response.content.decode()
    assert list(disclosure.versions.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_failed_upload_stores_nothing_and_lists_errors_first(client, accountant_of, seed_disclosure):
    disclosure = seed_disclosure("000")
    accountant = accountant_of(disclosure.department)
    book = openpyxl.load_workbook(seed_workbook("000"))
    sheet = next(s for s in book.worksheets if any("收入决算表" == str(c.value).strip() for row in s.iter_rows(max_row=5) for c in row))
    book.remove(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(accountant)

    response = client.post(
        UPLOAD, {"disclosure": disclosure.pk, "kind": "department", "workbook": _file("000", buffer.getvalue())}
    )
    html = response.content.decode()
    assert "未保存" in html
    assert "缺少公开02表「收入决算表」" in html
    assert not Version.objects.filter(disclosure=disclosure).exists()
    assert not Figure.objects.exists()


def test_failed_upload_does_not_keep_a_new_disclosure(client, accountant_of, seed_disclosure):
    existing = seed_disclosure("001")  # its titles print "2022年度"
    department = existing.department
    existing.delete()
    client.force_login(accountant_of(department))
    response = client.post(
        UPLOAD,
        {"department": department.pk, "kind": "department", "year": 2023, "workbook": _file("001")},
    )
    assert "年度不符：本次上传的是 2023 年度，表中为 2022 年度。" in response.content.decode()
    assert not Disclosure.objects.filter(department=department).exists()


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
