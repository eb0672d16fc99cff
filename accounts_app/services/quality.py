"""公开质量 stored with a version (Version.quality): computed by checking.quality from the
version's snapshot, its findings, its disclosure's dates and, for a 部门决算, how many of the
department's units have published their 单位决算.

Recomputed by every write that changes an input: the findings refresh (figures, facts,
texts) and publication (the day it was published). Publishing a 单位决算 changes its
department's 所属单位 coverage, so it refreshes the department's published score too."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from .. import caching
from ..checking.quality import Score, quality_score
from ..models import Disclosure, Unit, Version
from ..selectors import table_set, version_snapshot
from ..snapshot import Snapshot
from ..specs.quality import scheme_for
from .listing import listing_quality_refresh

Kind = Disclosure.Kind


def _first_published(disclosure: Disclosure):
    first = disclosure.versions.published().aggregate(first=Min("published_at"))["first"]
    return timezone.localtime(first).date() if first else None


def department_units(*, disclosure: Disclosure) -> tuple[int, int]:
    """(units of the department with a published 单位决算 of the year, units of the department)."""
    units = Unit.objects.filter(department_id=disclosure.department_id)
    published = (
        Disclosure.objects.published()
        .filter(kind=Kind.UNIT, department_id=disclosure.department_id, year_id=disclosure.year_id)
        .values("unit_id")
        .distinct()
        .count()
    )
    return published, units.count()


def version_quality(*, version: Version, snapshot: Snapshot | None = None, sections: list | None = None) -> Score:
    """The score of a version as of today (pure computation over what is loaded here)."""
    disclosure = version.disclosure
    snapshot = snapshot if snapshot is not None else version_snapshot(version)
    region = disclosure.department.region
    return quality_score(
        snapshot,
        version.findings.values_list("code", "severity"),
        approval_date=disclosure.approval_date,
        published=_first_published(disclosure),
        today=timezone.localdate(),
        table_set=table_set(version.table_set),
        units=department_units(disclosure=disclosure) if disclosure.kind == Kind.DEPARTMENT else None,
        scheme=scheme_for(region_code=region.code, table_set=version.table_set),
        sections=sections,
    )


def version_quality_refresh(*, version: Version, snapshot: Snapshot | None = None, sections: list | None = None) -> Score:
    """Compute the version's 公开质量 and store it. `snapshot`: the version's, with its texts,
    when the caller has loaded it (and `sections`, its drafted 情况说明). A published 单位决算 refreshes its department's score."""
    score = version_quality(version=version, snapshot=snapshot, sections=sections)
    version.quality = score.as_data()
    Version.objects.filter(pk=version.pk).update(quality=version.quality)
    listing_quality_refresh(version=version)  # the board's copy, when the version is current
    disclosure = version.disclosure
    if disclosure.kind == Kind.UNIT and version.status == Version.Status.PUBLISHED:
        _department_refresh(disclosure)
    return score


def _department_refresh(unit_disclosure: Disclosure) -> None:
    """The department's published 部门决算 of the same year, scored again for its coverage.
    Its public page may be cached with the old score: the pages are rebuilt."""
    department = (
        Disclosure.objects.published()
        .filter(kind=Kind.DEPARTMENT, department_id=unit_disclosure.department_id, year_id=unit_disclosure.year_id)
        .first()
    )
    if department is None:
        return
    current = department.current_version
    before = _dated_not(current.quality)
    version_quality_refresh(version=current)
    if before != _dated_not(current.quality):
        transaction.on_commit(caching.forget_all_pages)


def _dated_not(data: dict | None) -> dict | None:
    """A stored score without the day it was computed on."""
    return data and {key: value for key, value in data.items() if key != "as_of"}
