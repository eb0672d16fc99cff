"""Hardening: production settings, security headers, login throttling, CSRF on every form,
a read-only API, and user text escaped in the public page, the review page and the PDF.

(The PDF's URL fetcher refusing file:// and the network is tested in tests/pdf/test_pdf.py;
the upload size limit and hostile workbooks in test_bad_workbooks.py.)
"""

from __future__ import annotations

import io
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, reverse

from accounts_app.models import Comment, Department, ExtraSection, Line, Membership, Profile, Version
from accounts_app.rendering.pdf import content_html
from accounts_app.services.pages import disclosure_content
from tests.conftest import seed_workbook

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "juesuan.example.gov.cn",
    "HTTPS": "1",
}
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch):
    """Publishing renders the PDF (seconds each); these tests look at pages, headers and the
    PDF's HTML, never at the rendered PDF."""
    monkeypatch.setattr("accounts_app.services.pdfs.version_pdf", lambda version, **_: b"%PDF-1.7\n%%EOF\n")


def _production(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DEBUG", "HTTPS", "SECRET_KEY"))}
    env.update(PRODUCTION_ENV)
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)


# -- production settings ---------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    done = _production("check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


PRODUCTION_VALUES = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY", "WORKBOOK_MAX_UPLOAD_BYTES", "AXES_FAILURE_LIMIT", "AXES_LOCKOUT_PARAMETERS")}))
"""


@pytest.fixture(scope="module")
def production_settings() -> dict:
    done = _production(code=PRODUCTION_VALUES)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_settings_are_hardened(production_settings):
    values = production_settings
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert 0 < values["WORKBOOK_MAX_UPLOAD_BYTES"] <= 50 * 1024 * 1024
    assert values["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]  # not a whole office's NAT address


def test_production_refuses_to_start_without_a_secret_key():
    env = {"SECRET_KEY": "", "DEBUG": "0"}
    code = "import django; django.setup()"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, **PRODUCTION_ENV, **env},
    )
    assert done.returncode != 0 and "SECRET_KEY must be set" in done.stderr


def _production_overrides(values: dict) -> dict:
    return {key: values[key] for key in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
                                          "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")}


@pytest.mark.django_db
def test_https_hsts_and_secure_cookies_under_production_settings(production_settings, django_user_model):
    django_user_model.objects.create_user("kuaiji", password="pw-12345")
    with override_settings(**_production_overrides(production_settings)):
        client = Client()
        plain = client.get("/")
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        home = client.get("/", secure=True)
        assert home.status_code == 200
        assert home["Strict-Transport-Security"].startswith("max-age=31536000")
        login_page = client.get("/accounts/login/", secure=True)
        assert login_page.cookies["csrftoken"]["secure"]
        token = login_page.cookies["csrftoken"].value
        client = Client(enforce_csrf_checks=True)
        client.cookies["csrftoken"] = token
        response = client.post(
            "/accounts/login/",
            {"username": "kuaiji", "password": "pw-12345", "csrfmiddlewaretoken": token},
            secure=True,
            HTTP_REFERER="https://testserver/accounts/login/",  # over https, CSRF also checks the referer
        )
        assert response.status_code == 302
        session = response.cookies["sessionid"]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


# -- headers on the public pages ---------------------------------------------------------------


def _assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_public_pages_send_the_security_headers(client, publish_seed):
    version = publish_seed("000")
    for path in ("/", f"/disclosures/{version.disclosure_id}/", f"/departments/{version.disclosure.department_id}/", "/accounts/login/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_security_headers(response)


# Pages served from PublishedPageCacheMiddleware skip the middleware below it: the security
# headers must still be there (XFrameOptionsMiddleware sits above the cache).
@pytest.mark.django_db
def test_a_cached_public_page_sends_the_security_headers_too(client, publish_seed):
    version = publish_seed("000")
    path = f"/disclosures/{version.disclosure_id}/"
    client.get(path)  # fills the cache
    cached = client.get(path)
    assert cached.status_code == 200
    _assert_security_headers(cached)


# -- login throttling ------------------------------------------------------------------------


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_at_that_address(client, django_user_model, settings):
    django_user_model.objects.create_user("kuaiji", password="pw-12345")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "kuaiji", "password": "wrong"})
        assert response.status_code == 200 and "登录已暂时锁定" not in response.content.decode()
    locked = client.post("/accounts/login/", {"username": "kuaiji", "password": "wrong"})
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    # the right password does not get in while locked
    again = client.post("/accounts/login/", {"username": "kuaiji", "password": "pw-12345"})
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    # another user at the same address (a shared office NAT) is not locked out
    django_user_model.objects.create_user("shenhe", password="pw-67890")
    other = client.post("/accounts/login/", {"username": "shenhe", "password": "pw-67890"})
    assert other.status_code == 302


# -- CSRF on every form ------------------------------------------------------------------------


def _work_routes() -> list[tuple[str, dict]]:
    """Every URL under /work/ (all of them accept POST or refuse it before any work)."""
    from accounts_app.urls import work_patterns

    return [
        (f"work:{pattern.name}", {name: 1 for name in pattern.pattern.converters})
        for pattern in work_patterns
        if isinstance(pattern, URLPattern)
    ]


POST_FORMS = ["/accounts/login/", "/accounts/logout/", "/admin/accounts_app/disclosure/upload/", "/admin/login/"]


@pytest.fixture
def admin_client(django_user_model):
    user = django_user_model.objects.create_superuser("guanli", "guanli@example.gov.cn", "pw-12345")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("route, kwargs", _work_routes(), ids=[name for name, _ in _work_routes()])
def test_a_post_without_csrf_token_is_refused_in_the_workspace(admin_client, route, kwargs):
    response = admin_client.post(reverse(route, kwargs=kwargs), {"text": "意见", "reason": "退回"})
    assert response.status_code == 403
    assert "跨站请求伪造校验未通过" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", POST_FORMS)
def test_a_post_without_csrf_token_is_refused_on_login_logout_and_admin(admin_client, path):
    response = admin_client.post(path, {"username": "guanli", "password": "pw-12345"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_same_post_with_its_token_goes_through(client, publish_seed, django_user_model):
    """The CSRF refusals above are CSRF's, not the views': with the token, a comment is saved."""
    version = publish_seed("000")
    reviewer = django_user_model.objects.get(username="publisher")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    page = client.get(reverse("work:version", args=[version.pk]))
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    response = client.post(reverse("work:comment", args=[version.pk]), {"text": "请核对", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert version.comments.filter(text="请核对").exists()


# -- the API is read-only ----------------------------------------------------------------------


def _api_paths() -> list[str]:
    """Every route of the API, its parameters filled in (the root only exists for reverse())."""
    from accounts_app.api import api

    paths = []
    for pattern in api.urls[0]:
        route = str(pattern.pattern)
        for name in pattern.pattern.converters:
            route = route.replace(f"<{name}>", "1")
        if route:
            paths.append("/api/" + route)
    return paths


@pytest.mark.django_db
def test_every_api_route_refuses_write_methods(client):
    paths = _api_paths()
    assert "/api/disclosures" in paths and len(paths) >= 5
    document = client.get("/api/openapi.json").content
    for path in paths:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(path, data="{}", content_type="application/json")
            if path == "/api/openapi.json":  # django-ninja's schema view answers any method, and only reads
                assert response.status_code == 200 and response.content == document
                continue
            assert response.status_code == 405, (method, path, response.status_code)


# -- user text is escaped everywhere -----------------------------------------------------------


@pytest.fixture
def hostile_version(publish_seed, django_user_model):
    """A published version whose every kind of user text carries markup."""
    version = publish_seed("000")
    department = Department.objects.get(pk=version.disclosure.department_id)
    department.name = f"医疗保障局{SCRIPT}"
    department.save()  # as the admin renames it: the lists' copies of the name follow (services.listing)
    line = Line.objects.filter(table__version=version, key="2101501").first()
    Line.objects.filter(pk=line.pk).update(label='行政运行<img src=x onerror="alert(2)">')
    Profile.objects.update_or_create(version=version, defaults={"organisation": f"机构设置{SCRIPT}"})
    ExtraSection.objects.create(version=version, position=1, title=f"重点工作{SCRIPT}", body=f"正文{SCRIPT}")
    Version.objects.filter(pk=version.pk).update(correction_note=f"更正{SCRIPT}")
    Comment.objects.create(version=version, author=django_user_model.objects.get(username="publisher"), text=f"意见{SCRIPT}")
    version.refresh_from_db()
    version.disclosure.refresh_from_db()
    version.disclosure.department.refresh_from_db()
    return version


def _assert_escaped(content: str, *texts: str):
    assert "<script>" not in content and "onerror=" not in content.replace("onerror=&quot;", "")
    for text in texts:
        assert text in content, text


@pytest.mark.django_db
def test_user_text_is_escaped_on_the_public_page(client, hostile_version):
    page = client.get(f"/disclosures/{hostile_version.disclosure_id}/").content.decode()
    _assert_escaped(
        page,
        f"医疗保障局{ESCAPED_SCRIPT}",
        f"机构设置{ESCAPED_SCRIPT}",
        f"重点工作{ESCAPED_SCRIPT}",
        f"正文{ESCAPED_SCRIPT}",
        f"更正{ESCAPED_SCRIPT}",
        "行政运行&lt;img src=x onerror=&quot;alert(2)&quot;&gt;",
    )
    department = client.get(f"/departments/{hostile_version.disclosure.department_id}/").content.decode()
    _assert_escaped(department, f"医疗保障局{ESCAPED_SCRIPT}")
    home = client.get("/").content.decode()
    _assert_escaped(home, f"医疗保障局{ESCAPED_SCRIPT}")


@pytest.mark.django_db
def test_user_text_is_escaped_on_the_review_page(client, hostile_version, django_user_model):
    client.force_login(django_user_model.objects.get(username="publisher"))
    page = client.get(reverse("work:version", args=[hostile_version.pk])).content.decode()
    _assert_escaped(page, f"医疗保障局{ESCAPED_SCRIPT}", f"意见{ESCAPED_SCRIPT}", f"更正{ESCAPED_SCRIPT}")
    assert "行政运行&lt;img" in page


@pytest.mark.django_db
def test_user_text_is_escaped_in_the_pdf_html(hostile_version):
    html = content_html(disclosure_content(hostile_version))
    _assert_escaped(
        html,
        f"医疗保障局{ESCAPED_SCRIPT}",
        f"机构设置{ESCAPED_SCRIPT}",
        f"重点工作{ESCAPED_SCRIPT}",
        f"更正{ESCAPED_SCRIPT}",
        "行政运行&lt;img src=x onerror=&quot;alert(2)&quot;&gt;",
    )


@pytest.mark.django_db
def test_workbook_text_is_escaped_on_the_upload_result_page(client, seed_disclosure, django_user_model):
    """What a cell holds comes back in the error messages: escaped there too."""
    disclosure = seed_disclosure("000")
    user = django_user_model.objects.create_user("tianbao", password="x")
    Membership.objects.create(user=user, role=Membership.Role.ACCOUNTANT, department=disclosure.department)
    client.force_login(user)
    book = openpyxl.load_workbook(seed_workbook("000"))
    book["公开02表"]["C24"] = SCRIPT
    book["Sheet3"]["A3"] = f"部门名称：{SCRIPT}"  # another sheet: each error is a finding of its own
    buffer = io.BytesIO()
    book.save(buffer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("work:upload", args=[disclosure.pk]), {"workbook": SimpleUploadedFile("x.xlsx", buffer.getvalue())}
    )
    version = Version.objects.get(disclosure=disclosure)  # stored as a draft with the errors
    assert response.status_code == 302 and response.url == reverse("work:version", args=[version.pk])
    page = client.get(response.url).content.decode()
    _assert_escaped(
        page,
        f"<td>公开03表「支出决算表」：部门/单位名称不符：本次上传的是「新乡市凤泉区医疗保障局」，表中为「{ESCAPED_SCRIPT}」。</td>",
        f"<td>公开02表「收入决算表」：金额无法识别：应为数字（单位万元，两位小数），表中为「{ESCAPED_SCRIPT}」。</td>",
        f"<td>新乡市凤泉区医疗保障局</td><td>{ESCAPED_SCRIPT}</td>",  # 应为 | 实为 of the name
    )
    assert set(version.findings.filter(severity="error", found=SCRIPT).values_list("code", "sheet", "cell")) == {
        ("meta.entity_mismatch", "Sheet3", "A3"),
        ("cell.bad_amount", "公开02表", "C24"),
    }
