"""The CSV import of a region's departments and users, over HTTP (the admin page: upload,
preview, confirm) and as `manage.py import_organisations`: what it creates, finds already
there or refuses (with the reason), that a second import changes nothing, that a malformed
file is rejected whole with every problem listed, and the e-mails to the new users."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from accounts_app.models import Department, Membership, Region, Unit
from accounts_app.importing.organisations_csv import SAMPLE_CSV, organisations_csv_parse
from accounts_app.services.organisations import RegionInfo, region_ensure

pytestmark = pytest.mark.django_db
IMPORT = "/admin/accounts_app/department/import/"
HEADER = "部门名称,部门编码,本级单位,下属单位,角色,用户名,姓名,电子邮箱\n"


@pytest.fixture
def region(catalogs):
    return region_ensure(info=RegionInfo("901000", "示例区", "示例省", "示例区财政局", "standard"))


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.gov.cn", "x")
    client.force_login(user)
    return user


def snapshot(django_user_model) -> dict:
    """Everything an import may create, as comparable values."""
    return {
        "departments": sorted(Department.objects.values_list("region__code", "name", "code")),
        "units": sorted(Unit.objects.values_list("department__name", "name", "is_main")),
        "users": sorted(django_user_model.objects.values_list("username", "first_name", "email")),
        "roles": sorted(Membership.objects.values_list("user__username", "role", "department__name", "region__code")),
    }


def report_rows(html: str) -> list[tuple[str, ...]]:
    body = re.search(r'<table id="import-report">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [
        tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S))
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def upload(client, region, text: str, encoding: str = "utf-8-sig", name: str = "部门.csv"):
    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(IMPORT, {"region": region.pk, "file": file})


def confirm(client, preview, capture):
    payload = re.search(r'name="payload" value="([^"]+)"', preview.content.decode()).group(1)
    with capture(execute=True):
        return client.post(IMPORT, {"payload": payload})


SAMPLE_CREATED = [
    ("部门", "示例区教育局", "新建", "", "2、3"),
    ("本级单位", "示例区教育局机关", "新建", "", "2、3"),
    ("下属单位", "示例区第一中学", "新建", "", "2、3"),
    ("下属单位", "示例区实验小学", "新建", "", "2、3"),
    ("部门", "示例区卫生健康委员会", "新建", "", "4"),
    ("部门", "示例区民政局", "新建", "", "5"),
    ("填报人", "sl-jiaoyu", "新建", "", "2"),
    ("填报人", "sl-jiaoyu2", "新建", "", "3"),
    ("填报人", "sl-weijian", "新建", "", "4"),
    ("审核人", "sl-czj", "新建", "", "6"),
]


def test_upload_preview_confirm_then_again_changes_nothing(
    client, root, region, django_user_model, django_capture_on_commit_callbacks
):
    before = snapshot(django_user_model)
    preview = upload(client, region, SAMPLE_CSV)
    html = preview.content.decode()
    assert "预览：以下是导入<strong>将要</strong>做的（尚未保存）" in html
    assert report_rows(html) == SAMPLE_CREATED
    assert "新建 10 项，已存在 0 项，拒绝 0 项；将向 4 位新用户发送设置密码的邮件。" in html
    assert snapshot(django_user_model) == before and mail.outbox == []  # a preview keeps nothing

    done = confirm(client, preview, django_capture_on_commit_callbacks)
    html = done.content.decode()
    assert "已导入到 示例区。" in html
    assert report_rows(html) == SAMPLE_CREATED
    assert "已导入到示例区：新建 10 项，已存在 0 项，拒绝 0 项；已向 4 位新用户发送设置密码的邮件。" in html
    after = snapshot(django_user_model)
    assert after["departments"] == sorted(
        [("901000", "示例区教育局", "901001"), ("901000", "示例区卫生健康委员会", "901002"), ("901000", "示例区民政局", "901003")]
    )
    assert after["units"] == sorted(
        [("示例区教育局", "示例区教育局机关", True), ("示例区教育局", "示例区第一中学", False), ("示例区教育局", "示例区实验小学", False)]
    )
    assert ("sl-czj", "reviewer", None, "901000") in after["roles"]
    assert ("sl-jiaoyu2", "accountant", "示例区教育局", None) in after["roles"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lina@example.gov.cn", "wangqiang@example.gov.cn", "zhangmin@example.gov.cn", "zhaolei@example.gov.cn"
    ]
    assert all(m.subject == "【部门决算公开】请设置您的登录密码" and "http://testserver/accounts/password/" in m.body for m in mail.outbox)

    mail.outbox.clear()
    again = confirm(client, upload(client, region, SAMPLE_CSV), django_capture_on_commit_callbacks)
    rows = report_rows(again.content.decode())
    assert [row[2] for row in rows] == ["已存在"] * 10
    assert "新建 0 项，已存在 10 项，拒绝 0 项。" in again.content.decode()
    assert snapshot(django_user_model) == after
    assert mail.outbox == []


def test_conflicts_are_refused_with_reasons_and_the_rest_imported(
    client, root, region, django_user_model, django_capture_on_commit_callbacks
):
    other = region_ensure(info=RegionInfo("902000", "邻区", "示例省", "邻区财政局", "standard"))
    elsewhere = Department.objects.create(region=other, name="邻区教育局")
    taken = django_user_model.objects.create_user("ll-jiaoyu", email="ll@example.gov.cn")
    Membership.objects.create(user=taken, role="accountant", department=elsewhere)
    django_user_model.objects.create_user("someone", email="used@example.gov.cn")
    Department.objects.create(region=region, name="示例区财政局", code="901099")
    Department.objects.create(region=region, name="示例区水利局", code="901050")
    text = HEADER + (
        "示例区财政局,901077,,,,,,\n"  # exists with another code
        "示例区司法局,901050,,,,,,\n"  # a code taken by 水利局
        "示例区司法局,901050,,,填报人,sf-sifa,周一,zhou@example.gov.cn\n"
        "示例区交通局,901060,,,填报人,LL-jiaoyu,吴二,wu@example.gov.cn\n"  # username of 邻区's 填报人
        "示例区交通局,,,,填报人,sl-jiaotong,郑三,USED@example.gov.cn\n"  # e-mail of another user
        "示例区交通局,,,,填报人,sl-jiaotong2,冯四,feng@example.gov.cn\n"
    )
    preview = upload(client, region, text)
    done = confirm(client, preview, django_capture_on_commit_callbacks)
    assert report_rows(done.content.decode()) == [
        ("部门", "示例区财政局", "拒绝", "部门已存在，编码为「901099」，文件中为「901077」：未修改（需要时请在部门页面修改）。", "2"),
        ("部门", "示例区司法局", "拒绝", "部门编码 901050 已是示例区「示例区水利局」的编码。", "3、4"),
        ("部门", "示例区交通局", "新建", "", "5、6、7"),
        ("填报人", "sf-sifa", "拒绝", "所属部门「示例区司法局」未建立。", "4"),
        ("填报人", "LL-jiaoyu", "拒绝", "用户名「LL-jiaoyu」已被使用（邻区教育局的填报人）。", "5"),
        ("填报人", "sl-jiaotong", "拒绝", "电子邮箱 USED@example.gov.cn 已是用户「someone」的邮箱。", "6"),
        ("填报人", "sl-jiaotong2", "新建", "", "7"),
    ]
    assert "已导入到示例区：新建 2 项，已存在 0 项，拒绝 5 项；已向 1 位新用户发送设置密码的邮件。" in done.content.decode()
    assert Department.objects.get(region=region, name="示例区财政局").code == "901099"  # never changed
    assert [m.to for m in mail.outbox] == [["feng@example.gov.cn"]]


def test_a_malformed_file_is_rejected_whole_with_every_problem(client, root, region, django_user_model):
    before = snapshot(django_user_model)
    text = HEADER + (
        "示例区教育局,901001,,,填报人,sl-a,张一,not-an-address\n"
        "示例区教育局,901002,,,填报人,sl-b,,b@example.gov.cn\n"
        ",,,,审核人,SL-A,王二,w@example.gov.cn\n"
        "示例区民政局,,,,管理员,sl-c,赵三,c@example.gov.cn\n"
        ",,,,填报人,sl-d,钱四,d@example.gov.cn\n"
        "示例区财政局,,,,,sl-e,,\n"
        "示例区教育局,,,,审核人,sl-f,孙五,f@example.gov.cn\n"
    )
    html = upload(client, region, text).content.decode()
    problems = re.findall(r"<li>(.*?)</li>", re.search(r'id="import-rejected">(.*?)</div>', html, re.S).group(1))
    assert problems == [
        "第 2 行：电子邮箱「not-an-address」格式不正确。",
        "第 3 行：缺少姓名。",
        "第 5 行：角色「管理员」不认识，应为「填报人」「审核人」或留空。",
        "第 6 行：填报人须填写所属部门的名称。",
        "第 7 行：填写了用户，但没有角色（填报人或审核人）。",
        "第 8 行：审核人审核整个行政区划，不属于部门：请将部门各列留空（部门另起一行）。",
        "用户名「sl-a」在第 2、4 行重复。",
        "部门「示例区教育局」的编码在第 2、3 行不一致。",
    ]
    assert 'name="payload"' not in html
    assert snapshot(django_user_model) == before

    html = upload(client, region, "部门,用户名,备注\n示例区教育局,x,y\n").content.decode()
    assert "表头缺少这些列：角色、姓名、电子邮箱（表头须在第一行）。" in html
    assert "表头有不认识的列：备注。" in html


def test_a_gbk_file_from_excel_is_read(client, root, region, django_capture_on_commit_callbacks):
    preview = upload(client, region, HEADER + "示例区教育局,,,,填报人,sl-a,张一,a@example.gov.cn\n", encoding="gb18030")
    assert report_rows(preview.content.decode())[0][:3] == ("部门", "示例区教育局", "新建")
    file = SimpleUploadedFile("部门.csv", b"\xff\xfe\xff,\x81\n", content_type="text/csv")  # neither UTF-8 nor GBK
    html = client.post(IMPORT, {"region": region.pk, "file": file}).content.decode()
    assert "无法识别文件的编码：请另存为 UTF-8 或 GBK（GB18030）编码的 CSV 文件。" in html


def test_a_tampered_preview_is_refused(client, root, region):
    response = client.post(IMPORT, {"payload": "not-signed"}, follow=True)
    assert "预览已过期或无效，请重新上传文件。" in response.content.decode()
    assert not Department.objects.exists()


def test_the_sample_downloads_and_is_a_valid_file(client, root):
    response = client.get("/admin/accounts_app/department/import/sample.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff部门名称".encode("utf-8"))  # Excel reads UTF-8 with its BOM
    parsed = organisations_csv_parse(data=response.content)
    assert (len(parsed.departments), len(parsed.people)) == (3, 4)
    page = client.get(IMPORT).content.decode()
    assert 'href="/admin/accounts_app/department/import/sample.csv"' in page


# -- the command ------------------------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_reports_and_a_second_run_changes_nothing(
    region, tmp_path, django_user_model, django_capture_on_commit_callbacks
):
    path = tmp_path / "部门.csv"
    path.write_text(SAMPLE_CSV, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        out, err = run("--region", "901000", "--site", "https://juesuan.example.gov.cn", str(path))
    assert "导入" in err and "7/7" in err  # the progress bar, on stderr
    assert "示例区（901000）" in out
    assert re.search(r"│ 部门\s+│ 示例区教育局\s+│ 新建 │", out)
    assert re.search(r"│ 审核人\s+│ sl-czj\s+│ 新建 │", out)
    assert "新建 10 项，已存在 0 项，拒绝 0 项；已向 4 位新用户发送设置密码的邮件。" in out
    assert len(mail.outbox) == 4
    assert all("https://juesuan.example.gov.cn/accounts/password/" in m.body for m in mail.outbox)
    after = snapshot(django_user_model)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run("--region", "901000", str(path))
    assert "新建 0 项，已存在 10 项，拒绝 0 项。" in out
    assert out.count("已存在") == 11
    assert snapshot(django_user_model) == after and mail.outbox == []


def test_the_command_dry_run_keeps_nothing(region, tmp_path, django_user_model):
    path = tmp_path / "部门.csv"
    path.write_text(SAMPLE_CSV, encoding="utf-8")
    before = snapshot(django_user_model)
    out, _ = run("--region", "901000", "--dry-run", str(path))
    assert "预演，未保存" in out and "新建 10 项" in out and "将向 4 位新用户" in out
    assert snapshot(django_user_model) == before


def test_the_command_fails_on_refusals_and_rejections(region, tmp_path, django_user_model):
    Department.objects.create(region=region, name="示例区教育局", code="999")
    path = tmp_path / "部门.csv"
    path.write_text(SAMPLE_CSV, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="有 1 项被拒绝（原因见上表），其余已导入。"):
        call_command("import_organisations", "--region", "901000", str(path), stdout=out, stderr=err)
    assert "部门已存在，编码为「999」" in out.getvalue()
    assert django_user_model.objects.filter(username="sl-weijian").exists()

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "示例区教育局,,,,填报人,sl-x,,x@example.gov.cn\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="没有导入：有 1 个问题"):
        call_command("import_organisations", "--region", "901000", str(bad), stdout=io.StringIO(), stderr=err)
    assert "第 2 行：缺少姓名。" in err.getvalue()

    with pytest.raises(CommandError, match="没有代码为「123456」的行政区划"):
        call_command("import_organisations", "--region", "123456", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_organisations", "--region", "901000", str(tmp_path / "none.csv"), stdout=io.StringIO())
    assert Region.objects.count() == 1


def test_the_parser_merges_a_departments_rows_and_reads_aliases():
    text = (
        "姓名,账号,邮箱,角色,部门,下属单位\n"
        "张一,a,a@example.gov.cn,填报人,甲局,一所、二所\n"
        "李二,b,b@example.gov.cn,填报人,甲局,二所；三所\n"
        "\n"
        ",,,,乙局,\n"
    )
    parsed = organisations_csv_parse(data=text.encode("utf-8"))
    assert [(d.name, d.sub_units, d.lines) for d in parsed.departments] == [
        ("甲局", ("一所", "二所", "三所"), (2, 3)), ("乙局", (), (5,))
    ]
    assert [(p.role, p.username, p.department, p.line) for p in parsed.people] == [
        ("填报人", "a", "甲局", 2), ("填报人", "b", "甲局", 3)
    ]
    assert parsed.size == 4
