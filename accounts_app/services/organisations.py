"""Creating the organisations a disclosure belongs to (used by the demo loader and tests)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ..models import Department, Disclosure, FiscalYear, Region, Unit


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name: str
    province: str
    finance_bureau: str
    table_set: str


# The regions of the three seed disclosures, each with the table layout its documents use.
SEED_REGIONS = {
    "新乡市凤泉区": RegionInfo("410704", "新乡市凤泉区", "河南省", "新乡市凤泉区财政局", "standard"),
    "武汉市青山区": RegionInfo("420107", "武汉市青山区", "湖北省", "武汉市青山区财政局", "numbered"),
    "南昌市红谷滩区": RegionInfo("360113", "南昌市红谷滩区", "江西省", "南昌市红谷滩区财政局", "jiangxi"),
    "上海市普陀区": RegionInfo("310107", "上海市普陀区", "上海市", "上海市普陀区财政局", "national_2023"),
}


def region_ensure(*, info: RegionInfo) -> Region:
    region, _ = Region.objects.get_or_create(
        code=info.code,
        defaults={
            "name": info.name,
            "province": info.province,
            "finance_bureau": info.finance_bureau,
            "table_set": info.table_set,
        },
    )
    return region


@transaction.atomic
def disclosure_ensure(*, region: Region, entity: str, year: int, kind: str, department: str | None = None) -> Disclosure:
    """The disclosure of `entity` for `year`, creating its department (and unit) if needed.

    For a 单位决算 the unit belongs to `department` (default: a department of the same name,
    the unit being its 本级)."""
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=year)
    dept, _ = Department.objects.get_or_create(region=region, name=department or entity)
    unit = None
    if kind == Disclosure.Kind.UNIT:
        unit, _ = Unit.objects.get_or_create(department=dept, name=entity, defaults={"is_main": entity == dept.name})
    disclosure, _ = Disclosure.objects.get_or_create(department=dept, unit=unit, year=fiscal_year, kind=kind)
    return disclosure
