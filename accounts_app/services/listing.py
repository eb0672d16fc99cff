"""What the public lists read instead of the whole data: the listing columns of each
disclosure (year, region, names, publication time, figure count and 公开质量 of its current
version, its first publication, copied from the rows they come from); per year, region and
kind the exact counts and the sums of the key figures (`ListingCount`: the lists' totals, the
comparison's 合计) and the figures per cell of the tables (`ListingCell`). Recomputed here, by
`listing_refresh`, from the rows themselves, so a refresh is always right whatever was stale
before: publication calls it for the disclosure whose current version changed or was first
published (services.publication `disclosure_current_refresh`), services.quality refreshes the
score's copy (`listing_quality_refresh`); whoever writes disclosures or renames organisations
in bulk (synthetic data, a migration, an admin rename) calls it for those, or for all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Count, DecimalField, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Round

from ..models import Department, Disclosure, FiscalYear, ListingCell, ListingCount, Region, Unit, Version, VersionTable
from ..models.disclosure import LISTED
from ..selectors import key_total_aggregates, key_totals_of

Key = tuple[int, str, str]  # (year, region code, kind)
Cell = tuple[int, str, str, str, str, str]  # (year, region code, kind, table, row key, column)
SCORE = DecimalField(max_digits=6, decimal_places=2)
CELLS_REFUSED = "所给数据计数的年度、地区和类型不在刷新范围内：{keys}"


def _copied() -> dict:
    """The listing columns as subqueries on the disclosure's own foreign keys (one UPDATE)."""

    def of(model, field, pk):
        return Subquery(model.objects.filter(pk=OuterRef(pk)).order_by().values(field)[:1])  # no ordering join

    return {
        "listed_year": of(FiscalYear, "year", "year_id"),
        "listed_region": of(Department, "region__code", "department_id"),
        "listed_region_name": of(Department, "region__name", "department_id"),
        "listed_department": of(Department, "name", "department_id"),
        # '' for a 部门决算: sorts before every unit, as the department's own disclosure should.
        "listed_unit": Coalesce(of(Unit, "name", "unit_id"), Value("")),
        "listed_at": of(Version, "published_at", "current_version_id"),
        "listed_figures": Coalesce(of(Version, "figure_count", "current_version_id"), Value(0)),
        **_quality_copied(),
        "first_published_at": Subquery(
            Version.objects.published().filter(disclosure=OuterRef("pk"))
            .order_by()
            .values("disclosure")
            .annotate(first=Min("published_at"))
            .values("first")
        ),
    }


def _quality_copied() -> dict:
    """The current version's 公开质量 (total, to the cent, and grade) as subqueries."""
    current = Version.objects.filter(pk=OuterRef("current_version_id")).order_by()
    total = Round(Cast(KeyTextTransform("total", "quality"), SCORE), 2, output_field=SCORE)
    return {
        "listed_score": Subquery(current.annotate(score=total).values("score")[:1], output_field=SCORE),
        "listed_grade": Coalesce(Subquery(current.annotate(grade=KeyTextTransform("grade", "quality")).values("grade")[:1]), Value("")),
    }


def listing_quality_refresh(*, version: Version) -> int:
    """After a version's 公开质量 is scored again: its disclosure's copy, if it is the current
    version (services.quality)."""
    return Disclosure.objects.filter(current_version=version).update(**_quality_copied())


def listing_refresh_organisation(*, organisation: Region | Department | Unit) -> int:
    """After a region, department or unit is saved (a rename, a move to another region): its
    disclosures' copies of the names and codes (connected in apps.py, so every way of saving
    one — the admin, the CSV import, a shell — keeps the lists right)."""
    field = {Region: "department__region", Department: "department", Unit: "unit"}[type(organisation)]
    return listing_refresh(disclosures=Disclosure.objects.filter(**{field: organisation}))


def _keys(disclosures: QuerySet[Disclosure]) -> set[Key]:
    return set(disclosures.filter(listed_year__isnull=False).values_list("listed_year", "listed_region", "kind").distinct())


def listing_refresh(*, disclosures: QuerySet[Disclosure] | None = None, cells: Mapping[Cell, int] | None = None) -> int:
    """Copy the listing columns of `disclosures` (every disclosure when None) and recompute the
    counts of every year, region and kind they were or are now under; returns how many
    disclosures were refreshed. In one transaction, so a list never reads half of it.

    `cells`, from a caller that wrote the rows and so knows them (services.synthetic): the
    ListingCell counts of those keys, written as given instead of counted from the figures
    (that count joins every figure with its line and table: minutes for millions of fresh
    figures). The caller vouches that they are exactly what the count would find for the
    current versions under those keys (tests/operations/test_synthetic.py compares them with
    a recount); a cell outside the refreshed keys is refused."""
    with transaction.atomic():
        chosen = Disclosure.objects.all() if disclosures is None else Disclosure.objects.filter(pk__in=disclosures.values("pk"))
        before = _keys(chosen) if disclosures is not None else None
        refreshed = chosen.update(**_copied())
        if disclosures is None:
            ListingCount.objects.all().delete()
            keys = None
        else:
            keys = before | _keys(chosen)
        _count(keys)
        if cells is None:
            _count_cells(keys)
        else:
            _write_cells(keys, cells)
    return refreshed


def _of(keys: set[Key] | None, *, year="listed_year", region="listed_region") -> Q:
    """The rows under `keys` (every row when None)."""
    if keys is None:
        return Q()
    return reduce(or_, (Q(**{year: y, region: r, "kind": k}) for y, r, k in keys))


def _count(keys: set[Key] | None) -> None:
    """ListingCount of `keys` (all when None) from the listed disclosures, each read once."""
    if keys is not None and not keys:
        return
    listed = Disclosure.objects.filter(LISTED).filter(_of(keys))
    found: dict[Key, dict] = {key: {"disclosures": 0, "figures": 0, "table_figures": {}} for key in keys or ()}
    grouped = (
        listed.order_by()
        .values("listed_year", "listed_region", "kind")
        .annotate(n=Count("pk"), f=Sum("listed_figures"), **key_total_aggregates())
    )
    for row in grouped:
        found[(row["listed_year"], row["listed_region"], row["kind"])] = {
            "disclosures": row["n"], "figures": row["f"] or 0, "table_figures": {}, "key_totals": key_totals_of(row),
        }
    tables: dict[Key, dict] = defaultdict(dict)
    per_table = (
        VersionTable.objects.filter(version__in=listed.values("current_version"))
        .order_by()
        .values_list("version__disclosure__listed_year", "version__disclosure__listed_region", "version__disclosure__kind", "table")
        .annotate(f=Sum("figure_count"))
    )
    for year, region, kind, table, figures in per_table:
        tables[(year, region, kind)][table] = figures or 0
    for key, table_figures in tables.items():
        found[key]["table_figures"] = table_figures
    if keys is not None:
        ListingCount.objects.filter(_of(keys, year="year", region="region")).delete()
    ListingCount.objects.bulk_create(
        ListingCount(year=y, region=r, kind=k, **counts) for (y, r, k), counts in found.items() if counts["disclosures"]
    )


_CELL = "current_version__tables__"


def _count_cells(keys: set[Key] | None) -> None:
    """ListingCell of `keys` (all when None): the figures of the listed disclosures' current
    versions grouped by year, region, kind and cell, written by the database itself (INSERT …
    SELECT … GROUP BY: the cells of 100,000 disclosures never pass through Python). The cost
    is that of the figures under `keys`: a publication recounts its region's year."""
    if keys is not None and not keys:
        return
    ListingCell.objects.filter(_of(keys, year="year", region="region")).delete()
    cells = (
        Disclosure.objects.filter(LISTED)
        .filter(_of(keys), **{f"{_CELL}lines__figures__year": F("listed_year")})  # the figure's partition
        .order_by()
        .values_list("listed_year", "listed_region", "kind", f"{_CELL}table", f"{_CELL}lines__key", f"{_CELL}lines__figures__column")
        .annotate(figures=Count("pk"))
    )
    select, params = cells.query.sql_with_params()
    fields = ("year", "region", "kind", "table", "key", "column", "figures")
    columns = ", ".join(connection.ops.quote_name(ListingCell._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(ListingCell._meta.db_table)} ({columns}) {select}", params)


def _write_cells(keys: set[Key] | None, cells: Mapping[Cell, int]) -> None:
    """ListingCell of `keys` (all when None) as given by the caller (listing_refresh `cells`)."""
    outside = {cell[:3] for cell in cells} - keys if keys is not None else set()
    if outside:
        raise ValueError(CELLS_REFUSED.format(keys=sorted(outside)))
    if keys is not None and not keys:
        return
    ListingCell.objects.filter(_of(keys, year="year", region="region")).delete()
    ListingCell.objects.bulk_create(
        (
            ListingCell(year=year, region=region, kind=kind, table=table, key=key, column=column, figures=figures)
            for (year, region, kind, table, key, column), figures in cells.items()
            if figures
        ),
        batch_size=5000,
    )
