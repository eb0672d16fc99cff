"""A NUL character (%00) in an address: refused with 400 and a Chinese page (or, on the API,
its JSON error) before any view, for every page and parameter, signed in or not.

PostgreSQL cannot hold NUL in text, so such a parameter reaching a query was a 500 there
(SQLite took it and answered 200); accounts_app.middleware refuses it once for the site.
Run on both databases.
"""

from __future__ import annotations

import pytest

from accounts_app.middleware import NUL_REFUSED
from tests.workflow.conftest import make_user

pytestmark = pytest.mark.django_db

PAGES = [
    "/?q=%00",
    "/?region=%00",
    "/?year=%00",
    "/?kind=%00&q=%E5%8C%BB",
    "/compare/?region=%00",
    "/compare/?year=2023&region=41%000704",
    "/board/?region=%00",
    "/board/?q=%00",
    "/board/?region=410704&year=2023&sort=%00",
    "/board/board.csv?q=%00",
    "/board/board.csv?region=%00",
    "/departments/1/?from=%00",
    "/disclosures/1/?page=%00",
    "/disclosures/%00/",
    "/?%00=1",  # in a parameter's name too
    "/accounts/login/?next=%00",
]
API = [
    "/api/disclosures?q=%00",
    "/api/disclosures?region=%00",
    "/api/disclosures?q=%E5%8C%BB%00",
    "/api/figures?region=%00&year=2023&code=208",
    "/api/figures?department=1&code=%00",
    "/api/figures?department=1&column=%00",
    "/api/figures?table=%00",
    "/api/versions/1/tables/%00",
    "/api/years/2023/figures.csv?region=%00",
    "/api/openapi.json?%00",
]
SIGNED_IN = [
    "/work/?q=%00",
    "/work/audit/?q=%00",
    "/admin/accounts_app/disclosure/?q=%00",
    "/admin/accounts_app/department/?q=%00",
    "/admin/accounts_app/version/?status=%00",
    "/admin/accounts_app/disclosure/upload/?disclosure=%00",
]


def _assert_refused_page(response):
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "请求无效" in page and "请求地址或参数中含有不允许的字符（NUL，%00）" in page  # the reason, in Chinese
    assert "default-src 'self'" in response["Content-Security-Policy"]  # the security headers still apply


@pytest.mark.parametrize("path", PAGES)
def test_a_nul_in_a_public_address_is_a_400_page(client, path):
    _assert_refused_page(client.get(path))


@pytest.mark.parametrize("path", API)
def test_a_nul_in_an_api_address_is_the_apis_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": NUL_REFUSED}


@pytest.mark.parametrize("path", SIGNED_IN)
def test_a_nul_in_the_workspace_or_admin_is_a_400_page(client, path):
    client.force_login(make_user("boss", "admin"))
    _assert_refused_page(client.get(path))


def test_without_nul_the_same_addresses_answer(client):
    """The refusal is about NUL only: the same parameters otherwise go through."""
    for path in ("/?q=%E5%8C%BB", "/compare/?region=410704", "/board/?q=x", "/api/disclosures?q=x", "/api/figures?table=income"):
        assert client.get(path).status_code == 200, path
