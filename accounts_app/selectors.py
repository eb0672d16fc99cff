"""Reads for pages, exports and re-checks: a stored version back into a Dataset, and into
the `Snapshot` every derived computation (checks, drafting, consistency, rendering) reads."""

from __future__ import annotations

from collections import Counter
from functools import reduce
from operator import add
from dataclasses import dataclass
from dataclasses import fields as fields_of
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, NullIf

from .dataset import Dataset, LineData, TableData
from .models.disclosure import LISTED
from .models import Disclosure, Figure, Line, ListingCount, Profile, Region, TableLayoutEntry, Version
from .snapshot import PROFILE_FIELDS, Evaluation, Fund, Indicator, Snapshot
from .snapshot import Profile as ProfileData
from . import caching
from .specs import TableSet, get_table_set, specs_for_year
from .numbers import share
from .specs.key_figures import COMPARED, EXPENSE_PARTS, KEY_LABELS
from .specs.reasons import threshold_for


def table_set(key: str) -> TableSet:
    """A region's table set as its administrators keep it (TableLayout), else the portal's
    default of that key. Cached until a layout is saved (caching.forget_all_pages)."""
    cache_key = f"table-set:{caching.generation()}:{key}"
    found = caching.cache.get(cache_key)
    if found is None:
        found = _table_set_from_layout(key) or get_table_set(key)
        caching.cache.set(cache_key, found, 3600)
    return found


def _table_set_from_layout(key: str) -> TableSet | None:
    """The layout with its entries, in one query; None when there is none, or it lists no table."""
    entries = list(TableLayoutEntry.objects.filter(layout__key=key).select_related("layout").order_by("position"))
    if not entries:
        return None
    layout = entries[0].layout
    return TableSet(
        key=layout.key,
        name=layout.name,
        families=tuple(entry.family for entry in entries),
        preferred={entry.family: entry.form for entry in entries if entry.form},
        label_format=layout.label_format,
        labels={entry.family: entry.label for entry in entries if entry.label},
        titles={entry.family: entry.title for entry in entries if entry.title},
        line_numbers=layout.line_numbers,
        outline=layout.outline,
    )


def version_dataset(version: Version) -> Dataset:
    """The figures of a version in three queries, whatever the size of its tables; the tables in
    the order and under the numbers fixed at import (the region's, or as the workbook printed)."""
    year = version.disclosure.year.year
    specs = specs_for_year(year)
    dataset = Dataset(year=year)
    tables = {}
    for table in version.tables.all():
        spec = specs[table.table]
        dataset.labels[spec.family] = table.label or table.printed_label
        tables[table.pk] = dataset.tables[table.table] = TableData(
            spec=spec,
            sheet=table.sheet_name,
            position=table.position,
            printed_title=table.printed_title,
            printed_label=table.printed_label,
            numbered=table.numbered,
            form=specs[table.form] if table.form else None,
            printed_entity=table.printed_entity,
            printed_unit=table.printed_unit,
            note=table.note,
        )
    lines = {}
    for line in Line.objects.filter(table__version=version).order_by("table_id", "position"):
        lines[line.pk] = tables[line.table_id].lines[line.key] = LineData(
            key=line.key, label=line.label, sheet_row=line.sheet_row
        )
    for line_id, column, amount, cell in Figure.objects.filter(line__table__version=version).values_list(
        "line_id", "column", "amount", "cell"
    ):
        lines[line_id].values[column] = amount
        lines[line_id].cells[column] = cell
    return dataset


def previous_version(version: Version) -> Version | None:
    return version.disclosure.versions.filter(number__lt=version.number).order_by("-number").first()


def last_year_published(disclosure: Disclosure) -> Version | None:
    """The version on the public site for the same entity and kind one year earlier."""
    return (
        Version.objects.filter(
            disclosure__department=disclosure.department,
            disclosure__unit=disclosure.unit,
            disclosure__kind=disclosure.kind,
            disclosure__year__year=disclosure.year.year - 1,
            status=Version.Status.PUBLISHED,
        )
        .order_by("-number")
        .first()
    )


_LOOK_UP = object()


def last_year_snapshot(disclosure: Disclosure, last=_LOOK_UP) -> Snapshot | None:
    """Last year's published version of the same department or unit, as a snapshot of its
    figures (`last`: that version, or None, when the caller has already looked it up)."""
    last = last_year_published(disclosure) if last is _LOOK_UP else last
    return Snapshot(dataset=version_dataset(last), kind=disclosure.kind, summary=last.summary) if last else None


def version_snapshot(version: Version, *, last_year: bool = True, texts: bool = True) -> Snapshot:
    """Everything derived work needs about a version, in a fixed number of queries: its figures,
    last year's published key figures, and (`last_year`) its figures; with `texts`, the facts,
    written parts, 概况 and 绩效自评表 (a published page, whose 情况说明 is frozen, does without)."""
    disclosure = version.disclosure
    last = last_year_published(disclosure)
    snapshot = Snapshot(
        dataset=version_dataset(version),
        kind=disclosure.kind,
        summary=version.summary,
        narrative_sections=version.narrative_sections,
        last=last_year_snapshot(disclosure, last) if last_year else None,
        last_summary=last.summary if last else None,
    )
    if texts:
        snapshot.outline = table_set(version.table_set).outline
        try:
            profile = version.profile
        except Profile.DoesNotExist:
            profile = None
        snapshot.facts = {(f.key, f.code): f.value for f in version.facts.all()}
        snapshot.written = {(w.section, w.field): w.text for w in version.written.all()}
        snapshot.profile = ProfileData(**{name: getattr(profile, name) for name in PROFILE_FIELDS}) if profile else ProfileData()
        snapshot.evaluations = version_evaluations(version)
        snapshot.entity = disclosure.entity_name
        snapshot.extra_sections = list(version.extra_sections.values("position", "title", "body", "table"))
        snapshot.reason_threshold = threshold_for(region_code=disclosure.region.code, table_set=version.table_set)
    return snapshot


def version_evaluations(version: Version) -> list[Evaluation]:
    """The 绩效自评表 of a version as typed rows, in three queries."""
    found = []
    for stored in version.evaluations.prefetch_related("funds", "indicators"):
        data = {f.name: getattr(stored, f.name) for f in fields_of(Evaluation) if f.name not in ("funds", "indicators")}
        found.append(
            Evaluation(
                **data,
                funds=[Fund(**{f.name: getattr(row, f.name) for f in fields_of(Fund)}) for row in stored.funds.all()],
                indicators=[Indicator(**{f.name: getattr(row, f.name) for f in fields_of(Indicator)}) for row in stored.indicators.all()],
            )
        )
    return found


@dataclass(frozen=True)
class Facet:
    """One way into the public list: its filter value (a year, a 行政区划代码), its label and
    how many disclosures it leads to."""

    value: int | str
    label: str
    count: int


# -- the public lists -------------------------------------------------------------------

# Past this many matches a list says 「10,000+」 instead of counting them all; its pages stop
# there too (filter, or search, to reach the rest). A setting so that tests can lower it.
def count_cap() -> int:
    return getattr(settings, "PUBLIC_LIST_COUNT_CAP", 10_000)


@dataclass(frozen=True)
class Counted:
    """A number of matches: exact, or at least `value` (shown 「10,000+」)."""

    value: int
    exact: bool = True

    def __str__(self) -> str:
        return f"{self.value:,}" if self.exact else f"{self.value:,}+"


# What a row of the public lists shows (the home list, /api/disclosures): the listing columns
# and the current version's number, date and key figures; the department, region, unit and
# year rows are not read, nor the version's other JSON (a list of 100 built 500 model
# instances and decoded 300 JSON documents for nothing: bench/scale_bench.py).
LISTED_FIELDS = (
    "kind", "department_id", "unit_id", "listed_year", "listed_region", "listed_region_name", "listed_department",
    "listed_unit", "listed_at", "current_version", "current_version__number", "current_version__published_at",
    "current_version__summary",
)


def disclosures_listed(
    *,
    year: int | None = None,
    region: str | None = None,
    kind: str | None = None,
    department: int | None = None,
    q: str = "",
    region_names: bool = False,
) -> QuerySet[Disclosure]:
    """The listed disclosures matching the filters, unordered, by their listing columns only
    (models.disclosure), reading LISTED_FIELDS: each order of the lists is then one of its indexes; `q` is a
    substring of the department's or unit's name (`region_names`: or the region's), which
    PostgreSQL finds through the trigram indexes of migration 0018."""
    found = Disclosure.objects.filter(LISTED).select_related("current_version").only(*LISTED_FIELDS)
    if year is not None:
        found = found.filter(listed_year=year)
    if region:
        found = found.filter(listed_region=region)
    if kind:
        found = found.filter(kind=kind)
    if department is not None:
        found = found.filter(department_id=department)
    q = (q or "").strip()
    if q:
        names = Q(listed_department__icontains=q) | Q(listed_unit__icontains=q)
        found = found.filter(names | Q(listed_region_name__icontains=q) if region_names else names)
    return found


def listed_count(disclosures: QuerySet, *, year=None, region=None, kind=None, department=None, q: str = "") -> Counted:
    """How many of `disclosures` there are: the kept count (ListingCount) when only year, region
    and kind filter them; else counted up to count_cap() + 1, in one query that stops there."""
    if department is None and not (q or "").strip():
        kept = ListingCount.objects.all()
        for field, value in (("year", year), ("region", region), ("kind", kind)):
            if value not in (None, ""):
                kept = kept.filter(**{field: value})
        return Counted(kept.aggregate(n=Sum("disclosures"))["n"] or 0)
    return bounded_count(disclosures)


def bounded_count(rows: QuerySet) -> Counted:
    """count(*) over at most count_cap() + 1 rows (a LIMIT inside the count)."""
    cap = count_cap()
    found = rows.order_by()[: cap + 1].count()
    return Counted(cap, exact=False) if found > cap else Counted(found)


def listing_facets() -> tuple[list[Facet], list[Facet]]:
    """The published disclosures by year (newest first) and by region (by code), from the kept
    counts: years × regions × kinds rows, whatever the number of disclosures."""
    years, regions = Counter(), Counter()
    for year, code, count in ListingCount.objects.values_list("year", "region", "disclosures"):
        years[year] += count
        regions[code] += count
    names = dict(Region.objects.filter(code__in=list(regions)).values_list("code", "name"))
    return (
        [Facet(year, f"{year}", count) for year, count in sorted(years.items(), reverse=True)],
        [Facet(code, names.get(code, code), count) for code, count in sorted(regions.items())],
    )


# -- the comparison of a region's departments -------------------------------------------

_AMOUNT = DecimalField(max_digits=20, decimal_places=2)


def _key_figure(key: str):
    """A key figure of the current version's summary (stored as "1085.68" or null), as a number."""
    return Cast(KeyTextTransform(key, "current_version__summary"), _AMOUNT)


def _share_of(key: str):
    """The share of 基本支出 or 项目支出 in their sum, in % (null where the sum is unknown or 0)."""
    spent = reduce(add, (_key_figure(part) for part in EXPENSE_PARTS))
    return ExpressionWrapper(_key_figure(key) * 100 / NullIf(spent, Value(0)), output_field=_AMOUNT)


COMPARE_SORTS = ("entity", *COMPARED, *(f"{key}_share" for key in EXPENSE_PARTS))


def compare_page(disclosures: QuerySet[Disclosure], *, sort: str, offset: int, limit: int) -> list[tuple[int, str, dict]]:
    """(id, name, summary) of one page of a region's departments in a year, sorted in the
    database by a column of the comparison (`sort`, "-" for descending; rendering.lists
    CompareTable sorts a page the same way: unknown below every number, above it descending).
    The disclosures of one region and year, read by the region index; the figures not at all."""
    descending, name = sort.startswith("-"), sort.lstrip("-")
    if name not in COMPARE_SORTS:
        descending, name = True, "expense_grand"
    rows = disclosures.order_by()
    if name == "entity":
        value = F("listed_department")
    elif name.endswith("_share"):
        value = _share_of(name.removesuffix("_share"))
    else:
        value = _key_figure(name)
    order = value.desc(nulls_last=True) if descending else value.asc(nulls_first=True)
    rows = rows.annotate(sorted_by=value).order_by(order, "listed_department", "pk")
    return list(rows.values_list("pk", "listed_department", "current_version__summary")[offset : offset + limit])


def key_total_aggregates() -> dict:
    """The aggregates of each compared key figure over a set of listed disclosures: its sum
    and how many know it (the key there and not JSON null: a cast of null counts as a value
    on SQLite). Summed per year, region and kind into ListingCount.key_totals at publication
    (services.listing); read back by compare_totals."""
    sums = {f"{key}_sum": Sum(_key_figure(key), output_field=_AMOUNT) for key in COMPARED}
    known = {
        f"{key}_known": Count(
            "pk",
            filter=Q(**{f"current_version__summary__{key}__isnull": False}) & ~Q(**{f"current_version__summary__{key}": None}),
        )
        for key in COMPARED
    }
    return {**sums, **known}


def key_totals_of(aggregated: dict) -> dict:
    """ListingCount.key_totals from the values of key_total_aggregates(): key → [sum as text
    (exact), how many know it]."""
    return {
        key: [None if aggregated[f"{key}_sum"] is None else str(aggregated[f"{key}_sum"]), aggregated[f"{key}_known"]]
        for key in COMPARED
    }


def compare_totals(*, year: int | None, region: str) -> dict:
    """The region's totals as rendering.compare.compare_rows gives them (a total is unknown as
    soon as one department's figure is; "incomplete" the figures so, with how many lack
    them), from the sums kept at publication for the region's 部门决算 of the year (one row)."""
    kept = ListingCount.objects.filter(year=year, region=region, kind=Disclosure.Kind.DEPARTMENT)
    n, key_totals = kept.values_list("disclosures", "key_totals").first() or (0, {})
    missing, totals = {}, {}
    for key in COMPARED:
        total, known = key_totals.get(key, (None, 0))
        missing[key] = n - known
        totals[key] = None if not n or missing[key] or total is None else Decimal(total)
    spent = None if any(totals[part] is None for part in EXPENSE_PARTS) else sum(totals[part] for part in EXPENSE_PARTS)
    totals.update({f"{key}_share": share(totals[key], spent) for key in EXPENSE_PARTS})
    totals["incomplete"] = [(KEY_LABELS[key], missing[key]) for key in COMPARED if missing[key]]
    return totals


def compare_years() -> list[int]:
    """The years with a published 部门决算, newest first (from the kept counts)."""
    kept = ListingCount.objects.filter(kind=Disclosure.Kind.DEPARTMENT).order_by("-year")
    return list(kept.values_list("year", flat=True).distinct())


def compare_first_region(year: int | None) -> str | None:
    """The code of the first region with 部门决算 published for `year`."""
    kept = ListingCount.objects.filter(year=year, kind=Disclosure.Kind.DEPARTMENT).order_by("region")
    return kept.values_list("region", flat=True).first()
