"""The admin's 新增部门 page over HTTP: one POST creates the region, department, units,
填报人 and 审核人 (and the year's 部门决算), e-mails each new user a one-time link to set
their password; duplicates are refused in Chinese next to their fields, creating nothing;
only 管理员 reach it; the admin index and the 部门 list link to it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from accounts_app.models import Department, Disclosure, Membership, Region, Unit
from accounts_app.services.organisations import INVITATION_SUBJECT, MESSAGES, RegionInfo, region_ensure

pytestmark = pytest.mark.django_db
ONBOARD = "/admin/accounts_app/department/onboard/"
LINK = re.compile(r"http://testserver(/accounts/password/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.gov.cn", "x")
    client.force_login(user)
    return user


@pytest.fixture
def fengquan(catalogs):
    return region_ensure(info=RegionInfo("410704", "新乡市凤泉区", "河南省", "新乡市凤泉区财政局", "standard"))


def form_data(**fields) -> dict:
    """A complete 新增部门 form: a new region, a department with units, two 填报人, a new 审核人."""
    data = {
        "region": "",
        "region_code": "410711",
        "region_name": "新乡市示范区",
        "region_province": "河南省",
        "region_finance_bureau": "新乡市示范区财政局",
        "region_table_set": "standard",
        "name": "新乡市示范区教育局",
        "code": "411001",
        "year": "2024",
        "main_unit": "新乡市示范区教育局机关",
        "sub_units": "新乡市示范区第一中学\r\n\r\n新乡市示范区实验小学\r\n",
        "accountants-TOTAL_FORMS": "3",
        "accountants-INITIAL_FORMS": "0",
        "accountants-MIN_NUM_FORMS": "0",
        "accountants-MAX_NUM_FORMS": "20",
        "accountants-0-username": "sf-jiaoyu",
        "accountants-0-name": "张敏",
        "accountants-0-email": "zhangmin@example.gov.cn",
        "accountants-1-username": "sf-jiaoyu2",
        "accountants-1-name": "李娜",
        "accountants-1-email": "lina@example.gov.cn",
        "accountants-2-username": "",
        "accountants-2-name": "",
        "accountants-2-email": "",
        "reviewer": "",
        "reviewer_username": "sf-czj",
        "reviewer_name": "赵磊",
        "reviewer_email": "zhaolei@example.gov.cn",
    }
    data.update(fields)
    return data


def errors_of(html: str) -> list[str]:
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    found += re.findall(r'<p class="errornote general-error">(.*?)</p>', html, re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for block in found for item in re.split(r"</li>", block) if item.strip()]


def test_it_creates_the_department_with_everything_in_one_post(client, root, catalogs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ONBOARD, form_data())
    department = Department.objects.get(name="新乡市示范区教育局")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/accounts_app/department/{department.pk}/change/"
    region = department.region
    assert (region.code, region.name, region.province, region.finance_bureau, region.table_set) == (
        "410711", "新乡市示范区", "河南省", "新乡市示范区财政局", "standard"
    )
    assert department.code == "411001"
    assert [(u.name, u.is_main) for u in Unit.objects.filter(department=department)] == [
        ("新乡市示范区教育局机关", True), ("新乡市示范区实验小学", False), ("新乡市示范区第一中学", False)
    ]
    accountants = Membership.objects.filter(role="accountant", department=department).order_by("user__username")
    assert [(m.user.username, m.user.first_name, m.user.email) for m in accountants] == [
        ("sf-jiaoyu", "张敏", "zhangmin@example.gov.cn"), ("sf-jiaoyu2", "李娜", "lina@example.gov.cn")
    ]
    reviewer = Membership.objects.get(role="reviewer", region=region).user
    assert (reviewer.username, reviewer.first_name) == ("sf-czj", "赵磊")
    for user in [m.user for m in accountants] + [reviewer]:
        assert not user.has_usable_password() and user.is_active and not user.is_staff
    assert Disclosure.objects.filter(department=department, year__year=2024, kind="department", unit=None).count() == 1

    page = client.get(response["Location"]).content.decode()
    assert "已建立部门「新乡市示范区教育局」（新乡市示范区），单位 3 个，填报人 sf-jiaoyu、sf-jiaoyu2，审核人 sf-czj，2024年度部门决算。" in page
    assert "已向 3 位新用户（sf-jiaoyu、sf-jiaoyu2、sf-czj）发送设置密码的邮件。" in page

    assert sorted(m.to[0] for m in mail.outbox) == ["lina@example.gov.cn", "zhangmin@example.gov.cn", "zhaolei@example.gov.cn"]
    letter = next(m for m in mail.outbox if m.to == ["zhangmin@example.gov.cn"])
    assert letter.subject == INVITATION_SUBJECT == "【部门决算公开】请设置您的登录密码"
    assert "张敏，您好" in letter.body and "您是新乡市示范区教育局的填报人" in letter.body
    assert "用户名：sf-jiaoyu" in letter.body and "http://testserver/accounts/login/" in letter.body
    assert "赵磊，您好" in next(m for m in mail.outbox if m.to == ["zhaolei@example.gov.cn"]).body
    assert "新乡市示范区的审核人" in next(m for m in mail.outbox if m.to == ["zhaolei@example.gov.cn"]).body


def test_the_link_sets_the_password_once(client, root, catalogs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ONBOARD, form_data())
    letter = next(m for m in mail.outbox if m.to == ["zhangmin@example.gov.cn"])
    link = LINK.search(letter.body).group(1)
    client.logout()

    form_page = client.get(link, follow=True)
    assert "请为账号" in form_page.content.decode() and "sf-jiaoyu" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Jiaoyu-2026-ok", "new_password2": "Jiaoyu-2026-ok"}, follow=True)
    assert "您的登录密码已设置" in done.content.decode()

    signed_in = client.post("/accounts/login/", {"username": "sf-jiaoyu", "password": "Jiaoyu-2026-ok"})
    assert signed_in["Location"] == "/work/"
    dashboard = client.get("/work/").content.decode()
    assert "新乡市示范区教育局" in dashboard
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "这个链接已经失效" in again


def test_it_refuses_duplicates_in_chinese_and_creates_nothing(client, root, fengquan, django_user_model):
    Department.objects.create(region=fengquan, name="新乡市凤泉区教育局", code="411001")
    django_user_model.objects.create_user("fq-jiaoyu", email="old@example.gov.cn")
    django_user_model.objects.create_user("someone", email="zhangmin@example.gov.cn")
    before = (Region.objects.count(), Department.objects.count(), Unit.objects.count(), django_user_model.objects.count())
    data = form_data(
        region=str(fengquan.pk), region_code="", region_name="", region_province="", region_finance_bureau="",
        name="新乡市凤泉区教育局",
        code="411001",
        main_unit="凤泉区第一中学",
        sub_units="凤泉区第一中学",
        **{
            "accountants-0-username": "FQ-jiaoyu",
            "accountants-1-username": "sf-new",
            "accountants-1-email": "ZHANGMIN@example.gov.cn",
            "accountants-2-username": "sf-new",
            "accountants-2-name": "王强",
            "accountants-2-email": "wang@example.gov.cn",
        },
    )
    response = client.post(ONBOARD, data)
    assert response.status_code == 200
    errors = errors_of(response.content.decode())
    assert set(errors) == {
        MESSAGES["department_taken"].format(region="新乡市凤泉区", name="新乡市凤泉区教育局"),
        MESSAGES["department_code_taken"].format(code="411001", region="新乡市凤泉区", name="新乡市凤泉区教育局"),
        MESSAGES["unit_repeated"].format(name="凤泉区第一中学"),
        "用户名「FQ-jiaoyu」已被使用（已有账号，尚无角色）。",
        "电子邮箱 zhangmin@example.gov.cn 已是用户「someone」的邮箱。",
        "电子邮箱 ZHANGMIN@example.gov.cn 填写了不止一次。",
        "用户名「sf-new」填写了不止一次。",
    }
    assert "请修改下面标出的问题后重新提交。" in response.content.decode()
    after = (Region.objects.count(), Department.objects.count(), Unit.objects.count(), django_user_model.objects.count())
    assert after == before
    assert mail.outbox == []


def test_it_says_what_a_new_region_and_its_reviewer_need(client, root, fengquan, django_user_model):
    other = django_user_model.objects.create_user("fq-czj")
    Membership.objects.create(user=other, role="reviewer", region=fengquan)
    data = form_data(region_code="41070", region_name="新乡市凤泉区", region_finance_bureau="")
    data.update({"accountants-0-email": "not-an-address", "accountants-1-name": ""})
    errors = errors_of(client.post(ONBOARD, data).content.decode())
    assert set(errors) == {"请填写此项（新建行政区划）。", "电子邮箱格式不正确。", "请填写此项。"}

    data = form_data(region_code="41070", region_name="新乡市凤泉区")
    data.update(reviewer=str(other.pk), reviewer_username="", reviewer_name="", reviewer_email="")
    errors = errors_of(client.post(ONBOARD, data).content.decode())
    assert set(errors) == {
        MESSAGES["region_code_invalid"],
        "行政区划「新乡市凤泉区」已存在（代码 410704）：请在「已有行政区划」中选择它。",
        "「fq-czj」已是新乡市凤泉区的审核人，一个用户只能有一个角色。",
    }

    data = form_data(reviewer_username="", reviewer_name="", reviewer_email="")
    errors = errors_of(client.post(ONBOARD, data).content.decode())
    assert errors == [MESSAGES["reviewer_missing"].format(region="新乡市示范区")]

    data = form_data(**{f"accountants-{i}-{f}": "" for i in range(3) for f in ("username", "name", "email")})
    assert errors_of(client.post(ONBOARD, data).content.decode()) == ["请至少填写一名填报人。"]
    assert not Region.objects.filter(code="410711").exists()


def test_an_existing_region_keeps_its_reviewer_or_gets_a_user_without_a_role(client, root, fengquan, django_user_model):
    reviewer = django_user_model.objects.create_user("fq-czj")
    Membership.objects.create(user=reviewer, role="reviewer", region=fengquan)
    new_region = {"region": str(fengquan.pk), "region_code": "", "region_name": "", "region_province": "", "region_finance_bureau": ""}
    no_reviewer = {"reviewer": "", "reviewer_username": "", "reviewer_name": "", "reviewer_email": ""}
    response = client.post(ONBOARD, form_data(**new_region, **no_reviewer, year=""))
    assert response.status_code == 302
    department = Department.objects.get(name="新乡市示范区教育局")
    assert department.region == fengquan and not department.disclosures.exists()
    assert list(Membership.objects.filter(role="reviewer").values_list("user__username", flat=True)) == ["fq-czj"]

    plain = django_user_model.objects.create_user("czj-2", first_name="钱七")
    data = form_data(**new_region, **no_reviewer, name="新乡市凤泉区民政局", code="")
    data.update({
        "reviewer": str(plain.pk),
        "accountants-0-username": "fq-minzheng", "accountants-0-email": "mz@example.gov.cn",
        "accountants-1-username": "", "accountants-1-name": "", "accountants-1-email": "",
    })
    response = client.post(ONBOARD, data)
    assert response.status_code == 302
    assert Membership.objects.get(user=plain).region == fengquan


def test_only_admins_reach_it(client, fengquan, django_user_model):
    assert client.get(ONBOARD)["Location"].startswith("/admin/login/")
    staff = django_user_model.objects.create_user("kuaiji", password="x", is_staff=True)
    # rights to add departments, but a 填报人: not a 管理员
    staff.user_permissions.set(Permission.objects.filter(codename__in=["add_department", "view_department"]))
    Membership.objects.create(user=staff, role="accountant", department=Department.objects.create(region=fengquan, name="某局"))
    client.force_login(staff)
    assert client.get(ONBOARD).status_code == 403
    assert client.post(ONBOARD, form_data()).status_code == 403
    assert client.get("/admin/accounts_app/department/import/").status_code == 403
    assert "新增部门" not in client.get("/admin/").content.decode()
    assert "新增部门（含单位和用户）" not in client.get("/admin/accounts_app/department/").content.decode()


def test_the_index_and_the_department_list_link_to_it(client, root):
    index = client.get("/admin/").content.decode()
    assert f'href="{ONBOARD}" id="link-onboard">新增部门</a>' in index
    assert 'href="/admin/accounts_app/department/import/" id="link-import">导入部门和用户（CSV）</a>' in index
    changelist = client.get("/admin/accounts_app/department/").content.decode()
    assert f'href="{ONBOARD}" class="addlink" id="tool-onboard">新增部门（含单位和用户）</a>' in changelist


def test_the_invitation_can_be_sent_again_from_the_roles(
    client, root, fengquan, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("fq-czj", email="czj@example.gov.cn", first_name="孙八")
    membership = Membership.objects.create(user=user, role="reviewer", region=fengquan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts_app/membership/",
            {"action": "invitation_send", "_selected_action": [membership.pk]},
            follow=True,
        )
    assert "已向 1 位用户发送设置密码的邮件。" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["czj@example.gov.cn"]]
    assert LINK.search(mail.outbox[0].body)


def test_a_failure_half_way_leaves_nothing(client, root, catalogs, monkeypatch, django_user_model):
    """Someone takes a username between the checks and the insert: the department, units and
    the first user are rolled back with it, and the page says what happened."""
    from django.db import IntegrityError

    from accounts_app.services import organisations

    create = organisations.user_create

    def clash(*, person, **fields):
        if person.username == "sf-jiaoyu2":
            raise IntegrityError("duplicate key value violates unique constraint")
        return create(person=person, **fields)

    monkeypatch.setattr(organisations, "user_create", clash)
    response = client.post(ONBOARD, form_data())
    assert errors_of(response.content.decode()) == [MESSAGES["concurrent"]]
    assert not Region.objects.filter(code="410711").exists()
    assert not Department.objects.filter(name="新乡市示范区教育局").exists()
    assert not django_user_model.objects.filter(username="sf-jiaoyu").exists()
    assert mail.outbox == []
