"""PDF import benchmark: per document, importing a published PDF as history against
pdfplumber's bare table extraction of the same bytes.

    .venv/bin/python bench/pdf_import_bench.py [--repeat 7]

Documents: the Shanghai seed as its department published it (tests/fixtures/seeds/
shanghai-putuo-shgzb-2024.pdf, WPS) and the PDFs the portal publishes for the four demo
disclosures (services.demo: both national layouts), rendered here into a throwaway SQLite
database (removed at exit; MEDIA_ROOT is the test settings' temporary folder).

What is timed, on the same bytes in memory, in the same process:
- bare: pdfplumber.open, then page.extract_tables() on every page (each page closed after);
- import: services.pdf_history.published_pdf_import — the bounds (importing.pdf_bounds, PDFium's
  count of pages and characters, the streams measured), reading every page (pdfplumber's grids,
  the text around them), identification and parsing of the tables as a workbook's, the narrative
  split into its parts, the 勾稽关系, and the version stored with its figures, findings and PDF —
  each call in a transaction rolled back at its end, so every round imports anew (a demo PDF
  into a copy of its region, the disclosure's department registered there and nothing published).
Each round times both, alternating which goes first, after one warm-up, with a garbage collection
before every call; the figures are the medians of wall time over the rounds. Target: import ÷
bare ≤ 1.5 for every document. The exit code stays 0 whatever the ratios; the last line counts
the misses.
"""

from __future__ import annotations

import argparse
import io
import statistics
from datetime import date

from inprocess import ROOT, timed  # sets up Django

import pdfplumber  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from accounts_app.models import Department, Disclosure, Region  # noqa: E402
from accounts_app.services.demo import demo_load  # noqa: E402
from accounts_app.services.organisations import SEED_REGIONS, disclosure_ensure, region_ensure  # noqa: E402
from accounts_app.services.pdf_history import Result, published_pdf_import  # noqa: E402

SHANGHAI = ROOT / "tests" / "fixtures" / "seeds" / "shanghai-putuo-shgzb-2024.pdf"
TARGET = 1.5
PUBLISHED_ON = date(2025, 9, 16)


def bare(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()


def importer(region: Region, data: bytes, name: str):
    def run():
        with transaction.atomic():
            outcome = published_pdf_import(region=region, data=data, filename=name, published_on=PUBLISHED_ON)
            assert outcome.result == Result.IMPORTED, outcome.message
            transaction.set_rollback(True)
        return outcome

    return run


def documents() -> list[tuple[str, Region, bytes]]:
    """(name, the region to import into, bytes) of every document."""
    putuo = region_ensure(info=SEED_REGIONS["上海市普陀区"])
    seed = Region.objects.create(code="990000", name="上海市普陀区（副本）", finance_bureau=putuo.finance_bureau, table_set=putuo.table_set)
    Department.objects.create(region=seed, name="中共上海市普陀区委社会工作部")
    found = [("上海普陀社工部 2024（WPS，原件）", seed, SHANGHAI.read_bytes())]
    for n, disclosure in enumerate(Disclosure.objects.filter(current_version__isnull=False).select_related("current_version"), 1):
        source = disclosure.region
        copy = Region.objects.create(code=f"99{n:04d}", name=f"{source.name}（副本）", province=source.province,
                                     finance_bureau=source.finance_bureau, table_set=source.table_set)
        disclosure_ensure(region=copy, entity=disclosure.entity_name, year=disclosure.year.year, kind=disclosure.kind,
                          department=disclosure.department.name)
        with disclosure.current_version.pdf.open("rb") as handle:
            found.append((f"{disclosure.entity_name} {disclosure.year.year}（本平台）", copy, handle.read()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    demo_load()
    print(f"{'document':<40}{'pages':>6}{'figures':>8}{'bare s':>9}{'import s':>10}{'ratio':>8}")
    misses = 0
    for name, region, data in documents():
        run = importer(region, data, f"{name}.pdf")
        outcome = run()  # what it reads (timed() warms both up again)
        bares, imports = timed([lambda: bare(data), run], args.repeat)
        b, i = statistics.median(bares), statistics.median(imports)
        ratio = i / b
        misses += ratio > TARGET
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
        print(f"{name:<40}{pages:>6}{outcome.version.figure_count:>8}{b:>9.2f}{i:>10.2f}{ratio:>7.2f}×")
    print(f"target import ÷ bare ≤ {TARGET}: {misses} miss(es)")


if __name__ == "__main__":
    main()
