"""Every user's own account: changing the password, resetting a forgotten one by e-mail,
and the session that ends after SESSION_IDLE_MINUTES without a request."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail

from tests.workflow.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["accountant_a", "reviewer_1", "admin"])
def test_every_user_changes_their_password(client, world, role):
    user = world.users[role]
    client.force_login(user)
    page = client.get("/work/").content.decode()
    assert 'href="/accounts/password_change/"' in page and "修改密码" in page
    form = client.get("/accounts/password_change/").content.decode()
    assert "原密码" in form and "再次输入新密码" in form
    refused = client.post(
        "/accounts/password_change/", {"old_password": "wrong", "new_password1": "Qx7-jue-suan", "new_password2": "Qx7-jue-suan"}
    )
    assert refused.status_code == 200 and "你的旧密码不正确" in refused.content.decode()
    done = client.post(
        "/accounts/password_change/", {"old_password": PASSWORD, "new_password1": "Qx7-jue-suan", "new_password2": "Qx7-jue-suan"},
        follow=True,
    )
    assert "密码已修改" in done.content.decode()
    assert get_user_model().objects.get(pk=user.pk).check_password("Qx7-jue-suan")
    assert client.get("/work/").status_code == 200  # still signed in


def test_a_weak_password_is_refused_in_chinese(client, world):
    client.force_login(world.users["accountant_a"])
    response = client.post("/accounts/password_change/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    html = response.content.decode()
    assert "这个密码太常见了" in html and "密码只包含数字" in html


def test_a_forgotten_password_is_reset_by_email(client, world):
    user = world.users["accountant_a"]
    login = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in login and "忘记密码" in login
    response = client.post("/accounts/password_reset/", {"email": user.email}, follow=True)
    assert "请查收电子邮件" in response.content.decode()
    [message] = mail.outbox
    assert message.to == [user.email] and message.subject == "【部门决算公开平台】重设密码"
    assert "acc_a" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "设置新密码" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "Qx7-jue-suan", "new_password2": "Qx7-jue-suan"}, follow=True)
    assert "密码已设置" in done.content.decode()
    signed_in = client.post("/accounts/login/", {"username": "acc_a", "password": "Qx7-jue-suan"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/work/"
    client.logout()
    # the link works once
    assert "链接无效" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, world):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.gov.cn"}, follow=True)
    assert "请查收电子邮件" in response.content.decode()
    assert mail.outbox == []


def test_sessions_end_after_the_idle_time_and_every_request_renews_them(client, world):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 30 * 60  # the default
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(world.users["accountant_a"])
    page = client.get("/work/")
    assert page.cookies["sessionid"]["max-age"] == 30 * 60
    html = page.content.decode()
    assert 'data-idle-seconds="1800"' in html and 'data-ping-url="/work/ping/"' in html and "js/idle.js" in html
    ping = client.get("/work/ping/")
    assert ping.status_code == 200 and ping.json() == {"signed_in": True, "seconds": 1800}
    assert ping.cookies["sessionid"]["max-age"] == 30 * 60  # renewed


def test_the_ping_says_when_the_session_has_ended(client):
    response = client.get("/work/ping/")
    assert response.status_code == 401 and response.json() == {"signed_in": False}


def test_the_idle_time_comes_from_the_environment():
    import subprocess
    import sys

    code = "import portal.settings as s; print(s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST)"
    out = subprocess.run(
        [sys.executable, "-c", code], env={"SESSION_IDLE_MINUTES": "12", "DEBUG": "1", "PATH": "/usr/bin"},
        capture_output=True, text=True, check=True, cwd=settings.BASE_DIR,
    ).stdout.split()
    assert out == ["720", "True"]
