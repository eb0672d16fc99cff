"""A user's own account in a real browser (issue 20): changing the password from the header,
resetting a forgotten one from the login page by e-mail, and the idle session's warning with
its 「继续使用」. Screenshots under artifacts/screenshots/workspace-account-*."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail

from accounts_app.models import Membership
from tests.browser.conftest import PASSWORD, login, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


NEW_PASSWORD = "Qx7-jue-suan-2026"


@pytest.fixture
def accountant(seed_disclosure, django_user_model):
    disclosure = seed_disclosure("000")
    user = django_user_model.objects.create_user("kuaiji", password=PASSWORD, email="kuaiji@example.gov.cn")
    Membership.objects.create(user=user, role="accountant", department=disclosure.department)
    return user


def test_change_the_password_from_the_header(browser, live_server, accountant, screenshot):
    page = login(browser, live_server, "kuaiji")
    page.click("#nav-password")
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "12345678")
    page.fill("#id_new_password2", "12345678")
    page.click("#password-change-form button[type=submit]")
    assert "密码只包含数字" in page.inner_text("#password-change-form")
    screenshot(page, "workspace-account-1-weak")
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("#password-change-form button[type=submit]")
    assert "新密码已生效" in page.inner_text("#password-changed")
    page.click("text=退出（kuaiji）")

    page.goto(f"{live_server.url}/accounts/login/")
    sign_in(page, "kuaiji", NEW_PASSWORD)
    page.wait_for_url(f"{live_server.url}/work/")


def test_reset_a_forgotten_password_by_email(browser, live_server, accountant, screenshot):
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("#forgot-password")
    page.fill("#id_email", "kuaiji@example.gov.cn")
    page.click("#password-reset-form button[type=submit]")
    assert "请查收电子邮件" in page.inner_text("main")
    [message] = mail.outbox
    assert message.to == ["kuaiji@example.gov.cn"] and "重设密码" in message.subject
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    page.goto(link)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    screenshot(page, "workspace-account-2-reset")
    page.click("#password-set-form button[type=submit]")
    assert "新密码已生效" in page.inner_text("#password-reset-complete")
    page.click("#password-reset-complete a")
    sign_in(page, "kuaiji", NEW_PASSWORD)
    page.wait_for_url(f"{live_server.url}/work/")


def test_an_idle_session_is_announced_and_kept_or_ended(browser, live_server, accountant, settings, screenshot):
    settings.SESSION_COOKIE_AGE = 9  # SESSION_IDLE_MINUTES in seconds for the test: warned 3 s before
    page = login(browser, live_server, "kuaiji")
    warning = page.locator("#idle-warning")
    warning.wait_for(state="visible", timeout=10000)
    assert "后自动退出登录" in page.inner_text("#idle-message")
    screenshot(page, "workspace-account-3-warned")
    signed_in_at = time.monotonic()
    page.click("#idle-continue")
    warning.wait_for(state="hidden", timeout=5000)
    time.sleep(max(0, 7 - (time.monotonic() - signed_in_at)))  # past the first 9 s, within the renewed ones
    page.goto(f"{live_server.url}/work/")
    assert page.url == f"{live_server.url}/work/"  # still signed in

    # nothing done: the page says so, and the session has ended
    page.locator("#idle-login").wait_for(timeout=15000)
    assert "已因长时间未操作退出登录" in page.inner_text("#idle-warning")
    screenshot(page, "workspace-account-4-ended")
    page.goto(f"{live_server.url}/work/")
    assert "/accounts/login/" in page.url
