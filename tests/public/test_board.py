"""The public timeliness and quality board (/board/): for a region and a year, every department
and unit the organisations say should publish, with 按时公开 / 逾期 N 天公开 / 未公开, 所属单位
coverage and the 公开质量 score; filtered, sorted, downloaded as CSV (formulas defused), in a
constant number of queries.

The seeds are published as in the demo (upload, review, publication: what publish_seed does,
once for the module), with `version_quality_refresh` called where publication will call it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts_app import caching
from accounts_app.models import Department, Disclosure, FiscalYear, Unit, Version
from accounts_app.services.organisations import SEED_REGIONS, disclosure_ensure, region_ensure
from tests.conftest import publish_workbook
from tests.public.test_lists import parsed
from tests.seeds.transcriptions import load

pytestmark = pytest.mark.django_db

REGION = "410704"  # 新乡市凤泉区, seed 000
HEALTH = "新乡市凤泉区医疗保障局"
CENTRE, AUDIT = "新乡市凤泉区医疗保障服务中心", "新乡市凤泉区医疗保障稽核中心"
EDUCATION, FINANCE = "新乡市凤泉区教育局", "新乡市凤泉区财政局"
COLUMNS = ["部门", "公开主体", "类型", "批复日期", "截止日期", "公开日期", "公开情况", "所属单位公开", "公开质量", "等级"]


def _days(n: int):
    return timezone.localdate() + timedelta(days=n)


def _approve(disclosure: Disclosure, days: int) -> None:
    Disclosure.objects.filter(pk=disclosure.pk).update(approval_date=_days(days))


def _seed_disclosure(seed: str) -> Disclosure:
    info = load(seed)
    region = region_ensure(info=SEED_REGIONS[info["region"]])
    return disclosure_ensure(region=region, entity=info["entity"], year=info["year"], kind=info["kind"])


def world_build() -> Version:
    """Seeds 000 (a 部门决算 published 10 days late) and 001 (another region, 2022); in seed
    000's region: two units of its department (one published on time, one 10 days overdue), a
    department within its deadline and one without a 批复 date."""
    user = get_user_model().objects.create_superuser("board", "board@example.gov.cn", "x")
    health = publish_workbook(_seed_disclosure("000"), "000", user)
    publish_workbook(_seed_disclosure("001"), "001", user)
    _approve(health.disclosure, -30)
    region = health.disclosure.department.region
    centre = disclosure_ensure(region=region, entity=CENTRE, year=2023, kind="unit", department=HEALTH)
    audit = disclosure_ensure(region=region, entity=AUDIT, year=2023, kind="unit", department=HEALTH)
    _approve(centre, -5)
    _approve(audit, -30)
    publish_workbook(Disclosure.objects.get(pk=centre.pk), "000", user)  # seed 000's workbook as one of its 单位决算
    _approve(disclosure_ensure(region=region, entity=EDUCATION, year=2023, kind="department"), -2)
    Department.objects.create(region=region, name=FINANCE)
    health.refresh_from_db()
    return health


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Version:
    """Built once for this module (three publications, each rendering its PDF) in a transaction
    rolled back at the end; each test runs inside it in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield world_build()
        transaction.set_rollback(True)


def _rows(client, query: str) -> list[list[str]]:
    return parsed(client.get(f"/board/?{query}"), "board").rows


def _by_entity(rows) -> dict[str, list[str]]:
    return {row[1]: row for row in rows}


def test_every_expected_department_and_unit_with_its_status(client, world):
    rows = _by_entity(_rows(client, f"region={REGION}&year=2023"))
    assert set(rows) == {HEALTH, CENTRE, AUDIT, EDUCATION, FINANCE}
    assert rows[HEALTH][2:] == [
        "部门决算", f"{_days(-30):%Y-%m-%d}", f"{_days(-10):%Y-%m-%d}", f"{_days(0):%Y-%m-%d}", "逾期 10 天公开", "1/2",
        f"{world.quality['total']:.2f}", world.quality["grade"],
    ]
    assert rows[CENTRE][0] == HEALTH and rows[CENTRE][2] == "单位决算" and rows[CENTRE][6] == "按时公开"
    assert rows[CENTRE][8] != "—"  # scored at publication
    assert rows[AUDIT][6] == "未公开（逾期 10 天）" and rows[AUDIT][5] == "" and rows[AUDIT][8] == "—"
    assert rows[EDUCATION][6] == f"未公开（截止日期 {_days(18):%Y-%m-%d}）" and rows[EDUCATION][7] == "—"
    assert rows[FINANCE][6] == "未公开（未登记批复日期）" and rows[FINANCE][3] == ""
    html = client.get(f"/board/?region={REGION}&year=2023").content.decode()
    assert f'<a href="/disclosures/{world.disclosure_id}/">{HEALTH}</a>' in html  # published: linked
    assert f"<td>{EDUCATION}</td>" in html  # not published: no page to link to
    assert "应公开<strong>5</strong>" in html and "逾期公开<strong>1</strong>" in html and "其中已逾期 1" in html


def test_an_organisation_is_expected_only_in_its_years(client, world):
    region = world.disclosure.department.region
    health = Department.objects.get(region=region, name=HEALTH)
    Department.objects.filter(region=region, name=FINANCE).update(first_year=2024)  # set up in 2024
    Unit.objects.create(department=health, name="新乡市凤泉区医疗保障宣传中心", first_year=2024)
    Unit.objects.create(department=health, name="新乡市凤泉区医疗保障档案室", last_year=2022)  # merged away after 2022
    Unit.objects.filter(name=AUDIT).update(last_year=2022)  # … but its 2023 disclosure was registered
    cache.clear()  # organisations edited in the admin reach the cached board within LIST_SECONDS
    rows = _by_entity(_rows(client, f"region={REGION}&year=2023"))
    assert set(rows) == {HEALTH, CENTRE, AUDIT, EDUCATION}
    assert rows[HEALTH][7] == "1/2"  # coverage counts the units expected that year
    Unit.objects.create(department=health, name="新乡市凤泉区医疗保障研究所")  # no years set: always expected
    cache.clear()
    assert _by_entity(_rows(client, f"region={REGION}&year=2023"))[HEALTH][7] == "1/3"


def test_without_a_choice_the_latest_year_and_its_first_region(client, world):
    html = client.get("/board/").content.decode()
    assert '<option value="2023" selected>' in html
    assert f'<option value="{REGION}" selected>' in html  # 410704 is the only region with 2023 disclosures
    other = _rows(client, "region=420107")  # seed 001's region: its only year, 2022
    assert [row[1] for row in other] == ["武汉市青山区医疗保障局"]
    assert other[0][6] == "已公开（未登记批复日期）"
    assert _rows(client, "region=420107&year=2023") == other  # a year without disclosures there: its latest


def test_filters(client, world):
    def entities(query):
        return {row[1] for row in _rows(client, f"region={REGION}&year=2023&{query}")}

    assert entities("status=late") == {HEALTH}
    assert entities("status=on_time") == {CENTRE}
    assert entities("status=unpublished") == {AUDIT, EDUCATION, FINANCE}
    assert entities("status=overdue") == {AUDIT}
    assert entities("status=no_date") == {FINANCE}
    assert entities("kind=unit") == {CENTRE, AUDIT}
    assert entities("q=教育") == {EDUCATION}
    assert entities("q=医疗保障&kind=department") == {HEALTH}
    html = client.get(f"/board/?region={REGION}&year=2023&q=教育").content.decode()
    assert "本页显示 1 个部门或单位" in html and "<strong>5</strong>" in html  # the summary counts them all


def test_sorting_by_status_score_and_name(client, world):
    by_status = [row[6] for row in _rows(client, f"region={REGION}&year=2023&sort=status")]
    assert by_status == [
        "按时公开", "逾期 10 天公开", f"未公开（截止日期 {_days(18):%Y-%m-%d}）", "未公开（未登记批复日期）", "未公开（逾期 10 天）",
    ]
    assert [row[6] for row in _rows(client, f"region={REGION}&year=2023&sort=-status")] == by_status[::-1]
    scores = [row[8] for row in _rows(client, f"region={REGION}&year=2023&sort=-score")]
    assert scores[2:] == ["—", "—", "—"] and float(scores[0]) >= float(scores[1])
    names = [row[1] for row in _rows(client, f"region={REGION}&year=2023&sort=entity")]
    assert names == sorted(names)
    for path in ("/board/", "/board/board.csv"):  # an unknown column, region or year: the defaults
        assert client.get(f"{path}?sort=nonsense&region=x&year=1999&status=x&kind=x").status_code == 200


def test_csv_has_the_rows_with_region_year_and_days_late(client, world):
    response = client.get(f"/board/board.csv?region={REGION}&year=2023&sort=status")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="board-{REGION}-2023.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["地区", "年度", *COLUMNS[:7], "逾期天数", *COLUMNS[7:]]
    assert len(rows) == 6
    health = next(row for row in rows if row[3] == HEALTH)
    assert health == [
        "新乡市凤泉区", "2023", HEALTH, HEALTH, "部门决算", f"{_days(-30):%Y-%m-%d}", f"{_days(-10):%Y-%m-%d}",
        f"{_days(0):%Y-%m-%d}", "逾期 10 天公开", "10", "1/2", f"{world.quality['total']:.2f}", world.quality["grade"],
    ]
    assert [row[8] for row in rows[1:]][0] == "按时公开"  # in the order asked for
    filtered = list(csv.reader(io.StringIO(client.get(f"/board/board.csv?region={REGION}&year=2023&kind=unit").content.decode()[1:])))
    assert {row[3] for row in filtered[1:]} == {CENTRE, AUDIT}


def test_csv_defuses_cells_a_spreadsheet_would_read_as_formulas(client, world):
    region = world.disclosure.department.region
    hostile = ['=HYPERLINK("http://example.com","点击")', "+1+2", "-3", "@SUM(A1)"]
    for name in hostile:
        Department.objects.create(region=region, name=name)
    text = client.get(f"/board/board.csv?region={REGION}&year=2023").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:])))
    departments = {row[2] for row in rows[1:]}
    assert {f"'{name}" for name in hostile} <= departments
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    html = client.get(f"/board/?region={REGION}&year=2023").content.decode()
    assert "=HYPERLINK(&quot;http://example.com&quot;" in html  # escaped on the page


def test_a_constant_number_of_queries_whatever_the_rows(client, world, django_assert_num_queries):
    path = f"/board/?region={REGION}&year=2023"
    client.get(path)
    cache.clear()  # the views' queries, not the page cache's (tests/public/test_page_cache.py)
    caching.stamp(), caching.events(), caching.generation()
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    region = world.disclosure.department.region
    year = FiscalYear.objects.get(year=2023)
    for n in range(30):
        department = Department.objects.create(region=region, name=f"新乡市凤泉区测试局{n:02d}")
        Unit.objects.create(department=department, name=f"新乡市凤泉区测试局{n:02d}本级", is_main=True)
        Disclosure.objects.create(department=department, year=year, kind="department", approval_date=_days(-n))
    cache.clear()
    caching.stamp(), caching.events(), caching.generation()
    with django_assert_num_queries(len(few)):
        response = client.get(path)
    assert len(parsed(response, "board").rows) == 50  # paginated: 65 rows, 50 a page
    assert len(few) == 5  # the regions, the region's years, its departments, units and disclosures
    cache.clear()
    caching.stamp(), caching.events(), caching.generation()
    with django_assert_num_queries(len(few)):
        assert client.get(f"/board/board.csv?region={REGION}&year=2023").status_code == 200


def test_linked_from_the_home_page_and_the_navigation(client, world):
    html = client.get("/").content.decode()
    assert 'id="board-link"' in html and 'href="/board/"' in html and 'id="nav-board"' in html
