"""The SQL of the public board (services.board), written by hand: one statement gives a region's
board rows for a year, computed by the database, filtered, sorted and sliced there; another
sums them up. A region holds up to thousands of departments and units, and the ORM spent more
time building its two large queries (a UNION of grouped joins) than the database spent running
them; here each row looks up its own disclosure by index (its first publication and its
current version's score are columns of it, kept by services.listing), and the region's units
are counted per department in one grouped join, so the work is that of the region's rows,
whatever the size of the rest of the country.

The parts that differ between PostgreSQL and SQLite (the tests' other database) are the
vendor's: date arithmetic, the local day of a timestamp, code-point order and a substring
test. Integers (ids, years, statuses' ranks) are written into the statement; dates and text
are parameters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Model
from django.utils import timezone

from ..models import Department, Disclosure, FiscalYear, Unit, Version
from .deadlines import LIMIT_DAYS

DEPARTMENT, UNIT = Disclosure.Kind.DEPARTMENT.value, Disclosure.Kind.UNIT.value
PUBLISHED = Version.Status.PUBLISHED.value
MAIN_SUFFIX = "（本级）"  # a unit that is the department itself (本级), as Unit.__str__ prints it

# The columns of a row, in the order the statement selects them (BoardRow's values, the default
# order's keys, then the status computed from the dates).
COLUMNS = (
    "department_name", "kind", "entity_name", "disclosure_id", "approval_date", "published", "score", "grade",
    "units_published", "units_total", "position_department", "position_group", "position_entity",
    "status_rank", "status_days",
)


def _table(connection, model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _expected(alias: str, year: int) -> str:
    """models.organisation.expected_in as SQL: from first_year (if set) to last_year (if set)."""
    return f"(({alias}.first_year IS NULL OR {alias}.first_year <= {year}) AND ({alias}.last_year IS NULL OR {alias}.last_year >= {year}))"


def _days_after_deadline(connection, day: str, approval: str) -> str:
    """How many days `day` is after the deadline (LIMIT_DAYS after 批复): PostgreSQL subtracts
    dates to an integer, SQLite subtracts their Julian day numbers."""
    if connection.vendor == "sqlite":
        return f"(CAST(julianday({day}) - julianday({approval}) AS INTEGER) - {LIMIT_DAYS})"
    return f"(({day} - {approval}) - {LIMIT_DAYS})"


def codepoint(connection, column: str) -> str:
    """A name sorted as Python sorts strings, by code point, whatever the database's collation:
    PostgreSQL's "C" collation (UTF-8 bytes), SQLite's default."""
    return column if connection.vendor == "sqlite" else f'{column} COLLATE "C"'


def contains(connection, column: str) -> str:
    """Whether `column` contains the parameter, as Python's `in`: case-sensitive, no wildcard."""
    return f"instr({column}, %s) > 0" if connection.vendor == "sqlite" else f"strpos({column}, %s) > 0"


def _lookup(connection, select: str, alias: str) -> str:
    """A LEFT JOIN of the row found by `select` (a correlated query of one row at most) as
    `alias`. On PostgreSQL a LATERAL join, so that each board row looks its row up by index:
    as a plain join the planner read the whole country's disclosures of the year into a hash
    (10 ms of a 20 ms statement at 100,000 disclosures, and growing with the country). SQLite
    joins by nested loops anyway, and has no LATERAL."""
    if connection.vendor == "sqlite":
        table, condition = select.removeprefix("SELECT * FROM ").split(" WHERE ", 1)
        return f"LEFT JOIN {table} ON {condition}"
    return f"LEFT JOIN LATERAL ({select} LIMIT 1) {alias} ON TRUE"  # LIMIT: not flattened into a plain join


def _rows(connection, *, region_id: int, year: int, year_id: int | None) -> tuple[str, list]:
    """Every row of the region's board for `year`: each department expected that year or with its
    部门决算 registered, with its coverage (of its units expected that year or with a 单位决算,
    those whose current version is published); each unit expected that year or with its 单位决算
    registered, of a department on the board. Each with its disclosure of the year, its first
    publication (the local day of its first_published_at) and its current version's score and
    grade. The year's id written in when known (the planner then picks the index of one
    department's disclosure per year), else looked up."""
    department, unit, disclosure, version = (_table(connection, m) for m in (Department, Unit, Disclosure, Version))
    year_id = str(int(year_id)) if year_id is not None else f"(SELECT id FROM {_table(connection, FiscalYear)} WHERE year = {int(year)})"
    region_id, year = int(region_id), int(year)
    published, params = connection.ops.datetime_cast_date_sql("d.first_published_at", (), timezone.get_current_timezone_name())
    score, grade = "d.listed_score", "d.listed_grade"
    disclosed = _lookup(connection, f"SELECT * FROM {disclosure} d WHERE d.{{key}} AND d.kind = '{{kind}}' AND d.year_id = {year_id}", "d")
    coverage = (  # per department of the region: its units published, of those expected or disclosed
        f"SELECT u.department_id, COUNT(uv.id) AS published,"
        f" COUNT(CASE WHEN {_expected('u', year)} OR ud.id IS NOT NULL THEN 1 END) AS total"
        f" FROM {unit} u JOIN {department} owner ON owner.id = u.department_id"
        f" LEFT JOIN {disclosure} ud ON ud.unit_id = u.id AND ud.kind = '{UNIT}' AND ud.year_id = {year_id}"
        f" LEFT JOIN {version} uv ON uv.id = ud.current_version_id AND uv.status = '{PUBLISHED}'"
        f" WHERE owner.region_id = {region_id} GROUP BY u.department_id"
    )
    departments = (
        f"SELECT dep.name AS department_name, '{DEPARTMENT}' AS kind, dep.name AS entity_name, d.id AS disclosure_id,"
        f" d.approval_date AS approval_date, {published} AS published, {score} AS score, {grade} AS grade,"
        f" COALESCE(coverage.published, 0) AS units_published, COALESCE(coverage.total, 0) AS units_total,"
        f" dep.name AS position_department, 0 AS position_group, '' AS position_entity"
        f" FROM {department} dep {disclosed.format(key='department_id = dep.id', kind=DEPARTMENT)}"
        f" LEFT JOIN ({coverage}) coverage ON coverage.department_id = dep.id"
        f" WHERE dep.region_id = {region_id} AND ({_expected('dep', year)} OR d.id IS NOT NULL)"
    )
    department_disclosure = f"SELECT 1 FROM {disclosure} dd WHERE dd.department_id = dep.id AND dd.kind = '{DEPARTMENT}' AND dd.year_id = {year_id}"
    units = (
        f"SELECT dep.name, '{UNIT}', u.name || CASE WHEN u.is_main THEN '{MAIN_SUFFIX}' ELSE '' END, d.id,"
        f" d.approval_date, {published}, {score}, {grade}, NULL, NULL,"
        f" dep.name, CASE WHEN u.is_main THEN 1 ELSE 2 END, u.name"  # 本级 first
        f" FROM {unit} u JOIN {department} dep ON dep.id = u.department_id"
        f" {disclosed.format(key='unit_id = u.id', kind=UNIT)}"
        f" WHERE dep.region_id = {region_id} AND ({_expected('dep', year)} OR EXISTS ({department_disclosure}))"
        f" AND ({_expected('u', year)} OR d.id IS NOT NULL)"
    )
    return f"{departments} UNION ALL {units}", [*params, *params]


@dataclass(frozen=True)
class Scope:
    """The rows asked for: the region's board for `year` as of `today`, shown when of `kind`
    (all when ""), of a status rank in `ranks` (all when empty) and with `q` in a name (all
    when ""); `rank` and `days` are SQL templates of a row's status (services.board RANK_SQL,
    DAYS_SQL) over {published}, {approval}, {late} and {overdue}, the days past the deadline
    on publication and today."""

    region_id: int
    year: int
    today: date
    rank: str
    days: str
    kind: str = ""
    ranks: tuple[int, ...] = ()
    q: str = ""
    year_id: int | None = None  # FiscalYear's, when known


def _select(connection, scope: Scope) -> tuple[str, list]:
    """The rows (COLUMNS) with their status, to select from as `b`."""
    rows, params = _rows(connection, region_id=scope.region_id, year=scope.year, year_id=scope.year_id)
    parts = {
        "published": "r.published", "approval": "r.approval_date",
        "late": _days_after_deadline(connection, "r.published", "r.approval_date"),
        "overdue": _days_after_deadline(connection, "%s", "r.approval_date"),  # today, a parameter
    }
    rank, days = (template.format(**parts) for template in (scope.rank, scope.days))
    today = [connection.ops.adapt_datefield_value(scope.today)] * (scope.rank.count("{overdue}") + scope.days.count("{overdue}"))
    return f"SELECT r.*, {rank} AS status_rank, {days} AS status_days FROM ({rows}) r", [*today, *params]


def _shown(connection, scope: Scope) -> tuple[str, list]:
    """The filters as a condition on the rows."""
    conditions, params = ["1 = 1"], []
    if scope.kind:
        conditions.append("kind = %s")
        params.append(scope.kind)
    if scope.ranks:
        conditions.append(f"status_rank IN ({', '.join(str(int(rank)) for rank in scope.ranks)})")
    if scope.q:
        conditions.append(f"({contains(connection, 'department_name')} OR {contains(connection, 'entity_name')})")
        params += [scope.q, scope.q]
    return " AND ".join(conditions), params


def sort_keys(connection) -> dict[str, tuple[str, ...]]:
    """The keys the rows can be sorted by (rendering.board's columns name them), each as SQL
    over COLUMNS: dates and scores missing sort after every value, as "9999" did."""
    return {
        "department_name": (codepoint(connection, "department_name"),),
        "entity_name": (codepoint(connection, "entity_name"),),
        "kind": ("kind",),
        "approval_rank": ("approval_date IS NULL", "approval_date"),
        "published_rank": ("published IS NULL", "published"),
        "status_rank": ("status_rank",),
        "status_days": ("status_days",),
        "coverage_rank": ("CASE WHEN units_total > 0 THEN units_published * 1.0 / units_total ELSE -1 END",),
        "score_rank": ("COALESCE(score, -1)",),
        **{key: (key,) for key in ("position_department", "position_group", "position_entity")},
    }


def _order_by(connection, order: tuple[str, ...]) -> str:
    keys = sort_keys(connection)
    by = ", ".join(f"{sql} DESC" if key.startswith("-") else sql for key in order for sql in keys[key.lstrip("-")])
    return by or "position_department"


def _page(connection, scope: Scope, *, order: tuple[str, ...], limit: int | None, offset: int, source: str) -> tuple[str, list]:
    """The rows shown of `source`, in `order` (keys of sort_keys, "-" for descending), sliced."""
    shown, params = _shown(connection, scope)
    sql = f"SELECT {', '.join(COLUMNS)} FROM {source} WHERE {shown} ORDER BY {_order_by(connection, order)}"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return sql, params


def page_statement(connection, scope: Scope, *, order: tuple[str, ...], limit: int | None = None, offset: int = 0) -> tuple[str, list]:
    """The rows shown (COLUMNS), sorted and sliced: all of them when `limit` is None."""
    rows, params = _select(connection, scope)
    page, page_params = _page(connection, scope, order=order, limit=limit, offset=offset, source=f"({rows}) b")
    return page, [*params, *page_params]


def summary_statement(
    connection, scope: Scope, *, counted: dict[str, str], order: tuple[str, ...] = (), limit: int | None = None, offset: int = 0,
) -> tuple[str, list]:
    """How many of all the rows meet each of `counted`'s conditions (SQL over COLUMNS; "shown":
    the filters), then how many have a score and their sum: one row; with a `limit`, the same
    sums on each row of that page of rows shown (COLUMNS first), computed from the rows at
    once (a CTE read twice is computed once), or one row of NULLs then the sums when the page
    is empty."""
    rows, params = _select(connection, scope)
    shown, shown_params = _shown(connection, scope)
    conditions = {name: shown if name == "shown" else condition for name, condition in counted.items()}
    sums = ", ".join(f"COUNT(CASE WHEN {condition} THEN 1 END) AS sum_{name}" for name, condition in conditions.items())
    summary = f"SELECT {sums}, COUNT(score) AS sum_scored, SUM(score) AS sum_total FROM b"
    summary_params = shown_params if "shown" in counted else []
    if limit is None:
        return f"WITH b AS ({rows}) {summary}", [*params, *summary_params]
    page, page_params = _page(connection, scope, order=order, limit=limit, offset=offset, source="b")
    sql = (
        f"WITH b AS ({rows}) SELECT p.*, s.* FROM ({summary}) s LEFT JOIN ({page}) p ON 1 = 1"
        f" ORDER BY {_order_by(connection, order)}"  # the page's order again: a join keeps none
    )
    return sql, [*params, *summary_params, *page_params]
