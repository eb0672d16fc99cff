"""Reads of the public API: published versions only, scoped by `access.versions` like
every page, each in a fixed number of queries whatever the size of the data."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from .. import access
from ..models import Disclosure, Line, Version, VersionTable

Status = Version.Status

# Disclosure order of every list: newest year first, then region, department, unit.
_ORDER = (
    "-disclosure__year__year",
    "disclosure__department__region__code",
    "disclosure__department__name",
    "disclosure__kind",
    "disclosure__unit__name",
    "disclosure_id",
)


def published(user) -> QuerySet[Version]:
    """Published versions the user may read: the public's share of `access.versions`."""
    return access.versions(user).filter(status=Status.PUBLISHED)


def current(user) -> QuerySet[Version]:
    """The published version each disclosure shows now (its `current_version`). Written as
    `pk IN (current versions)`: PostgreSQL's estimate of `disclosure.current_version_id =
    version.id` on top of the join was 1 row for 10,000, and its plan took 75 ms, not 20."""
    return published(user).filter(pk__in=Disclosure.objects.filter(current_version__isnull=False).values("current_version"))


def versions_within(
    versions: QuerySet[Version],
    *,
    year: int | None = None,
    region: str | None = None,
    department: int | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> QuerySet[Version]:
    """Versions of the disclosures matching the filters, in list order."""
    if year is not None:
        versions = versions.filter(disclosure__year__year=year)
    if region:
        versions = versions.filter(disclosure__department__region__code=region)
    if department is not None:
        versions = versions.filter(disclosure__department_id=department)
    if kind:
        versions = versions.filter(disclosure__kind=kind)
    if q and q.strip():
        q = q.strip()
        names = Q(disclosure__department__name__icontains=q) | Q(disclosure__unit__name__icontains=q)
        versions = versions.filter(names)
    return versions.order_by(*_ORDER)


def version_history(user, disclosure_id: int) -> list[Version]:
    """Every published version of a disclosure, newest first (one query)."""
    return list(published(user).filter(disclosure_id=disclosure_id).order_by("-number"))


def version_tables(version: Version) -> QuerySet[VersionTable]:
    return version.tables.annotate(row_count=Count("lines")).order_by("position")


def table_cells(table: VersionTable) -> list[tuple[str, str, str | None, object]]:
    """(row key, label, column, amount) in stored order, one query; a row without any
    figure comes once with column None."""
    return list(
        Line.objects.filter(table=table)
        .order_by("position", "figures__id")
        .values_list("key", "label", "figures__column", "figures__amount")
    )


_LINE = "tables__lines__"
# Read from the version outwards (version → tables → lines → figures), so that the filters
# on the versions stand in the same query as the joins and the planner starts from them
# (a `figure IN (versions …)` subquery made it read every table of the kind first).
FIGURE_FIELDS = {
    "version_id": F("pk"),
    "year": F("disclosure__year__year"),
    "region": F("disclosure__department__region__code"),
    "region_name": F("disclosure__department__region__name"),
    "department_id": F("disclosure__department_id"),
    "department": F("disclosure__department__name"),
    "unit": F("disclosure__unit__name"),
    "kind": F("disclosure__kind"),
    "table": F("tables__table"),
    "row": F(f"{_LINE}key"),
    "label": F(f"{_LINE}label"),
    "column": F(f"{_LINE}figures__column"),
    "amount": F(f"{_LINE}figures__amount"),
}


def figure_rows(
    versions: QuerySet[Version],
    *,
    table: str | None = None,
    code: str | None = None,
    code_prefix: bool = False,
    column: str | None = None,
) -> QuerySet:
    """The figures of `versions` as flat dicts (disclosure_id and FIGURE_FIELDS), in list
    order then as stored: one query, however many there are."""
    conditions = {f"{_LINE}figures__isnull": False}  # one filter() call: one chain of joins
    if table:
        conditions["tables__table"] = table
    if code:
        conditions[f"{_LINE}key__startswith" if code_prefix else f"{_LINE}key"] = code
    if column:
        conditions[f"{_LINE}figures__column"] = column
    return (
        versions.filter(**conditions)
        .order_by(*_ORDER, "tables__position", f"{_LINE}position", f"{_LINE}figures__pk")
        .values("disclosure_id", **FIGURE_FIELDS)
    )
