"""The public timeliness and quality board (/board/): for a region and a year, every department
and unit the organisations say should publish, with 按时公开 / 逾期 N 天公开 / 未公开, 所属单位
coverage and the 公开质量 score; filtered, sorted, downloaded as CSV (formulas defused), in a
constant number of queries.

The seeds are published as in the demo (upload, review, publication: what publish_seed does,
once for the module), with `version_quality_refresh` called where publication will call it."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts_app import caching
from accounts_app.models import Department, Disclosure, FiscalYear, Unit, Version
from accounts_app.services import board
from accounts_app.services.organisations import SEED_REGIONS, disclosure_ensure, region_ensure
from accounts_app.services.publication import disclosure_current_refresh
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


def test_the_score_follows_a_new_approval_date(client, world, django_capture_on_commit_callbacks):
    """及时性 counts from the 批复 date: registered after publication (by a reviewer, on the
    disclosure's work page), the published version is scored again, and the board shows its
    new status and score."""
    before = _by_entity(_rows(client, f"region={REGION}&year=2023"))[HEALTH]
    reviewer = Client()
    reviewer.force_login(get_user_model().objects.get(username="board"))
    with django_capture_on_commit_callbacks(execute=True):  # the cached pages forgotten
        recorded = reviewer.post(f"/work/disclosures/{world.disclosure_id}/approval-date/", {"approval_date": f"{_days(-5):%Y-%m-%d}"}, follow=True)
    assert "批复日期已登记。" in recorded.content.decode()
    quality = Version.objects.get(pk=world.pk).quality
    after = _by_entity(_rows(client, f"region={REGION}&year=2023"))[HEALTH]
    assert before[6] == "逾期 10 天公开" and after[6] == "按时公开"
    assert after[8:] == [f"{quality['total']:.2f}", quality["grade"]]
    assert float(after[8]) > float(before[8])


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


def _csv(client, query: str) -> list[list[str]]:
    text = client.get(f"/board/board.csv?region={REGION}&year=2023&{query}").content.decode("utf-8")
    return list(csv.reader(io.StringIO(text[1:])))[1:]


def _status_key(label: str) -> tuple[int, int]:
    """The status column's order, read from its label: best first, then by days."""
    if label.startswith("未公开（截止日期"):  # pending: the most days left first
        return 3, (timezone.localdate() - date.fromisoformat(label[9:19])).days
    number = int("".join(c for c in label if c.isdigit()) or 0)
    for rank, start in enumerate(("按时公开", "已公开（未登记", "逾期", None, "未公开（未登记", "未公开（逾期")):
        if start and label.startswith(start):
            return rank, number
    raise AssertionError(label)


SORT_KEYS = {  # column → its order, from a CSV row (as the rows were sorted in memory before)
    "department": lambda row: row[2],
    "entity": lambda row: row[3],
    "kind": lambda row: {"部门决算": "department", "单位决算": "unit"}[row[4]],
    "approval_date": lambda row: row[5] or "9999",
    "deadline": lambda row: row[5] or "9999",
    "published": lambda row: row[7] or "9999",
    "status": lambda row: _status_key(row[8]),
    "coverage": lambda row: int(row[10].split("/")[0]) / int(row[10].split("/")[1]) if row[10] else -1,
    "score": lambda row: float(row[11]) if row[11] else -1,
    "grade": lambda row: float(row[11]) if row[11] else -1,
}


def test_every_sort_is_its_column_then_the_default_order(client, world):
    region = world.disclosure.department.region
    year = FiscalYear.objects.get(year=2023)
    for name, approved in (("B局", -40), ("a局", -40), ("Z局", None), ("新乡市凤泉区审计局", -21), ("新乡市凤泉区统计局", -20)):
        department = Department.objects.create(region=region, name=name)
        Disclosure.objects.create(department=department, year=year, kind="department", approval_date=_days(approved) if approved else None)
        for unit, is_main in (("乙中心", False), ("甲中心", False), ("机关", True)):  # 本级 first, then by name
            Unit.objects.create(department=department, name=f"{name}{unit}", is_main=is_main)
    default = _csv(client, "")
    position = {row[3]: n for n, row in enumerate(default)}
    for name in ("B局", "a局", "Z局"):  # each department, then its units: 本级 first
        first = position[name]
        assert [row[3] for row in default[first:first + 2]] == [name, f"{name}机关（本级）"]
        assert {row[3] for row in default[first + 2:first + 4]} == {f"{name}乙中心", f"{name}甲中心"}
    for column, key in SORT_KEYS.items():
        for descending in (False, True):
            rows = _csv(client, f"sort={'-' if descending else ''}{column}")
            expected = sorted(default, key=lambda row: (key(row), position[row[3]]), reverse=descending)
            assert [row[3] for row in rows] == [row[3] for row in expected], (column, descending)
    page = _rows(client, f"region={REGION}&year=2023&sort=-status")  # the page sorts as the CSV
    assert [row[1] for row in page] == [row[3] for row in _csv(client, "sort=-status")][:50]


def _version(disclosure: Disclosure, published_at) -> Version:
    version = Version.objects.create(
        disclosure=disclosure, number=disclosure.versions.count() + 1, status=Version.Status.PUBLISHED, table_set="x",
        source_name="x.xlsx", source_sha256="x", source_size=0, published_at=published_at,
    )
    disclosure_current_refresh(disclosure=disclosure)  # as its publication does
    return version


def test_the_deadline_is_kept_by_the_local_day_of_the_first_publication(client, world):
    region = world.disclosure.department.region
    year = FiscalYear.objects.get(year=2023)
    deadline = _days(-20)  # 批复 40 days ago
    local = timezone.get_current_timezone()
    for name, published in (
        ("新乡市凤泉区甲局", datetime.combine(deadline, time(23, 30), local)),  # 15:30 UTC: still the deadline day here
        ("新乡市凤泉区乙局", datetime.combine(deadline + timedelta(days=1), time(0, 10), local)),  # the day after, here
    ):
        disclosure = Disclosure.objects.create(
            department=Department.objects.create(region=region, name=name), year=year, kind="department", approval_date=_days(-40)
        )
        _version(disclosure, published + timedelta(days=30))  # a correction: the first publication counts
        _version(disclosure, published)
    for name, approved in (("新乡市凤泉区丙局", -20), ("新乡市凤泉区丁局", -21)):  # today is the deadline; the day after
        Disclosure.objects.create(
            department=Department.objects.create(region=region, name=name), year=year, kind="department", approval_date=_days(approved)
        )
    rows = _by_entity(_rows(client, f"region={REGION}&year=2023&q=新乡市凤泉区"))
    assert rows["新乡市凤泉区甲局"][5:7] == [f"{deadline:%Y-%m-%d}", "按时公开"]
    assert rows["新乡市凤泉区乙局"][5:7] == [f"{deadline + timedelta(days=1):%Y-%m-%d}", "逾期 1 天公开"]
    assert rows["新乡市凤泉区丙局"][6] == f"未公开（截止日期 {_days(0):%Y-%m-%d}）"
    assert rows["新乡市凤泉区丁局"][6] == "未公开（逾期 1 天）"
    assert {row[1] for row in _rows(client, f"region={REGION}&year=2023&status=late")} == {HEALTH, "新乡市凤泉区乙局"}
    assert [row[1] for row in _rows(client, f"region={REGION}&year=2023&status=overdue&sort=-status")] == [AUDIT, "新乡市凤泉区丁局"]  # the most days first
    html = client.get(f"/board/?region={REGION}&year=2023").content.decode()
    assert "按时公开<strong>2</strong>" in html and "逾期公开<strong>2</strong>" in html and "其中已逾期 2" in html
    scores = [world.quality["total"], Version.objects.get(disclosure__unit__name=CENTRE).quality["total"]]
    average = (sum(Decimal(str(s)).quantize(Decimal("0.01")) for s in scores) / 2).quantize(Decimal("0.1"))
    assert f"平均公开质量<strong>{average}</strong>" in html


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


def _fresh() -> None:
    cache.clear()  # the views' queries, not the page cache's (tests/public/test_page_cache.py)
    caching.stamp(), caching.events(), caching.generation()


def test_a_constant_number_of_queries_whatever_the_rows(client, world, django_assert_num_queries, monkeypatch):
    path, csv_path = f"/board/?region={REGION}&year=2023", f"/board/board.csv?region={REGION}&year=2023"
    client.get(path)
    _fresh()
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    _fresh()
    with CaptureQueriesContext(connection) as few_csv:
        assert client.get(csv_path).status_code == 200
    region = world.disclosure.department.region
    year = FiscalYear.objects.get(year=2023)
    for n in range(30):
        department = Department.objects.create(region=region, name=f"新乡市凤泉区测试局{n:02d}")
        Unit.objects.create(department=department, name=f"新乡市凤泉区测试局{n:02d}本级", is_main=True)
        Disclosure.objects.create(department=department, year=year, kind="department", approval_date=_days(-n))
    built = []  # only the page's rows become Python objects: the database filters, sorts and pages

    class CountedRow(board.BoardRow):
        def __init__(self, **values):
            super().__init__(**values)
            built.append(self.entity)

    monkeypatch.setattr(board, "BoardRow", CountedRow)
    _fresh()
    with django_assert_num_queries(len(few)) as page_queries:
        response = client.get(f"{path}&sort=-status&page=2")
    assert len(parsed(response, "board").rows) == 15 and len(built) == 15  # 65 rows, 50 a page: the second page
    assert "本页显示 65 个部门或单位" in response.content.decode()
    assert sum("OFFSET 50" in query["sql"] for query in page_queries.captured_queries) == 1
    # the regions, the region's years, the summary (with the number of rows shown) with the page's rows
    assert len(few) == 3
    _fresh()
    built.clear()
    with django_assert_num_queries(len(few_csv)):
        text = client.get(csv_path).content.decode()
    assert len(few_csv) == 3  # the regions, the region's years and every row (a download: the whole region)
    assert len(built) == 65 and len(list(csv.reader(io.StringIO(text[1:])))) == 66
    second = [row[1] for row in parsed(response, "board").rows]
    for past in ("99", "0", "x"):  # no such page: the last one; not a page number: the first
        rows = [row[1] for row in parsed(client.get(f"{path}&sort=-status&page={past}"), "board").rows]
        assert rows == (second if past != "x" else [row[3] for row in _csv(client, "sort=-status")][:50])


def test_linked_from_the_home_page_and_the_navigation(client, world):
    html = client.get("/").content.decode()
    assert 'id="board-link"' in html and 'href="/board/"' in html and 'id="nav-board"' in html
