"""The public page cache (accounts_app/caching.py) as readers meet it: the lists, the search,
the compare and department pages, the board and its CSV, the API's lists and the stored
downloads are served again to anonymous readers without a query; a completed publication
shows at once in the process that completed it and within POINTER_SECONDS in the others
(over HTTP); signed-in users always reach the views and never fill the cache."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts_app import caching
from accounts_app.models import Department, Disclosure, Region
from accounts_app.services import workflow
from accounts_app.services.listing import listing_refresh
from accounts_app.services.synthetic import synthetic_generate
from tests.conftest import publish_workbook

pytestmark = pytest.mark.django_db

WUHAN = "武汉市青山区医疗保障局"  # seed 001: 2022, a department of 420107 武汉市青山区
LISTS = [
    "/",
    "/?q=教育",
    "/?region={region}&year=2023",
    "/?page=2",
    "/compare/?region={region}&year=2023",
    "/departments/{department}/",
    "/board/?region={region}&year=2023",
    "/board/board.csv?region={region}&year=2023",
    "/api/disclosures?year=2023",
    "/api/figures?year=2023&region={region}&table=expense",
]


class Clock:
    """The memory cache's clock, stopped: nothing expires until `advance`."""

    def __init__(self):
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """To `seconds` after the present: what was stored until now expires accordingly."""
        self.now = time.time() + seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    if not isinstance(caches["default"], locmem.LocMemCache):
        pytest.skip("per-process memory cache only (with REDIS_URL every process shares one)")
    stopped = Clock()
    monkeypatch.setattr(locmem, "time", stopped)
    return stopped


@pytest.fixture
def world(catalogs) -> Disclosure:
    """Two synthetic regions, three departments each, two years."""
    synthetic_generate(departments=6, years=[2022, 2023], regions=2, pool_size=8)
    listing_refresh()  # what synthetic_generate will do at its end (services.listing)
    return Disclosure.objects.published().filter(year__year=2023).order_by("pk").first()


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", LISTS)
def test_a_list_is_served_again_without_a_query(client, world, path, django_assert_num_queries):
    path = path.format(region=world.department.region.code, department=world.department_id)
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.status_code == 200 and again.content == first.content
    for header in ("Content-Type", "Content-Disposition"):
        assert again.get(header) == first.get(header)


def test_the_query_string_is_normalised_and_each_query_has_its_page(client, world, django_assert_num_queries):
    code = world.department.region.code
    this_year = client.get(f"/?region={code}&year=2023").content
    with django_assert_num_queries(0):
        assert client.get(f"/?year=2023&region={code}").content == this_year  # the same parameters
    assert _queries(client, f"/?region={code}&year=2022") > 0
    assert client.get(f"/?region={code}&year=2022").content != this_year


def test_a_signed_in_user_never_gets_a_cached_page_nor_fills_the_cache(
    client, world, django_user_model, django_assert_num_queries
):
    user = django_user_model.objects.create_user("reader", password="x")
    assert "退出（reader）" not in client.get("/").content.decode()  # cached for anonymous readers
    client.force_login(user)
    assert "退出（reader）" in client.get("/").content.decode()
    assert "退出（reader）" in client.get("/compare/").content.decode()  # rendered for the user, not stored
    client.logout()
    assert _queries(client, "/compare/") > 0
    assert "reader" not in client.get("/compare/").content.decode()
    with django_assert_num_queries(0):
        assert "reader" not in client.get("/").content.decode()


def test_the_site_wide_generation_rebuilds_the_lists(client, world):
    """The region filter names the regions from their rows (the list's rows come from the
    listing columns, which a rename refreshes with a publication's effect on the stamp)."""
    region = world.department.region
    assert region.name in client.get("/").content.decode()
    Region.objects.filter(pk=region.pk).update(name="改名后的地区")  # not a publication, no signal
    assert "改名后的地区" not in client.get("/").content.decode()
    caching.forget_all_pages()  # the glossary, the catalogs, a layout … changed
    assert "改名后的地区" in client.get("/").content.decode()


def test_a_completed_publication_shows_at_once_where_it_completed(
    client, publish_seed, seed_disclosure, django_user_model, django_capture_on_commit_callbacks
):
    publish_seed("000")
    disclosure = seed_disclosure("001")
    region = disclosure.department.region.code
    lists = ["/", "/?q=武汉", f"/compare/?region={region}&year=2022", "/api/disclosures"]
    board = f"/board/?region={region}&year=2022"
    assert not any(WUHAN in client.get(path).content.decode() for path in lists)
    assert "未公开（未登记批复日期）" in client.get(board).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # _finish forgets on commit
        publish_workbook(disclosure, "001", django_user_model.objects.get(username="publisher"))
    assert all(WUHAN in client.get(path).content.decode() for path in lists)
    assert "已公开（未登记批复日期）" in client.get(board).content.decode()
    assert client.get(f"/departments/{disclosure.department_id}/").status_code == 200


def test_an_approval_date_shows_on_the_board_within_seconds(client, seed_disclosure, django_user_model, clock):
    disclosure = seed_disclosure("001")
    board = f"/board/?region={disclosure.department.region.code}&year=2022"
    assert "未公开（未登记批复日期）" in client.get(board).content.decode()
    user = django_user_model.objects.create_user("accountant", password="x")
    workflow.approval_date_set(disclosure=disclosure, actor=workflow.Actor(user), date=disclosure.created_at.date())
    clock.advance(caching.POINTER_SECONDS + 1)
    assert "未公开（未登记批复日期）" not in client.get(board).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_publication_completed_in_another_process_shows_within_seconds_over_http(
    live_server, publish_seed, seed_disclosure, django_user_model, monkeypatch, clock
):
    """The worker completes publications: its `forget_current` empties its own memory, not a
    web process's, which reads the new stamp when its copy expires."""
    publish_seed("000")
    disclosure = seed_disclosure("001")
    paths = ["/", "/?q=武汉", "/api/disclosures", f"/compare/?region={disclosure.department.region.code}&year=2022"]

    def pages() -> list[str]:
        addresses = [f"{live_server.url}{urllib.parse.quote(path, safe='/?=&')}" for path in paths]
        return [urllib.request.urlopen(address).read().decode() for address in addresses]

    assert not any(WUHAN in page for page in pages())
    monkeypatch.setattr(caching, "forget_current", lambda pk: None)  # … in another process
    publish_workbook(disclosure, "001", django_user_model.objects.get(username="publisher"))
    assert not any(WUHAN in page for page in pages())  # this process's stamp has not expired
    clock.advance(caching.POINTER_SECONDS + 1)
    assert all(WUHAN in page for page in pages())
    assert urllib.request.urlopen(f"{live_server.url}/disclosures/{disclosure.pk}/").status == 200


def test_a_stored_download_is_sent_again_without_a_query(client, publish_seed, django_assert_num_queries):
    version = publish_seed("000")
    base = f"/disclosures/{version.disclosure_id}/versions/{version.number}"
    table = version.files.filter(name__endswith=".csv").order_by("name").first().name
    for path in (f"{base}/disclosure.pdf", f"{base}/tables.xlsx", f"{base}/tables/{table}"):
        first = client.get(path)
        assert first.status_code == 200
        body = first.getvalue()
        with django_assert_num_queries(0):
            again = client.get(path)
            assert again.getvalue() == body
        for header in ("Content-Type", "Content-Disposition", "ETag"):
            assert again[header] == first[header]
        with django_assert_num_queries(0):
            assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_stored_download_gone_since_is_the_views_404(client, publish_seed):
    version = publish_seed("000")
    stored = version.files.get(name="workbook.xlsx")
    path = f"/disclosures/{version.disclosure_id}/versions/{version.number}/tables.xlsx"
    assert client.get(path).status_code == 200
    stored.file.storage.delete(stored.file.name)
    assert client.get(path).status_code == 404


def test_a_download_by_a_signed_in_user_is_not_remembered(client, publish_seed, django_user_model):
    version = publish_seed("000")
    path = f"/disclosures/{version.disclosure_id}/versions/{version.number}/disclosure.pdf"
    client.force_login(django_user_model.objects.get(username="publisher"))
    assert client.get(path).status_code == 200
    client.logout()
    assert _queries(client, path) > 0


def test_a_current_version_changed_without_a_newer_id_still_moves_the_stamp(client, world, django_assert_max_num_queries):
    """Publications complete out of id order (each version's files take their own time), so the
    newest published id alone would miss one; what changes the lists is a disclosure's current
    version, and its refresh (services.listing) writes new ListingCount rows: the stamp's other
    part. Read in one query of index lookups, whatever the data."""
    assert world.department.name in client.get("/").content.decode()
    caching.cache.delete(caching.STAMP_KEY)
    with django_assert_max_num_queries(1):
        before = caching.stamp()
    Department.objects.filter(pk=world.department_id).update(name="改名后的部门")
    listing_refresh(disclosures=Disclosure.objects.filter(pk=world.pk))  # as a publication of it does
    caching.forget_current(world.pk)  # … on its commit
    assert caching.stamp() != before
    assert "改名后的部门" in client.get("/").content.decode()
