"""Loading the code catalogs from the reference files in accounts_app/data.

Idempotent: codes already present keep any name or description an admin changed
unless `overwrite` is asked for; new codes are added; nothing is deleted.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.db import transaction

from ..dataset import display_title
from ..importing.problems import WARNING, Problem
from ..models import EconomicSubject, Finding, FiscalYear, FunctionSubject, GlossaryTerm, Line, Version
from ..specs import RowKind, specs_for_year
from ..specs.classification import DATA_DIR, ECONOMIC_CATALOG, FUNCTION_CATALOG
from .findings import finding_of

GLOSSARY = DATA_DIR / "glossary.csv"


@dataclass
class CatalogLoad:
    created: int = 0
    updated: int = 0


def _records(path):
    with path.open(encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


@transaction.atomic
def catalogs_load(*, overwrite: bool = False) -> dict[str, CatalogLoad]:
    results = {}
    changed_years: set[int] = set()
    for model, path in ((FunctionSubject, FUNCTION_CATALOG), (EconomicSubject, ECONOMIC_CATALOG)):
        result = results[model._meta.verbose_name] = CatalogLoad()
        # parents first, so that save() can link each code to its parent
        for record in sorted(_records(path), key=lambda r: (r["year"], len(r["code"]), r["code"])):
            year, _ = FiscalYear.objects.get_or_create(year=int(record["year"]))
            fields = {"name": record["name"]}
            if model is FunctionSubject:
                fields["description"] = record["description"]
                fields["summary_line"] = int(record["summary_line"]) if record["summary_line"] else None
            subject = model.objects.filter(year=year, code=record["code"]).first()
            if subject is None:
                model(year=year, code=record["code"], **fields).save()
                result.created += 1
            elif overwrite and any(getattr(subject, k) != v for k, v in fields.items()):
                for key, value in fields.items():
                    setattr(subject, key, value)
                subject.save()
                result.updated += 1
            else:
                continue
            changed_years.add(year.year)
    results[GlossaryTerm._meta.verbose_name] = glossary_load(overwrite=overwrite)
    if changed_years:
        catalog_findings_refresh(year=min(changed_years))
    return results


def subject_save(*, subject: FunctionSubject | EconomicSubject) -> None:
    """A 科目 added or changed (admin): saved, and the open versions' code warnings refreshed."""
    with transaction.atomic():
        subject.save()
        catalog_findings_refresh(year=subject.year.year)


def subject_delete(*, subjects) -> None:
    """科目 removed from a catalog (admin): the open versions that print them get their warning."""
    with transaction.atomic():
        years = {subject.year.year for subject in subjects}
        for subject in subjects:
            subject.delete()
        if years:
            catalog_findings_refresh(year=min(years))


def glossary_load(*, overwrite: bool = False) -> CatalogLoad:
    """The standard 名词解释 (accounts_app/data/glossary.csv); terms an admin edited keep
    their text unless `overwrite`."""
    result = CatalogLoad()
    for record in _records(GLOSSARY):
        year, _ = FiscalYear.objects.get_or_create(year=int(record["year"]))
        fields = {"position": int(record["position"]), "definition": record["definition"]}
        term, created = GlossaryTerm.objects.get_or_create(year=year, term=record["term"], defaults=fields)
        if created:
            result.created += 1
        elif overwrite and any(getattr(term, k) != v for k, v in fields.items()):
            GlossaryTerm.objects.filter(pk=term.pk).update(**fields)
            result.updated += 1
    return result


def glossary_for(year: int) -> list[GlossaryTerm]:
    """The glossary in force for `year`: that year's edition, or the nearest earlier one
    (administrators add a year's terms when the wording changes)."""
    terms = GlossaryTerm.objects.filter(year__year__lte=year).order_by("-year__year")
    edition = terms.values_list("year__year", flat=True).first()
    if edition is None:
        return []
    return list(GlossaryTerm.objects.filter(year__year=edition).order_by("position"))


# -- the versions a catalog change touches -------------------------------------------

UNKNOWN_CODE = "row.unknown_code"
# Versions still being prepared or reviewed; an approved or published version keeps what it was approved with.
OPEN = (Version.Status.DRAFT, Version.Status.RETURNED, Version.Status.SUBMITTED)
CATALOGS = {RowKind.SUBJECT: FunctionSubject, RowKind.ECONOMIC: EconomicSubject}


def catalog_findings_refresh(*, year: int) -> int:
    """After the 科目目录 of `year` changed (a code added, renamed or removed): the 「科目编码不在
    目录中」 warnings of the open versions of that year and later are recomputed. A code now in the
    catalog loses its warning (and its explanation); a code no longer in it gets one, at the
    row's code cell. Returns how many warnings were added or removed."""
    changed = 0
    versions = Version.objects.filter(status__in=OPEN, disclosure__year__year__gte=year).select_related("disclosure__year")
    for version in versions:
        changed += _unknown_codes_refresh(version)
    return changed


def _unknown_codes_refresh(version: Version) -> int:
    year = version.disclosure.year.year
    specs = specs_for_year(year)
    kinds = {key: spec.row_kind for key, spec in specs.items() if spec.row_kind in CATALOGS}
    known = {kind: set(model.objects.for_year(year).values_list("code", flat=True)) for kind, model in CATALOGS.items()}
    edition = FunctionSubject.objects.for_year(year).values_list("year__year", flat=True).first() or year
    lines = Line.objects.filter(table__version=version, table__table__in=kinds, sheet_row__isnull=False).select_related("table")
    expected = {}
    for line in lines:
        if line.key.isdigit() and line.key not in known[kinds[line.table.table]]:
            where = f"{line.table.label}「{display_title(line.table.printed_title)}」"
            expected[(line.table.table, f"A{line.sheet_row}")] = Problem(
                WARNING, UNKNOWN_CODE, {"code": line.key, "name": line.label, "year": edition},
                sheet=line.table.sheet_name, cell=f"A{line.sheet_row}", table=line.table.table, row=line.key, where=where,
            )
    with transaction.atomic():
        stored = {(f.table, f.cell): f for f in version.findings.filter(code=UNKNOWN_CODE)}
        gone = [f.pk for place, f in stored.items() if place not in expected]
        Finding.objects.filter(pk__in=gone).delete()
        new = [finding_of(problem, version) for place, problem in expected.items() if place not in stored]
        Finding.objects.bulk_create(new)
    return len(gone) + len(new)
