"""Reads of the public API: published versions only, within what the user's scope reads
(`Version.objects.visible_to`) like every page, each in a fixed number of queries whatever
the size of the data."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import NullIf

from .. import access
from ..models import Disclosure, Line, ListingCell, ListingCount, Version, VersionTable
from ..models.disclosure import LISTED
from ..selectors import Counted, bounded_count

# Disclosure order of the lists: newest year first, then region, department, unit (none, for
# a 部门决算, first): the listing columns in the order of their index (models.disclosure).
LIST_ORDER = ("-listed_year", "listed_region", "listed_department", "listed_unit", "id")


def published(user) -> QuerySet[Version]:
    """The published versions the user may read: the public's share of what they read."""
    return Version.objects.visible_to(access.scope_of(user)).published()


def version_history(user, disclosure_id: int) -> list[Version]:
    """Every published version of a disclosure, newest first (one query)."""
    return list(published(user).filter(disclosure_id=disclosure_id).order_by("-number"))


def version_tables(version: Version) -> QuerySet[VersionTable]:
    return version.tables.annotate(row_count=Count("lines")).order_by("order", "position")


def table_cells(table: VersionTable) -> list[tuple[str, str, str | None, object]]:
    """(row key, label, column, amount) in stored order, one query; a row without any
    figure comes once with column None."""
    return list(
        Line.objects.filter(table=table)
        .order_by("position", "figures__id")
        .values_list("key", "label", "figures__column", "figures__amount")
    )


# /api/figures reads from the listed disclosures outwards (disclosure → current version →
# tables → lines → figures): the scope is the disclosures' listing columns (models.disclosure)
# and the names are theirs, not the year, department, region and unit rows; the versions are
# walked in id order from `Disclosure.current_version`'s index and the walk stops with the
# page. From the versions' side the planner took `version.disclosure_id = disclosure.id AND
# disclosure.current_version_id = version.id` for a handful of rows and joined and sorted all
# 1.7 million figures (13 s).
_T = "current_version__tables__"
_L = f"{_T}lines__"
_F = f"{_L}figures__"
PAGE_ORDER = ("current_version_id", f"{_T}position", f"{_L}position", f"{_F}pk")
PAGE_FIELDS = {
    "disclosure_id": F("pk"),
    "version_id": F("current_version_id"),
    "year": F("listed_year"),
    "region": F("listed_region"),
    "region_name": F("listed_region_name"),
    "department_id": F("department_id"),
    "department": F("listed_department"),
    "unit": NullIf(F("listed_unit"), Value("")),
    "kind": F("kind"),
    "table": F(f"{_T}table"),
    "row": F(f"{_L}key"),
    "label": F(f"{_L}label"),
    "column": F(f"{_F}column"),
    "amount": F(f"{_F}amount"),
}
_KEYSET = ("at_table", "at_line", "at_figure")  # read with each row: the cursor of the page's last


def figure_offset_max() -> int:
    """The deepest `offset` /api/figures reads (figures skipped one by one, or versions summed up
    to it); past it the `next` cursor continues. A setting so that tests can lower it."""
    return getattr(settings, "API_FIGURE_OFFSET_MAX", 10_000)


@dataclass(frozen=True)
class FigureCursor:
    """Where a page of figures continues: after this figure (version, table position, line
    position, figure id: the keyset of PAGE_ORDER, total since a figure's id is unique).
    Written "v.t.l.f", opaque to clients; any four numbers are a place in the order, so there
    is nothing to sign, and a version corrected meanwhile only drops out of what follows."""

    version: int
    table: int
    line: int
    figure: int

    def __str__(self) -> str:
        return f"{self.version}.{self.table}.{self.line}.{self.figure}"

    @classmethod
    def parse(cls, text: str) -> FigureCursor:
        """Raises ValueError for anything but four numbers (schemas.CURSOR)."""
        parts = text.split(".")
        if len(parts) != 4 or not all(part.isascii() and part.isdigit() for part in parts):
            raise ValueError(text)
        return cls(*(int(part) for part in parts))

    def after(self) -> Q:
        """The rows after this one in PAGE_ORDER, with `version >= ` on its own, on the
        disclosures and on their tables, so that both indexes are read from here on (PostgreSQL
        carries equalities across a join, not inequalities: without the tables' own bound a
        merge join read every table before the cursor)."""
        v, t, line, f = PAGE_ORDER
        later = (
            Q(**{f"{v}__gt": self.version})
            | Q(**{v: self.version, f"{t}__gt": self.table})
            | Q(**{v: self.version, t: self.table, f"{line}__gt": self.line})
            | Q(**{v: self.version, t: self.table, line: self.line, f"{f}__gt": self.figure})
        )
        return Q(**{f"{v}__gte": self.version, f"{_T}version__gte": self.version}) & later


def figure_scope(
    *, year: int | None = None, region: str | None = None, department: int | None = None, kind: str | None = None
) -> QuerySet[Disclosure]:
    """The listed disclosures matching the filters. Their current versions are published
    (services.publication), whoever asks, so the user's scope adds nothing here."""
    found = Disclosure.objects.filter(LISTED)
    for field, value in (("listed_year", year), ("listed_region", region), ("department_id", department), ("kind", kind)):
        if value not in (None, ""):
            found = found.filter(**{field: value})
    return found


def _matching(
    disclosures: QuerySet[Disclosure], *, year=None, table=None, code=None, code_prefix=False, column=None, after=None
) -> QuerySet[Disclosure]:
    """The figures of `disclosures`' current versions that match, one row each (one filter()
    call: one chain of joins). The figure's partition is its disclosure's year: the `year`
    of the scope when there is one, a constant, so that PostgreSQL reads that partition only
    (`= listed_year`, a join condition, probes every year's partition for each line)."""
    conditions = {f"{_F}isnull": False, f"{_F}year": F("listed_year") if year is None else year}
    if table:
        conditions[f"{_T}table"] = table
    if code:
        conditions[f"{_L}key__startswith" if code_prefix else f"{_L}key"] = code
    if column:
        conditions[f"{_F}column"] = column
    return disclosures.filter(after.after() if after else Q(), **conditions)


def figure_rows(*, year: int) -> QuerySet[Disclosure]:
    """Every figure of the year's current versions as tuples of PAGE_FIELDS (in that order),
    in PAGE_ORDER: one query, read through a cursor (the bulk CSV), the year's partition only."""
    return _matching(figure_scope(year=year), year=year).order_by(*PAGE_ORDER).values_list(*PAGE_FIELDS.values())


def figure_filters_bounded(
    *, code: str | None, column: str | None, department: int | None, region: str | None, year: int | None
) -> bool:
    """Whether the figures a query must match one by one are bounded: with a code or column
    filter, the figures in scope are matched, so the scope must be one department, or one
    region in one year, not all of them. Without those filters nothing is read but the page."""
    return not (code or column) or department is not None or bool(region and year is not None)


@dataclass(frozen=True)
class FigurePage:
    count: Counted
    rows: list[dict]
    next: FigureCursor | None  # None: the last page


def figure_page(
    *,
    scope: dict,
    limit: int,
    offset: int = 0,
    cursor: FigureCursor | None = None,
    table: str | None = None,
    code: str | None = None,
    code_prefix: bool = False,
    column: str | None = None,
) -> FigurePage:
    """One page of the figures of the current versions of `figure_scope(**scope)`, after
    `cursor` or from `offset` (at most figure_offset_max(), which the caller checks), in three
    queries (a code or column filter's page with its SET LOCAL, an offset's running sum one
    more per OFFSET_CHUNK versions it passes), none reading more than the page, the offset or
    the count's cap:

    - the count: kept at publication (ListingCount, per year, region and kind, and per table;
      ListingCell per cell, for a code or column filter); a department's from its disclosures'
      figure counts, or with a code or column filter its matches counted up to count_cap()
      (then "at least");
    - with an offset and no code or column filter, where it falls: a running sum of the
      versions' figure counts in version order, stopped at the first one past it (_offset_start);
    - the page and one row more (is there a next page?), in PAGE_ORDER: the versions in order
      from the index, each one's figures sorted on their own (an incremental sort).

    Counting and sorting every figure instead took 0.3–13 s with 1.7 million of them."""
    disclosures = figure_scope(**scope)
    matched = {"year": scope.get("year") or None, "table": table, "code": code, "code_prefix": code_prefix, "column": column}
    count = _figure_count(disclosures, scope, **matched)
    if cursor is None and offset and not (code or column):
        start = _offset_start(disclosures, offset, table)
        if start is None:
            return FigurePage(count, [], None)
        # Before the first figure of that version (positions and ids are never negative): the
        # same plan as a cursor's, then the figures of the version before the page skipped.
        cursor, offset = FigureCursor(start[0], 0, 0, 0), start[1]
    found = _page_rows(_matching(disclosures, **matched, after=cursor), offset, limit, walk=bool(code or column))
    page = found[:limit]
    following = None
    if len(found) > limit:
        last = page[-1]
        following = FigureCursor(last["version_id"], last["at_table"], last["at_line"], last["at_figure"])
    for row in page:
        for key in _KEYSET:
            del row[key]
    return FigurePage(count, page, following)


def _page_rows(matching: QuerySet[Disclosure], skip: int, limit: int, *, walk: bool = False) -> list[dict]:
    """Rows `skip` to `skip + limit` (one more than the page) as dicts of PAGE_FIELDS and the
    keyset (values_list: PAGE_FIELDS' names are those of Disclosure's own fields).

    `walk` (a code or column filter): on PostgreSQL, read in the index's order without a sort
    of everything matched (`SET LOCAL enable_sort = off`, for this query's transaction only).
    The planner sets the lines of every year against one year's figures and foresees a few
    rows where there are thousands (40 for 2,400 in a region's year), so it sorted the whole
    region's year for a page; the walk stops with the page, and reads the region's year at
    most (a code nobody uses), which the sort always did."""
    names = (*PAGE_FIELDS, *_KEYSET)
    read = matching.order_by(*PAGE_ORDER).values_list(*PAGE_FIELDS.values(), *PAGE_ORDER[1:])[skip : skip + limit + 1]
    if not walk or connections[read.db].vendor != "postgresql":
        return [dict(zip(names, row)) for row in read]
    with transaction.atomic(using=read.db, savepoint=False), connections[read.db].cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        return [dict(zip(names, row)) for row in read]


def _figure_count(disclosures: QuerySet[Disclosure], scope: dict, *, year, table, code, code_prefix, column) -> Counted:
    if scope.get("department") is not None:  # a department's few disclosures
        if code or column:  # counted up to the cap (selectors.bounded_count)
            return bounded_count(_matching(disclosures, year=year, table=table, code=code, code_prefix=code_prefix, column=column))
        if table:
            total = disclosures.filter(**{f"{_T}table": table}).aggregate(n=Sum(f"{_T}figure_count"))["n"]
        else:
            total = disclosures.aggregate(n=Sum("listed_figures"))["n"]
        return Counted(total or 0)
    if code or column:  # the kept counts of the cells: as many rows as the catalogue has cells
        cells = _kept(ListingCell.objects.all(), scope)
        conditions = {"table": table, "column": column, ("key__startswith" if code_prefix else "key"): code}
        cells = cells.filter(**{field: value for field, value in conditions.items() if value})
        return Counted(cells.aggregate(n=Sum("figures"))["n"] or 0)
    kept = _kept(ListingCount.objects.all(), scope)
    if not table:
        return Counted(kept.aggregate(n=Sum("figures"))["n"] or 0)
    # years × regions × kinds rows, whatever the number of disclosures
    return Counted(sum(counts.get(table, 0) for counts in kept.values_list("table_figures", flat=True)))


def _kept(counts: QuerySet, scope: dict) -> QuerySet:
    """The kept counts (ListingCount, ListingCell) of the scope's year, region and kind."""
    for field in ("year", "region", "kind"):
        if scope.get(field) not in (None, ""):
            counts = counts.filter(**{field: scope[field]})
    return counts


OFFSET_CHUNK = 200  # versions read at a time by _offset_start


def _offset_start(disclosures: QuerySet[Disclosure], offset: int, table: str | None) -> tuple[int, int] | None:
    """(version, its figures to skip) where figure number `offset` stands, None past the end:
    the current versions' (or their `table`'s) figure counts summed in version order, read
    from the index OFFSET_CHUNK versions at a time (after the last one read) until the sum
    passes `offset`: the versions read are those before the offset, not `offset` + 1 of
    them. (A running sum in SQL, Window over the disclosures, was planned as a sort of all
    of them.)"""
    counted = f"{_T}figure_count" if table else "listed_figures"
    conditions = {f"{counted}__gt": 0, **({f"{_T}table": table} if table else {})}  # one filter(): one join
    found = disclosures.filter(**conditions).order_by("current_version_id").values_list("current_version_id", counted)
    end, last = 0, None
    while True:
        chunk = list((found if last is None else found.filter(current_version_id__gt=last))[:OFFSET_CHUNK])
        for version, figures in chunk:
            end += figures
            if end > offset:
                return version, offset - (end - figures)
        if len(chunk) < OFFSET_CHUNK:
            return None
        last = chunk[-1][0]
