"""Reads for pages, exports and re-checks: a stored version back into a Dataset, and into
the `Snapshot` every derived computation (checks, drafting, consistency, rendering) reads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from dataclasses import fields as fields_of

from django.db.models import Count, QuerySet

from .dataset import Dataset, LineData, TableData
from .models import Disclosure, Figure, Line, Profile, TableLayoutEntry, Version
from .snapshot import PROFILE_FIELDS, Evaluation, Fund, Indicator, Snapshot
from .snapshot import Profile as ProfileData
from . import caching
from .specs import TableSet, get_table_set, specs_for_year
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


def disclosure_facets(disclosures: QuerySet[Disclosure]) -> tuple[list[Facet], list[Facet]]:
    """`disclosures` counted by year (newest first) and by region (by code), in one query
    grouped by both: at most years × regions rows, whatever the number of disclosures."""
    years, regions, names = Counter(), Counter(), {}
    grouped = disclosures.order_by().values_list("year__year", "department__region__code", "department__region__name")
    for year, code, name, count in grouped.annotate(n=Count("pk")):
        years[year] += count
        regions[code] += count
        names[code] = name
    return (
        [Facet(year, f"{year}", count) for year, count in sorted(years.items(), reverse=True)],
        [Facet(code, names[code], count) for code, count in sorted(regions.items())],
    )
