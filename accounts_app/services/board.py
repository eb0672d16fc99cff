"""The public timeliness and quality board (/board/): for a region and a year, every department
and unit expected to publish — a 部门决算 for each department, a 单位决算 for each of its
units, as the organisations are registered (in the years from their first to their last, where
set; and any with a disclosure registered for the year) — with its 批复 date, deadline (20 days later), when it was
first published, its 所属单位 coverage and the 公开质量 of its current version.

A region holds up to thousands of departments and units, so the database does the work, in a
number of queries and of Python objects that does not grow with it: board_rows is one query (a
UNION ALL of the region's departments as 部门决算 rows and its units as 单位决算 rows) that
computes what each row shows, its status and its sort keys (COLUMNS), and filters, sorts and
pages them; board_counts is one aggregate over the same rows. Only the rows fetched (a page of
the board, or the CSV's every row) become Python objects (BoardRow)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case, Count, DateField, DecimalField, Exists, F, FilteredRelation, FloatField, IntegerField, Max,
    Min, OuterRef, Q, QuerySet, Subquery, Sum, Value, When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, StrIndex, TruncDate
from django.db.models.lookups import GreaterThan
from django.db.models.query import ValuesIterable
from django.utils import timezone

from ..models import Department, Disclosure, FiscalYear, Region, Unit, Version
from .board_sql import Codepoint, Timeliness
from .deadlines import deadline_of

Kind = Disclosure.Kind
PUBLISHED = Version.Status.PUBLISHED

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
# when published late; days past the deadline, ≤ 0 while pending; else 0): board_sql.Timeliness.
RANK_SQL = (
    "CASE WHEN {published} IS NOT NULL THEN CASE WHEN {approval} IS NULL THEN %(published_no_date)d"
    " WHEN {late} > 0 THEN %(late)d ELSE %(on_time)d END"
    " WHEN {approval} IS NULL THEN %(no_date)d WHEN {overdue} > 0 THEN %(overdue)d ELSE %(pending)d END"
) % STATUS_RANK
DAYS_SQL = "CASE WHEN {published} IS NOT NULL THEN CASE WHEN {late} > 0 THEN {late} ELSE 0 END WHEN {approval} IS NULL THEN 0 ELSE {overdue} END"
CENT = Decimal("0.01")
SCORE = DecimalField(max_digits=20, decimal_places=2)  # 公开质量 totals are stored to the cent
NEVER = date(9999, 12, 31)  # the sort key of no date: after every date, as "9999" sorted before


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
    years = list(FiscalYear.objects.filter(Exists(registered)).order_by("-year").values_list("year", flat=True))
    chosen = int(year) if year.isdigit() and int(year) in years else (years[0] if years else None)
    return BoardChoice(regions, region, years, chosen)


def _expected(year: int, prefix: str = "") -> Q:
    """models.organisation.expected_in as a filter: from first_year (if set) to last_year (if set)."""
    return (Q(**{f"{prefix}first_year__isnull": True}) | Q(**{f"{prefix}first_year__lte": year})) & (
        Q(**{f"{prefix}last_year__isnull": True}) | Q(**{f"{prefix}last_year__gte": year})
    )


def _fiscal_year(year: int) -> Subquery:
    """The year's id, for the joins' conditions (which cannot follow a relation)."""
    return Subquery(FiscalYear.objects.filter(year=year).values("pk")[:1])


def _disclosure(kind: str, year: int) -> FilteredRelation:
    """The row's disclosure of the year, to be joined (LEFT) as `d`."""
    return FilteredRelation("disclosures", condition=Q(disclosures__kind=kind, disclosures__year=_fiscal_year(year)))


# The columns of a row (BoardRow's values, then the sort keys), in the order both parts select
# them; and those the summary counts (with the names, which the filter on names reads).
COLUMNS = (
    "region_name", "year", "department_name", "kind", "entity_name", "disclosure_id", "approval_date", "published",
    "units_published", "units_total", "score", "grade",
    "status_rank", "status_days", "approval_rank", "published_rank", "coverage_rank", "score_rank",
    "position_department", "position_group", "position_entity",
)
SUMMARY_COLUMNS = ("department_name", "kind", "entity_name", "published", "score", "status_rank")
# The default order: departments by name (the database's collation), each followed by its
# units, the main unit (本级) first, then by name.
POSITION = ("position_department", "position_group", "position_entity")
STATUS_OF_RANK = {rank: status for status, rank in STATUS_RANK.items()}


def _timeliness(rows: QuerySet, *, today: date) -> QuerySet:
    """The row's 批复 date, first publication, status and score, from its disclosure `d` of the
    year and the disclosure's published versions (`pv`), grouped by row: the first publication
    is their earliest (one MIN, which the database computes once however many expressions use
    it); the score is the current version's when it is one of them (it is published), the
    quality total, which needs no other join."""
    rows = rows.annotate(pv=FilteredRelation("d__versions", condition=Q(d__versions__status=PUBLISHED)))
    current = Q(pv__id=F("d__current_version_id"))
    rows = rows.annotate(
        approval_date=F("d__approval_date"),
        published=TruncDate(Min("pv__published_at")),  # the local day, in the current time zone
        score=Max(Case(When(current, then=Cast(KeyTextTransform("total", "pv__quality"), SCORE)))),
        grade=Max(Case(When(current, then=KeyTextTransform("grade", "pv__quality")))),  # shown with the score only
    )
    return rows.annotate(status_rank=Timeliness(RANK_SQL, F("published"), F("approval_date"), Value(today, output_field=DateField())))


def _details(rows: QuerySet, *, region: Region, year: int, today: date) -> QuerySet:
    """All that a row shows, and the sort keys (never NULL)."""
    return rows.annotate(
        region_name=Value(region.name),
        year=Value(year),
        disclosure_id=F("d__id"),
        # After the status, (BoardRow.days) the fewest days late or overdue first, and of those
        # pending the most days left first.
        status_days=Timeliness(DAYS_SQL, F("published"), F("approval_date"), Value(today, output_field=DateField())),
        approval_rank=Coalesce("approval_date", Value(NEVER)),
        published_rank=Coalesce("published", Value(NEVER)),
        score_rank=Coalesce("score", Value(Decimal(-1)), output_field=SCORE),
    ).values(*COLUMNS)


def _departments(*, region: Region, year: int, today: date, summary: bool = False) -> QuerySet:
    """The 部门决算 rows: each department expected that year or with its disclosure registered,
    with (but for the summary) its coverage: of its units expected that year or with a
    disclosure (`ud`), those whose 单位决算's current version is published; counted in the same
    grouping as the first publication (distinct: the published versions multiply the units)."""
    rows = (
        Department.objects.filter(region=region)
        .order_by()
        .annotate(d=_disclosure(Kind.DEPARTMENT, year))
        .filter(_expected(year) | Q(d__isnull=False))
        .annotate(department_name=Codepoint(F("name")), kind=Value(Kind.DEPARTMENT.value), entity_name=Codepoint(F("name")))
    )
    if summary:
        return _timeliness(rows, today=today).values(*SUMMARY_COLUMNS)
    units_disclosure = Q(units__disclosures__kind=Kind.UNIT, units__disclosures__year=_fiscal_year(year))
    rows = rows.annotate(
        ud=FilteredRelation("units__disclosures", condition=units_disclosure),
        units_published=Count("units", distinct=True, filter=Q(ud__current_version__status=PUBLISHED)),
        units_total=Count("units", distinct=True, filter=_expected(year, "units__") | Q(ud__isnull=False)),
        position_department=F("name"),
        position_group=Value(0),
        position_entity=Value(""),
    ).annotate(
        coverage_rank=Case(
            When(units_total__gt=0, then=Cast("units_published", FloatField()) / Cast("units_total", FloatField())),
            default=Value(-1.0), output_field=FloatField(),
        ),
    )
    return _details(_timeliness(rows, today=today), region=region, year=year, today=today)


def _units(*, region: Region, year: int, today: date, summary: bool = False) -> QuerySet:
    """The 单位决算 rows: each unit expected that year or with its disclosure registered, of a
    department on the board (expected that year, or with its 部门决算 registered)."""
    department_disclosure = Disclosure.objects.filter(department=OuterRef("department_id"), kind=Kind.DEPARTMENT, year=_fiscal_year(year))
    rows = (
        Unit.objects.filter(department__region=region)
        .filter(_expected(year, "department__") | Exists(department_disclosure))
        .order_by()
        .annotate(d=_disclosure(Kind.UNIT, year))
        .filter(_expected(year) | Q(d__isnull=False))
        .annotate(
            department_name=Codepoint(F("department__name")),
            kind=Value(Kind.UNIT.value),
            entity_name=Codepoint(Concat("name", Case(When(is_main=True, then=Value("（本级）")), default=Value("")))),
        )
    )
    if summary:
        return _timeliness(rows, today=today).values(*SUMMARY_COLUMNS)
    rows = rows.annotate(
        units_published=Value(None, output_field=IntegerField()),
        units_total=Value(None, output_field=IntegerField()),
        position_department=F("department__name"),
        position_group=Value(2) - Cast("is_main", IntegerField()),  # 本级 (1) first
        position_entity=F("name"),
        coverage_rank=Value(-1.0, output_field=FloatField()),
    )
    return _details(_timeliness(rows, today=today), region=region, year=year, today=today)


def _shown(*, kind: str = "", status: str = "", q: str = "") -> Q:
    """The filters as a condition on the rows' columns: of a kind (部门决算/单位决算), a status
    filter (STATUS_FILTERS) and whose department or entity names contain `q`."""
    condition = Q()
    if kind:
        condition &= Q(kind=kind)
    if status in STATUS_FILTERS:
        condition &= Q(status_rank__in=[STATUS_RANK[name] for name in STATUS_FILTERS[status][1]])
    q = q.strip()
    if q:  # as Python's `in`: case-sensitive, no wildcard
        condition &= Q(GreaterThan(StrIndex("department_name", Value(q)), 0)) | Q(GreaterThan(StrIndex("entity_name", Value(q)), 0))
    return condition


class BoardRows(ValuesIterable):
    """The board's rows as BoardRow: only those fetched (a page, or the CSV's) are built."""

    def __iter__(self):
        for values in super().__iter__():
            score, status, days = values["score"], STATUS_OF_RANK[values["status_rank"]], values["status_days"]
            yield BoardRow(
                region=values["region_name"], year=values["year"], department=values["department_name"],
                kind=values["kind"], entity=values["entity_name"], disclosure_id=values["disclosure_id"],
                approval_date=values["approval_date"], published=values["published"], status=status,
                days={LATE: days, OVERDUE: days, PENDING: -days}.get(status),  # PENDING: days left
                units_published=values["units_published"] if values["units_total"] else None,
                units_total=values["units_total"] or None,  # no units: no coverage
                score=None if score is None else Decimal(str(score)).quantize(CENT),
                grade=(values["grade"] or "") if score is not None else "",
            )


def board_rows(*, region: Region, year: int, kind: str = "", status: str = "", q: str = "", today: date | None = None) -> QuerySet:
    """The rows of the board shown (BoardRow when iterated): every department and unit of the
    region expected to publish for `year`, of a kind, a status filter (STATUS_FILTERS) and whose
    names contain `q` (all when not given), in the default order (departments by name, each
    followed by its units). Sorted (`order_by` any of COLUMNS), counted and sliced by the database."""
    today = today or timezone.localdate()
    shown = _shown(status=status, q=q)
    parts = [
        part(region=region, year=year, today=today).filter(shown)
        for name, part in ((Kind.DEPARTMENT, _departments), (Kind.UNIT, _units))
        if not kind or kind == name
    ] or [_departments(region=region, year=year, today=today).none()]  # a kind of neither: no rows
    rows = (parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]).order_by(*POSITION)
    rows._iterable_class = BoardRows  # the rows, not dicts (what QuerySet.values() sets it to)
    return rows


def board_counts(*, region: Region, year: int, kind: str = "", status: str = "", q: str = "", today: date | None = None) -> dict:
    """What the board sums up, of all the region's rows whatever the filters: how many are
    expected, on time, late, unpublished (of which overdue), and the average score of those
    scored; and how many rows the filters show (`shown`). One query."""
    today = today or timezone.localdate()
    chosen = {"region": region, "year": year, "today": today, "summary": True}
    rows = _departments(**chosen).union(_units(**chosen), all=True)

    def count(condition: Q = Q()) -> Count:
        return Count("status_rank", filter=condition or None)

    counts = rows.aggregate(
        expected=count(),
        on_time=count(Q(status_rank=STATUS_RANK[ON_TIME])),
        late=count(Q(status_rank=STATUS_RANK[LATE])),
        published_no_date=count(Q(status_rank=STATUS_RANK[PUBLISHED_NO_DATE])),
        unpublished=count(Q(published__isnull=True)),
        overdue=count(Q(status_rank=STATUS_RANK[OVERDUE])),
        scored=Count("score"),
        score_sum=Sum("score", output_field=SCORE),
        shown=count(_shown(kind=kind, status=status, q=q)),
    )
    scored, total = counts.pop("scored"), counts.pop("score_sum")
    # As Decimal sums and divides them: the exact sum of the scores, rounded once.
    counts["average"] = (Decimal(total) / scored).quantize(Decimal("0.1")) if scored else None
    return counts
