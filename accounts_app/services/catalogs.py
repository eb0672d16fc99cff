"""Loading the code catalogs from the reference files in accounts_app/data.

Idempotent: codes already present keep any name or description an admin changed
unless `overwrite` is asked for; new codes are added; nothing is deleted.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.db import transaction

from ..models import EconomicSubject, FiscalYear, FunctionSubject
from ..specs.classification import ECONOMIC_CATALOG, FUNCTION_CATALOG


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
    return results
