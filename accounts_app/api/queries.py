"""Reads of the public API: published versions only, scoped by `access.versions` like
every page, each in a fixed number of queries whatever the size of the data."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from .. import access
from ..models import Figure, Line, Version, VersionTable

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
    """The published version each disclosure shows now (its `current_version`)."""
    return published(user).filter(disclosure__current_version=F("pk"))


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


_VERSION = "line__table__version__"
FIGURE_FIELDS = {
    "disclosure_id": F(f"{_VERSION}disclosure_id"),
    "version_id": F("line__table__version_id"),
    "year": F(f"{_VERSION}disclosure__year__year"),
    "region": F(f"{_VERSION}disclosure__department__region__code"),
    "region_name": F(f"{_VERSION}disclosure__department__region__name"),
    "department_id": F(f"{_VERSION}disclosure__department_id"),
    "department": F(f"{_VERSION}disclosure__department__name"),
    "unit": F(f"{_VERSION}disclosure__unit__name"),
    "kind": F(f"{_VERSION}disclosure__kind"),
    "table": F("line__table__table"),
    "row": F("line__key"),
    "label": F("line__label"),
}


def figure_rows(
    versions: QuerySet[Version],
    *,
    table: str | None = None,
    code: str | None = None,
    code_prefix: bool = False,
    column: str | None = None,
) -> QuerySet:
    """The figures of `versions` as flat dicts (FIGURE_FIELDS, column, amount), in list
    order then as stored: one query, however many there are."""
    figures = Figure.objects.filter(line__table__version__in=versions.values("pk"))
    if table:
        figures = figures.filter(line__table__table=table)
    if code:
        figures = figures.filter(line__key__startswith=code) if code_prefix else figures.filter(line__key=code)
    if column:
        figures = figures.filter(column=column)
    order = [field.replace("disclosure", f"{_VERSION}disclosure", 1) for field in _ORDER]
    return figures.order_by(*order, "line__table__position", "line__position", "pk").values(
        "column", "amount", **FIGURE_FIELDS
    )
