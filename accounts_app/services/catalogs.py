"""Loading the code catalogs from the reference files in accounts_app/data.

Idempotent: codes already present keep any name or description an admin changed
unless `overwrite` is asked for; new codes are added; nothing is deleted.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.db import transaction

from ..models import EconomicSubject, FiscalYear, FunctionSubject, GlossaryTerm
from ..specs.classification import DATA_DIR, ECONOMIC_CATALOG, FUNCTION_CATALOG

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
    results[GlossaryTerm._meta.verbose_name] = glossary_load(overwrite=overwrite)
    return results


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
