"""The public timeliness and quality board (/board/): for a region and a year, every department
and unit expected to publish — a 部门决算 for each department, a 单位决算 for each of its
units, as the organisations are registered (in the years from their first to their last, where
set; and any with a disclosure registered for the year) — with its 批复 date, deadline (20 days later), when it was
first published, its 所属单位 coverage and the 公开质量 of its current version.

A region holds up to thousands of departments and units, so the database does the work, in a
number of queries and of Python objects that does not grow with it: the rows (board_rows) are
one statement (services.board_sql) that computes what each row shows and its status, and
filters, sorts and pages them; the summary is one aggregate over the same rows. Only the rows
fetched (a page of the board, or the CSV's every row) become Python objects (BoardRow)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connections, router
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..models import Disclosure, FiscalYear, Region
from ..rendering.board import POSITION  # the default order: each department, then its units (本级 first)
from . import board_sql
from .deadlines import deadline_of

Kind = Disclosure.Kind

ON_TIME, LATE, OVERDUE, PENDING, PUBLISHED_NO_DATE, NO_DATE = (
    "on_time", "late", "overdue", "pending", "published_no_date", "no_date",
)
# The status filter: its choices and the statuses each covers.
STATUS_FILTERS = {
    "on_time": ("按时公开", (ON_TIME,)),
    "late": ("逾期公开", (LATE,)),
    "unpublished": ("未公开（全部）", (OVERDUE, PENDING, NO_DATE)),
    "overdue": ("未公开且已逾期", (OVERDUE,)),
    "no_date": ("未登记批复日期", (PUBLISHED_NO_DATE, NO_DATE)),
}
# Best first: ascending sorts from 按时公开 to the longest overdue.
STATUS_RANK = {ON_TIME: 0, PUBLISHED_NO_DATE: 1, LATE: 2, PENDING: 3, NO_DATE: 4, OVERDUE: 5}
# A row's status as its STATUS_RANK, and the days it is sorted by within its status (days late
# when published late; days past the deadline, ≤ 0 while pending; else 0): board_sql.board_sql.
RANK_SQL = (
    "CASE WHEN {published} IS NOT NULL THEN CASE WHEN {approval} IS NULL THEN %(published_no_date)d"
    " WHEN {late} > 0 THEN %(late)d ELSE %(on_time)d END"
    " WHEN {approval} IS NULL THEN %(no_date)d WHEN {overdue} > 0 THEN %(overdue)d ELSE %(pending)d END"
) % STATUS_RANK
DAYS_SQL = "CASE WHEN {published} IS NOT NULL THEN CASE WHEN {late} > 0 THEN {late} ELSE 0 END WHEN {approval} IS NULL THEN 0 ELSE {overdue} END"
STATUS_OF_RANK = {rank: status for status, rank in STATUS_RANK.items()}
CENT = Decimal("0.01")


@dataclass
class BoardRow:
    region: str
    year: int
    department: str
    kind: str
    entity: str
    disclosure_id: int | None = None
    approval_date: date | None = None
    published: date | None = None
    status: str = NO_DATE
    days: int | None = None  # days late (published late, or overdue); days left when pending
    units_published: int | None = None  # 部门决算 rows: units with a published 单位决算 …
    units_total: int | None = None  # … of the department's units
    score: Decimal | None = None
    grade: str = ""

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def deadline(self) -> date | None:
        return deadline_of(self.approval_date)

    @property
    def is_published(self) -> bool:
        return self.published is not None

    @property
    def status_label(self) -> str:
        if self.status == ON_TIME:
            return "按时公开"
        if self.status == LATE:
            return f"逾期 {self.days} 天公开"
        if self.status == OVERDUE:
            return f"未公开（逾期 {self.days} 天）"
        if self.status == PENDING:
            return f"未公开（截止日期 {self.deadline:%Y-%m-%d}）"
        if self.status == PUBLISHED_NO_DATE:
            return "已公开（未登记批复日期）"
        return "未公开（未登记批复日期）"

    @property
    def days_late(self) -> int | None:
        return self.days if self.status in (LATE, OVERDUE) else None

    @property
    def coverage_label(self) -> str:
        return "" if not self.units_total else f"{self.units_published}/{self.units_total}"

    # As the board and its CSV print them ("" when there is nothing to print).
    @property
    def approval_text(self) -> str:
        return f"{self.approval_date:%Y-%m-%d}" if self.approval_date else ""

    @property
    def deadline_text(self) -> str:
        return f"{self.deadline:%Y-%m-%d}" if self.approval_date else ""

    @property
    def published_text(self) -> str:
        return f"{self.published:%Y-%m-%d}" if self.published else ""

    @property
    def score_text(self) -> str:
        return "" if self.score is None else f"{self.score:.2f}"


@dataclass
class BoardChoice:
    """The region and year shown, and what the filters offer."""

    regions: list[Region]
    region: Region | None
    years: list[int] = field(default_factory=list)
    year: int | None = None
    year_id: int | None = None  # the chosen FiscalYear's


def board_choice(*, region_code: str = "", year: str = "") -> BoardChoice:
    """The region asked for (by 行政区划代码), else the first with disclosures in the latest
    year; the year asked for if the region has disclosures then, else its latest."""
    regions = list(Region.objects.order_by("code"))
    region = next((r for r in regions if r.code == region_code), None) if region_code else None
    if region is None:
        latest = (
            Disclosure.objects.order_by("-year__year", "department__region__code").values_list("department__region_id", flat=True).first()
        )
        region = next((r for r in regions if r.pk == latest), regions[0] if regions else None)
    if region is None:
        return BoardChoice(regions, None)
    # Each year asks whether the region has a disclosure then (EXISTS, by its departments'
    # index): a DISTINCT over the region's disclosures read the whole table (Seq Scan).
    registered = Disclosure.objects.filter(year=OuterRef("pk"), department__region=region)
    ids = dict(FiscalYear.objects.filter(Exists(registered)).order_by("-year").values_list("year", "pk"))
    years = list(ids)
    chosen = int(year) if year.isdigit() and int(year) in years else (years[0] if years else None)
    return BoardChoice(regions, region, years, chosen, ids.get(chosen))


KIND = board_sql.COLUMNS.index("kind")  # never NULL in a row
# What the summary counts, of all the region's rows ("shown": those the filters show).
COUNTED = {
    "expected": "1 = 1", "on_time": f"status_rank = {STATUS_RANK[ON_TIME]}", "late": f"status_rank = {STATUS_RANK[LATE]}",
    "published_no_date": f"status_rank = {STATUS_RANK[PUBLISHED_NO_DATE]}", "unpublished": "published IS NULL",
    "overdue": f"status_rank = {STATUS_RANK[OVERDUE]}", "shown": "",
}


class BoardRows:
    """The rows of a region's board for a year, as django-tables2 reads a queryset: sorted
    (`order_by` keys of board_sql.sort_keys, "-" for descending), counted (`count`: from the
    summary) and sliced by the database; only the rows fetched become BoardRow. `summary`
    sums up all the region's rows, whatever the filters, and counts those shown. With a `page`
    (offset, limit) foreseen, the summary is computed with that page's rows in one statement
    (the rows computed once), and the paginator's slice of it is served from them."""

    ordered = True  # for the paginator: its pages are stable

    def __init__(self, *, scope: board_sql.Scope, region: Region, order=POSITION, page: tuple[int, int] | None = None):
        self.scope, self.region, self.order, self.page = scope, region, tuple(order), page
        self.connection = connections[router.db_for_read(Disclosure)]
        self._summary: dict | None = None
        self._page_rows: list[BoardRow] | None = None
        self._all: list[BoardRow] | None = None

    def order_by(self, *keys: str) -> BoardRows:
        known = board_sql.sort_keys(self.connection)
        ordered = BoardRows(scope=self.scope, region=self.region, order=[key for key in keys if key.lstrip("-") in known], page=self.page)
        if self.order == ordered.order:
            ordered._summary, ordered._page_rows = self._summary, self._page_rows
        else:
            ordered._summary = self._summary  # whatever the order
        return ordered

    def _fetch(self, limit: int | None = None, offset: int = 0) -> list[BoardRow]:
        sql, params = board_sql.page_statement(self.connection, self.scope, order=self.order, limit=limit, offset=offset)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [_row(self, dict(zip(board_sql.COLUMNS, values))) for values in cursor.fetchall()]

    def summary(self) -> dict:
        """How many rows are expected, on time, late, unpublished (of which overdue), the
        average score of those scored, and how many rows the filters show (`shown`). One query
        (with the foreseen page's rows, when there is a page)."""
        if self._summary is None:
            offset, limit = self.page or (0, None)
            sql, params = board_sql.summary_statement(self.connection, self.scope, counted=COUNTED, order=self.order, limit=limit, offset=offset)
            with self.connection.cursor() as cursor:
                cursor.execute(sql, params)
                found = cursor.fetchall()
            paged = len(board_sql.COLUMNS) if limit is not None else 0
            *counts, scored, total = found[0][paged:]
            if paged:
                self._page_rows = [_row(self, dict(zip(board_sql.COLUMNS, values))) for values in found if values[KIND] is not None]  # an empty page: NULLs
            self._summary = dict(zip(COUNTED, counts))
            # As Decimal sums and divides them: the exact sum of the scores, rounded once.
            self._summary["average"] = (Decimal(str(total)) / scored).quantize(Decimal("0.1")) if scored else None
        return self._summary

    def count(self) -> int:
        return self.summary()["shown"]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if self._all is not None:
            return self._all[index]
        start, stop = index.start or 0, index.stop
        if self._page_rows is not None and self.page and start == self.page[0] and stop is not None and stop - start <= self.page[1]:
            return self._page_rows[: stop - start]  # the page foreseen
        return self._fetch(None if stop is None else max(stop - start, 0), start)

    def __iter__(self):
        if self._all is None:
            self._all = self._fetch()
        return iter(self._all)

    def __len__(self) -> int:  # what django-tables2's paginator counts: the rows shown
        return self.count() if self._all is None else len(self._all)


def _date(value) -> date | None:
    """A date as the database gives it (SQLite: its ISO text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _row(rows: BoardRows, values: dict) -> BoardRow:
    score, status, days = values["score"], STATUS_OF_RANK[values["status_rank"]], values["status_days"]
    return BoardRow(
        region=rows.region.name, year=rows.scope.year, department=values["department_name"], kind=values["kind"],
        entity=values["entity_name"], disclosure_id=values["disclosure_id"], approval_date=_date(values["approval_date"]),
        published=_date(values["published"]), status=status,
        days={LATE: days, OVERDUE: days, PENDING: -days}.get(status),  # PENDING: days left
        units_published=values["units_published"] if values["units_total"] else None,
        units_total=values["units_total"] or None,  # no units: no coverage
        score=None if score is None else Decimal(str(score)).quantize(CENT),
        grade=(values["grade"] or "") if score is not None else "",
    )


def board_rows(
    *, region: Region, year: int, kind: str = "", status: str = "", q: str = "", today: date | None = None,
    page: tuple[int, int] | None = None, year_id: int | None = None,
) -> BoardRows:
    """The rows of the board shown (BoardRow when iterated): every department and unit of the
    region expected to publish for `year`, of a kind, a status filter (STATUS_FILTERS) and whose
    names contain `q` (all when not given), in the default order (departments by name, each
    followed by its units); `summary()` sums them up, with the `page` (offset, limit) that will
    be shown, when known. `year_id`: the year's FiscalYear id, when known (BoardChoice)."""
    ranks = tuple(STATUS_RANK[name] for name in STATUS_FILTERS[status][1]) if status in STATUS_FILTERS else ()
    scope = board_sql.Scope(
        region_id=region.pk, year=year, today=today or timezone.localdate(), rank=RANK_SQL, days=DAYS_SQL,
        kind=kind, ranks=ranks, q=q.strip(), year_id=year_id,
    )
    return BoardRows(scope=scope, region=region, page=page)
