"""Adding a department the way an administrator does it, in a real browser: log in to
/admin/, open 新增部门 from the admin home, fill in the region, department, units, 填报人
and 审核人, get a clear Chinese error, correct it, submit; then the new 填报人 follows the
link of the e-mail (django.core.mail.outbox: the test settings use the locmem backend),
sets a password, logs in to the workspace and sees the department."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts_app.models import Department, Membership
from tests.browser.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Fengquan-jy-2026"


def test_an_administrator_adds_a_department_and_its_accountant_starts_work(
    browser, live_server, django_user_model, screenshot
):
    django_user_model.objects.create_superuser("root", "root@example.gov.cn", PASSWORD)
    someone = django_user_model.objects.create_user("zhaolei", email="zhaolei@example.gov.cn")

    admin = browser.new_context(locale="zh-CN").new_page()
    admin.goto(f"{live_server.url}/admin/")
    admin.fill("#id_username", "root")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.wait_for_url(f"{live_server.url}/admin/")
    assert "AXES" not in admin.inner_text("#content-main").upper()
    assert "登录防护" in admin.inner_text("#content-main")
    screenshot(admin, "admin-1-index")

    admin.click("#link-onboard")
    assert admin.inner_text("h1") == "新增部门"
    admin.fill("#id_region_code", "410711")
    admin.fill("#id_region_name", "新乡市示范区")
    admin.fill("#id_region_province", "河南省")
    admin.fill("#id_region_finance_bureau", "新乡市示范区财政局")
    admin.fill("#id_name", "新乡市示范区教育局")
    admin.fill("#id_code", "411001")
    admin.fill("#id_year", "2024")
    admin.fill("#id_main_unit", "新乡市示范区教育局机关")
    admin.fill("#id_sub_units", "新乡市示范区第一中学\n新乡市示范区实验小学")
    admin.fill("#id_accountants-0-username", "sf-jiaoyu")
    admin.fill("#id_accountants-0-name", "张敏")
    admin.fill("#id_accountants-0-email", "zhaolei@example.gov.cn")  # someone else's address
    admin.fill("#id_reviewer_username", "sf-czj")
    admin.fill("#id_reviewer_name", "赵磊")
    admin.fill("#id_reviewer_email", "czj@example.gov.cn")
    admin.click("#onboard-submit")
    assert "请修改下面标出的问题后重新提交。" in admin.inner_text(".errornote")
    row = admin.inner_text("#accountants")
    assert f"电子邮箱 zhaolei@example.gov.cn 已是用户「{someone.username}」的邮箱。" in row
    assert not Department.objects.filter(name="新乡市示范区教育局").exists()  # nothing was created
    screenshot(admin, "admin-2-onboard-refused")

    admin.fill("#id_accountants-0-email", "zhangmin@example.gov.cn")
    admin.click("#onboard-submit")
    admin.wait_for_url(re.compile(r".*/admin/accounts_app/department/\d+/change/$"))
    message = admin.inner_text(".messagelist")
    assert "已建立部门「新乡市示范区教育局」（新乡市示范区），单位 3 个，填报人 sf-jiaoyu，审核人 sf-czj，2024年度部门决算。" in message
    assert "已向 2 位新用户（sf-jiaoyu、sf-czj）发送设置密码的邮件。" in message
    screenshot(admin, "admin-3-department-created")

    letter = next(m for m in mail.outbox if m.to == ["zhangmin@example.gov.cn"])
    assert letter.subject == "【部门决算公开】请设置您的登录密码"
    link = re.search(rf"{re.escape(live_server.url)}/accounts/password/\S+", letter.body).group(0)

    desk = browser.new_context(locale="zh-CN").new_page()
    desk.goto(link)
    assert desk.inner_text("#password-username") == "sf-jiaoyu"
    desk.fill("#id_new_password1", NEW_PASSWORD)
    desk.fill("#id_new_password2", NEW_PASSWORD)
    screenshot(desk, "admin-4-set-password")
    desk.click("#password-submit")
    assert "您的登录密码已设置" in desk.inner_text("#password-done")
    desk.click("#password-login")
    sign_in(desk, "sf-jiaoyu", NEW_PASSWORD)
    desk.wait_for_url(f"{live_server.url}/work/")
    assert "新乡市示范区教育局" in desk.inner_text("#disclosures")
    screenshot(desk, "admin-5-workspace")

    desk.goto(link)  # the link works once
    assert "这个链接已经失效" in desk.inner_text("#password-link-invalid")
    assert Membership.objects.get(user__username="sf-jiaoyu").department.name == "新乡市示范区教育局"
    admin.context.close()
    desk.context.close()


def test_an_administrator_imports_a_region_from_the_sample_csv(browser, live_server, django_user_model, screenshot, tmp_path):
    from accounts_app.importing.organisations_csv import SAMPLE_CSV
    from accounts_app.services.organisations import RegionInfo, region_ensure

    region_ensure(info=RegionInfo("901000", "示例区", "示例省", "示例区财政局", "standard"))
    django_user_model.objects.create_superuser("root", "root@example.gov.cn", PASSWORD)
    admin = browser.new_context(locale="zh-CN").new_page()
    admin.goto(f"{live_server.url}/admin/accounts_app/department/")
    admin.fill("#id_username", "root")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.click("#tool-import")
    path = tmp_path / "示例区部门.csv"
    path.write_bytes(SAMPLE_CSV.encode("utf-8-sig"))
    admin.select_option("#id_region", label="示例区")
    admin.set_input_files("#id_file", str(path))
    admin.click("#import-preview")
    assert "新建 10 项，已存在 0 项，拒绝 0 项；将向 4 位新用户发送设置密码的邮件。" in admin.inner_text("#import-summary")
    assert not Department.objects.filter(region__code="901000").exists()
    screenshot(admin, "admin-6-import-preview")
    admin.click("#import-confirm")
    assert "已导入到 示例区。" in admin.inner_text("#import-state")
    assert Department.objects.filter(region__code="901000").count() == 3
    assert len(mail.outbox) == 4
    screenshot(admin, "admin-7-import-done")
    admin.context.close()
