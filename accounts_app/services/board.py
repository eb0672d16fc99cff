"""The public timeliness and quality board (/board/): for a region and a year, every department
and unit expected to publish — a 部门决算 for each department, a 单位决算 for each of its
units, as the organisations are registered (in the years from their first to their last, where
set; and any with a disclosure registered for the year) — with its 批复 date, deadline (20 days later), when it was
first published, its 所属单位 coverage and the 公开质量 of its current version.

Read side only, in a constant number of queries whatever the number of rows (the regions, the
region's years, its departments, its units and its disclosures); rows are built, filtered and
counted in memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ..models import Department, Disclosure, Region, Unit, Version
from ..models.organisation import expected_in
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


@dataclass
class BoardRow:
    region: str
    year: int
    department: str
    kind: str
    entity: str
    position: int  # the default order: each department, then its units (本级 first)
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

    # Sort keys: never None, so that any column sorts.
    @property
    def status_rank(self) -> tuple[int, int]:
        days = self.days or 0
        return (STATUS_RANK[self.status], -days if self.status == PENDING else days)

    @property
    def coverage_rank(self) -> Decimal:
        return Decimal(self.units_published) / self.units_total if self.units_total else Decimal(-1)

    @property
    def score_rank(self) -> Decimal:
        return self.score if self.score is not None else Decimal(-1)

    @property
    def approval_rank(self) -> str:
        return f"{self.approval_date:%Y-%m-%d}" if self.approval_date else "9999"

    @property
    def published_rank(self) -> str:
        return f"{self.published:%Y-%m-%d}" if self.published else "9999"


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
    years = list(
        Disclosure.objects.filter(department__region=region).order_by("-year__year").values_list("year__year", flat=True).distinct()
    )
    chosen = int(year) if year.isdigit() and int(year) in years else (years[0] if years else None)
    return BoardChoice(regions, region, years, chosen)


def _status(approval: date | None, published: date | None, today: date) -> tuple[str, int | None]:
    deadline = deadline_of(approval)
    if published:
        if deadline is None:
            return PUBLISHED_NO_DATE, None
        late = (published - deadline).days
        return (LATE, late) if late > 0 else (ON_TIME, None)
    if deadline is None:
        return NO_DATE, None
    late = (today - deadline).days
    return (OVERDUE, late) if late > 0 else (PENDING, -late)


def _disclosures(region: Region, year: int) -> dict[tuple[str, int], dict]:
    """The region's disclosures of the year by (kind, department or unit id), with the day
    each was first published and its current version's score, in one query."""
    first = Version.objects.filter(disclosure=OuterRef("pk"), status=Version.Status.PUBLISHED).order_by("published_at")
    rows = (
        Disclosure.objects.filter(department__region=region, year__year=year)
        .annotate(first_published=Subquery(first.values("published_at")[:1]))
        .values(
            "pk", "kind", "department_id", "unit_id", "approval_date", "first_published",
            "current_version__status", "current_version__quality__total", "current_version__quality__grade",
        )
    )
    found = {}
    for row in rows:
        found[(row["kind"], row["unit_id"] if row["kind"] == Kind.UNIT else row["department_id"])] = row
    return found


def board_rows(*, region: Region, year: int, today: date | None = None) -> list[BoardRow]:
    """Every department and unit of the region expected to publish for `year`, in the default
    order (departments by name, each followed by its units)."""
    today = today or timezone.localdate()
    disclosures = _disclosures(region, year)
    units: dict[int, list[tuple[int, str, bool]]] = {}
    for pk, name, is_main, department_id, first, last in Unit.objects.filter(department__region=region).order_by("-is_main", "name").values_list(
        "pk", "name", "is_main", "department_id", "first_year", "last_year"
    ):
        if expected_in(year, first, last) or (Kind.UNIT, pk) in disclosures:
            units.setdefault(department_id, []).append((pk, name, is_main))
    rows: list[BoardRow] = []
    departments = Department.objects.filter(region=region).order_by("name").values_list("pk", "name", "first_year", "last_year")
    for department_id, department, first, last in departments:
        if not expected_in(year, first, last) and (Kind.DEPARTMENT, department_id) not in disclosures:
            continue  # not yet set up, or abolished, that year
        own = units.get(department_id, [])
        published_units = sum(_published(disclosures.get((Kind.UNIT, pk))) for pk, _, _ in own)
        found = disclosures.get((Kind.DEPARTMENT, department_id))
        row = _row(region, year, department, Kind.DEPARTMENT, department, found, today, len(rows))
        row.units_published, row.units_total = (published_units, len(own)) if own else (None, None)
        rows.append(row)
        for pk, name, is_main in own:
            entity = f"{name}（本级）" if is_main else name
            rows.append(_row(region, year, department, Kind.UNIT, entity, disclosures.get((Kind.UNIT, pk)), today, len(rows)))
    return rows


def _published(found: dict | None) -> bool:
    return bool(found and found["current_version__status"] == Version.Status.PUBLISHED)


def _row(region, year, department, kind, entity, found, today, position) -> BoardRow:
    row = BoardRow(region.name, year, department, kind, entity, position)
    if found is None:
        return row
    first = found["first_published"]
    row.disclosure_id = found["pk"]
    row.approval_date = found["approval_date"]
    row.published = timezone.localtime(first).date() if first else None
    row.status, row.days = _status(row.approval_date, row.published, today)
    if _published(found) and found["current_version__quality__total"] is not None:
        row.score = Decimal(str(found["current_version__quality__total"])).quantize(Decimal("0.01"))
        row.grade = found["current_version__quality__grade"] or ""
    return row


def board_filter(rows: list[BoardRow], *, kind: str = "", status: str = "", q: str = "") -> list[BoardRow]:
    """The rows of a kind (部门决算/单位决算), a status filter (STATUS_FILTERS) and whose
    department or entity names contain `q`."""
    q = q.strip()
    statuses = STATUS_FILTERS[status][1] if status in STATUS_FILTERS else None
    return [
        row
        for row in rows
        if (not kind or row.kind == kind)
        and (statuses is None or row.status in statuses)
        and (not q or q in row.department or q in row.entity)
    ]


def board_counts(rows: list[BoardRow]) -> dict:
    """What the board sums up: how many are expected, on time, late, unpublished (of which
    overdue), and the average score of those scored."""
    scored = [row.score for row in rows if row.score is not None]
    return {
        "expected": len(rows),
        "on_time": sum(row.status == ON_TIME for row in rows),
        "late": sum(row.status == LATE for row in rows),
        "published_no_date": sum(row.status == PUBLISHED_NO_DATE for row in rows),
        "unpublished": sum(not row.is_published for row in rows),
        "overdue": sum(row.status == OVERDUE for row in rows),
        "average": (sum(scored, Decimal(0)) / len(scored)).quantize(Decimal("0.1")) if scored else None,
    }
