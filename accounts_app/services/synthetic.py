"""Synthetic published disclosures for scale and load work (`manage.py generate_synthetic`).

Every department-year is one of the seed workbooks (read by the importer, as an upload
would be) with its amounts scaled by a factor and its totals re-derived, so that every
勾稽关系 holds to the cent: `derivation` takes the equalities the checker evaluates and
expresses each total through the entered figures, so scaled figures give exact totals.
A pool of such variants is built and checked (no finding at all) once per seed
(`variant_pool`); departments pick a size from the pool and drift through it year by year.

The variants are written straight into the tables, already published, in the synthetic
regions only (codes from SYNTHETIC_CODE_PREFIX): status, `current_version`, and what
publication freezes, the summary of key figures and the 情况说明 (`narrative_sections`, as
services.publication drafts it from the figures and last year's published figures). On
PostgreSQL with COPY, elsewhere with bulk inserts (services.synthetic_copy); the lists'
columns are refreshed at the end (services.listing), with the figures per cell summed from
the plan (`_Cells`), not recounted from the rows. Not written: workbooks (no upload took
place), PDFs (`manage.py render_pdfs` makes them when wanted; until then the page's PDF link
answers 404 「该版本的 PDF 尚未生成」), audit entries, notifications, quality scores.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from ..checking import check_dataset
from ..dataset import Dataset
from ..importing.reader import Expectation, parse_workbook
from ..importing.workbook import open_workbook
from ..models import (
    Department,
    Disclosure,
    EconomicSubject,
    Figure,
    FiscalYear,
    FunctionSubject,
    Line,
    Region,
    Version,
    VersionTable,
)
from ..narrative.drafting import draft_sections, sections_to_data
from ..selectors import table_set as region_table_set
from ..snapshot import Snapshot
from ..specs import RowKind, get_table_set, specs_for_year
from ..specs.classification import classification_for
from ..specs.key_figures import key_figures
from ..specs.reasons import ReasonThreshold, threshold_for
from .catalogs import catalogs_load
from .demo import DEMO_DISCLOSURES, WORKBOOKS
from .figure_partitions import figure_partitions_ensure
from .listing import listing_refresh
from .organisations import SEED_REGIONS
from .scaling import derivation
from .synthetic_copy import SOURCE_NAME, CopyWriter, OrmWriter, Planned, VariantRows

SYNTHETIC_CODE_PREFIX = "99"
ALREADY_GENERATED = "数据库中已有合成数据（行政区划代码 {code} 已存在）；请换一个空数据库，或先删除合成数据。"
NOT_EXACT = "示例决算「{workbook}」按 {factor} 倍缩放后有 {count} 处检查结果：{first}"
__all__ = ["SOURCE_NAME", "SYNTHETIC_CODE_PREFIX", "SyntheticRefused", "seed_bases", "synthetic_generate", "variant_pool"]


REGION_NAMES = (
    "东城区", "西城区", "南湖区", "北山区", "中原区", "江岸区", "湖滨区", "城关区", "新华区", "河西区",
    "青云区", "桃源县", "清河县", "白石县", "长乐县", "安平县", "永宁县", "丰泽区", "龙湖区", "金水区",
)
CITY_NAMES = ("示范市", "样例市", "合成市", "模拟市")
DEPARTMENT_NAMES = (
    "教育局", "卫生健康委员会", "财政局", "公安局", "民政局", "人力资源和社会保障局", "自然资源局",
    "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局",
    "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "林业局", "司法局", "发展和改革委员会",
    "科学技术局", "工业和信息化局", "退役军人事务局", "体育局", "档案馆", "机关事务管理局", "信访局",
    "城市管理局", "行政审批服务局", "乡村振兴局", "民族宗教事务局", "人民防空办公室", "地方志办公室",
    "融媒体中心", "疾病预防控制中心", "妇幼保健院", "人民医院", "中医院", "第一中学", "第二中学",
    "实验小学", "职业中等专业学校", "图书馆", "文化馆", "博物馆", "公共资源交易中心", "政务服务中心",
    "供销合作社联合社", "总工会", "共青团委员会", "妇女联合会", "残疾人联合会", "科学技术协会",
    "红十字会", "工商业联合会", "文学艺术界联合会", "人民法院", "人民检察院",
)


@dataclass
class Variant:
    """A seed scaled with its totals re-derived: its tables as stored, and its key figures."""

    factor: Decimal
    dataset: Dataset
    summary: dict[str, str | None]

    @property
    def lines(self) -> int:
        return sum(len(table.lines) for table in self.dataset.tables.values())

    @property
    def figures(self) -> int:
        return sum(table.figure_count for table in self.dataset.tables.values())


@dataclass
class Generated:
    regions: int = 0
    departments: int = 0
    versions: int = 0
    lines: int = 0
    figures: int = 0
    seconds: float = 0.0
    pool: dict[str, int] = field(default_factory=dict)  # table set -> variants


class SyntheticRefused(Exception):
    """The database already holds synthetic data, or a scaled seed would not check clean."""


def seed_bases() -> dict[str, Dataset]:
    """{table set: the seed workbook of that layout, read by the importer} (needs the catalogs)."""
    bases = {}
    for demo in DEMO_DISCLOSURES:
        table_set = SEED_REGIONS[demo.region].table_set
        expectation = Expectation(
            entity_names={demo.entity},
            entity_label=demo.entity,
            year=demo.year,
            table_set=get_table_set(table_set),
            known_codes={
                RowKind.SUBJECT: set(FunctionSubject.objects.for_year(demo.year).values_list("code", flat=True)),
                RowKind.ECONOMIC: set(EconomicSubject.objects.for_year(demo.year).values_list("code", flat=True)),
            },
            catalog_year=demo.year,
        )
        opened = open_workbook((WORKBOOKS / demo.workbook).read_bytes())
        try:
            bases[table_set] = parse_workbook(opened, expectation).dataset
        finally:
            opened.close()
    return bases


def retargeted(dataset: Dataset, year: int) -> Dataset:
    """The same tables under the specs of another year (the rows of 2022 and 2023 agree)."""
    specs = specs_for_year(year)
    return Dataset(
        year=year,
        tables={key: replace(t, spec=specs[key], form=t.form and specs[t.form.key]) for key, t in dataset.tables.items()},
    )


def _summary(dataset: Dataset) -> dict[str, str | None]:
    return {key: None if amount is None else str(amount) for key, amount in key_figures(dataset).items()}


def variant_pool(base: Dataset, *, size: int, years: Sequence[int], workbook: str = "") -> list[Variant]:
    """`size` variants of a seed, factors spread evenly on a log scale from 0.2 to 8, each
    checked without a single finding under the specs of every year it will be used in."""
    solved = derivation(base)
    editions = sorted({classification_for(year).year for year in years})
    pool = []
    for n in range(size):
        factor = Decimal(str(round(0.2 * math.exp(n * math.log(40) / max(size - 1, 1)), 3)))
        variant = solved.variant(factor)
        for year in editions:
            left = check_dataset(retargeted(variant, year))
            if left:
                raise SyntheticRefused(NOT_EXACT.format(workbook=workbook, factor=factor, count=len(left), first=left[0]))
        pool.append(Variant(factor, variant, _summary(variant)))
    return pool


# -- storing ---------------------------------------------------------------------------


def _regions(codes: list[str]) -> list[Region]:
    table_sets = ("standard", "numbered", "jiangxi")
    regions = []
    for n, code in enumerate(codes):
        name = f"{CITY_NAMES[n // len(REGION_NAMES) % len(CITY_NAMES)]}{REGION_NAMES[n % len(REGION_NAMES)]}"
        regions.append(
            Region(
                code=code,
                name=name,
                province="示范省",
                finance_bureau=f"{name}财政局",
                table_set=table_sets[n % len(table_sets)],
            )
        )
    return Region.objects.bulk_create(regions)


def _analyze(*models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _department_name(region: Region, n: int) -> str:
    name = DEPARTMENT_NAMES[n % len(DEPARTMENT_NAMES)]
    rounds = n // len(DEPARTMENT_NAMES)
    return f"{region.name}{name}" + (f"第{rounds + 1}分支机构" if rounds else "")


def _published_at(year: int, rng: random.Random) -> datetime:
    day = date(year + 1, 6, 1) + timedelta(days=rng.randrange(0, 120))
    return timezone.make_aware(datetime(day.year, day.month, day.day, rng.randrange(9, 18), rng.randrange(60)))


class _Frozen:
    """What publication freezes of a synthetic version, made once per distinct input: the
    情况说明 reads the figures (a variant under the year's specs), the year, last year's
    published figures and the region's outline and threshold, nothing of the department."""

    def __init__(self):
        self.narratives: dict[tuple, list[dict]] = {}
        self.rows: dict[int, VariantRows] = {}

    def rows_of(self, variant: Variant) -> VariantRows:
        if id(variant) not in self.rows:
            self.rows[id(variant)] = VariantRows.of(variant.dataset)
        return self.rows[id(variant)]

    def narrative(self, variant: Variant, year: int, last: Variant | None, *, outline: str, threshold: ReasonThreshold) -> list[dict]:
        key = (id(variant), year, id(last) if last else None, outline, threshold)
        if key not in self.narratives:
            snapshot = Snapshot(
                dataset=_as_stored(variant, year),
                outline=outline,
                last=Snapshot(dataset=_as_stored(last, year - 1)) if last else None,
                reason_threshold=threshold,
            )
            self.narratives[key] = sections_to_data(draft_sections(snapshot))
        return self.narratives[key]


def _as_stored(variant: Variant, year: int) -> Dataset:
    """The variant as `selectors.version_dataset` reads it back: under the year's specs, each
    table's number as stored."""
    stored = retargeted(variant.dataset, year)
    for table in stored.tables.values():
        stored.labels[table.spec.family] = variant.dataset.label_of(table.spec.family) or table.printed_label
    return stored


class _Cells:
    """The ListingCell counts of the disclosures written, summed from the plan instead of
    recounted from their figures (that count took 4 of the 7 minutes of 100,000 disclosures):
    per year and region how many departments used each variant there, times the variant's
    cells (VariantRows.cells, counted in the walk that makes the figures it writes).
    listing_refresh writes them as given; tests/operations/test_synthetic.py compares them
    with a recount from the rows."""

    def __init__(self, rows_of: Callable[[Variant], VariantRows]):
        self.rows_of = rows_of
        self.rows: dict[int, VariantRows] = {}
        self.used: Counter[tuple[int, str, int]] = Counter()  # (year, region code, variant) -> departments

    def add(self, planned: Sequence[Planned]) -> None:
        for p in planned:
            self.rows[id(p.variant)] = self.rows_of(p.variant)
            self.used[(p.year.year, p.department.region.code, id(p.variant))] += 1

    def counts(self) -> Counter[tuple[int, str, str, str, str, str]]:
        cells: Counter[tuple[int, str, str, str, str, str]] = Counter()
        for (year, region, variant), departments in self.used.items():
            for (table, key, column), figures in self.rows[variant].cells.items():
                cells[(year, region, Disclosure.Kind.DEPARTMENT, table, key, column)] += figures * departments
        return cells


def _plan(new: list[Department], pools: dict[str, list[Variant]], years: list[FiscalYear], rng, frozen: _Frozen) -> list[Planned]:
    planned = []
    generated = {year.year for year in years}
    for department in new:
        region = department.region
        pool = pools[region.table_set]
        outline = region_table_set(region.table_set).outline
        threshold = threshold_for(region_code=region.code, table_set=region.table_set)
        size, last = rng.randrange(len(pool)), None
        for year in years:
            size = min(max(size + rng.choice((-1, 0, 1, 1, 2)), 0), len(pool) - 1)  # mostly growing
            last = last if year.year - 1 in generated else None  # last year's, when it was published
            narrative = frozen.narrative(pool[size], year.year, last, outline=outline, threshold=threshold)
            planned.append(Planned(department, year, pool[size], _published_at(year.year, rng), narrative))
            last = pool[size]
    return planned


def synthetic_generate(
    *,
    departments: int,
    years: Sequence[int],
    regions: int = 20,
    seed: int = 1,
    pool_size: int = 40,
    batch: int | None = None,
    workers: int = 1,
    code_prefix: str = SYNTHETIC_CODE_PREFIX,
    progress: Callable[[int, int], None] | None = None,
) -> Generated:
    """`departments` departments spread over `regions` synthetic regions (行政区划代码
    `code_prefix` + 0001 …), each with a published 部门决算 for every year in `years`,
    `batch` departments per transaction. Deterministic for a given `seed`. On PostgreSQL,
    `workers` > 1 writes that many batches at once, each committed on its own connection
    (the command's default; not within a caller's transaction, whose rows they could not read)."""
    started = time.monotonic()
    copying = connection.vendor == "postgresql"
    batch = batch or (500 if copying else 100)
    if not FunctionSubject.objects.exists():
        catalogs_load()
    codes = [f"{code_prefix}{n + 1:04d}" for n in range(regions)]
    existing = Region.objects.filter(code__in=codes).values_list("code", flat=True).first()
    if existing:
        raise SyntheticRefused(ALREADY_GENERATED.format(code=existing))
    rng = random.Random(seed)
    names = {SEED_REGIONS[demo.region].table_set: demo.workbook for demo in DEMO_DISCLOSURES}
    pools = {
        table_set: variant_pool(base, size=pool_size, years=years, workbook=names[table_set])
        for table_set, base in seed_bases().items()
    }
    counts = Generated(pool={key: len(pool) for key, pool in pools.items()})
    fiscal_years = [FiscalYear.objects.get_or_create(year=year)[0] for year in sorted(years)]
    figure_partitions_ensure(years=years)  # each year's figures straight into their own partition
    with transaction.atomic():
        stored_regions = _regions(codes)
    counts.regions = len(stored_regions)
    frozen = _Frozen()
    # Inside a caller's transaction (a test) other connections would not see its rows: one writer.
    workers = 1 if connection.in_atomic_block else workers
    writer = CopyWriter(rows_of=frozen.rows_of, workers=workers) if copying else OrmWriter()
    cells = _Cells(frozen.rows_of)
    try:
        for start in range(0, departments, batch):
            with transaction.atomic():
                new = Department.objects.bulk_create(
                    Department(
                        region=stored_regions[n % regions],
                        name=_department_name(stored_regions[n % regions], n // regions),
                        code=f"{stored_regions[n % regions].code}{n // regions + 1:04d}",
                    )
                    for n in range(start, min(start + batch, departments))
                )
                planned = _plan(new, pools, fiscal_years, rng, frozen)
                if not writer.apart:  # with its departments, in one transaction
                    writer.write(planned)
            if writer.apart:  # its departments committed first: the writer's connection reads them
                writer.write(planned)
            cells.add(planned)  # written, or `close` below raises what failed
            counts.departments += len(new)
            counts.versions += len(planned)
            counts.lines += sum(p.variant.lines for p in planned)
            counts.figures += sum(p.variant.figures for p in planned)
            if progress:
                progress(counts.departments, departments)
    finally:
        writer.close()
    if copying:  # fresh statistics, or the planner guesses a few rows per table (a recount of
        # 20,000 disclosures took 26 s instead of 8 on the statistics of empty tables; the refresh
        # below no longer reads the figures, but its UPDATE and counts, the pages and the API do)
        _analyze(Department, Disclosure, Version, VersionTable, Line, Figure)
    listing_refresh(disclosures=Disclosure.objects.filter(department__region__in=stored_regions), cells=cells.counts())
    if copying:  # the listing columns just written
        _analyze(Disclosure)
    counts.seconds = time.monotonic() - started
    return counts
