"""Every table spec, built for a year's classification, and the regional table sets."""

from __future__ import annotations

from functools import lru_cache

from .base import TableSet, TableSpec
from .classification import classification_for
from .tables import (
    fiscal_income_expense,
    gpb_basic,
    income_expense,
    state_assets,
    subject_tables,
    three_public,
)

BUILDERS = (
    income_expense.build,
    subject_tables.income,
    subject_tables.expense,
    fiscal_income_expense.build,
    subject_tables.gpb_expense,
    gpb_basic.build,
    subject_tables.gov_fund,
    subject_tables.soe_capital,
    subject_tables.soe_capital_ie,
    three_public.build,
    three_public.build_detail,
    three_public.build_items,
    state_assets.build,
)

_STANDARD_FAMILIES = (
    income_expense.KEY,
    subject_tables.INCOME,
    subject_tables.EXPENSE,
    fiscal_income_expense.KEY,
    subject_tables.GPB_EXPENSE,
    gpb_basic.KEY,
    subject_tables.GOV_FUND,
    subject_tables.SOE_CAPITAL,
    three_public.FAMILY,
)

TABLE_SETS: dict[str, TableSet] = {
    table_set.key: table_set
    for table_set in (
        TableSet("standard", "标准格式（公开01–09表）", _STANDARD_FAMILIES),
        TableSet("numbered", "表1–表9 编号格式", _STANDARD_FAMILIES, label_format="表{number}"),
        # The newer national order (seeds/shanghai-*): 三公 as 表七, both fund tables in the
        # 收入支出 form as 表八/表九.
        TableSet(
            "national_2023",
            "新版全国格式（表一至表九，三公为表七）",
            (*_STANDARD_FAMILIES[:6], three_public.FAMILY, subject_tables.GOV_FUND, subject_tables.SOE_CAPITAL),
            preferred={subject_tables.SOE_CAPITAL: subject_tables.SOE_CAPITAL_IE},
            label_format="表{cn}",
            line_numbers=False,
            outline="national_2023",
        ),
        TableSet(
            "jiangxi",
            "含国有资产占用情况表（公开01–10表，三公经费含相关统计数）",
            (*_STANDARD_FAMILIES, state_assets.KEY),
            preferred={three_public.FAMILY: three_public.DETAIL_KEY},
        ),
    )
}
DEFAULT_TABLE_SET = "standard"


@lru_cache(maxsize=16)
def _specs_for_edition(edition_year: int) -> dict[str, TableSpec]:
    classification = classification_for(edition_year)
    specs = [build(classification) for build in BUILDERS]
    return {spec.key: spec for spec in specs}


def specs_for_year(year: int) -> dict[str, TableSpec]:
    """All specs, keyed by table key, for the classification in force in `year`."""
    return _specs_for_edition(classification_for(year).year)


def get_spec(key: str, year: int) -> TableSpec:
    return specs_for_year(year)[key]


def get_table_set(key: str) -> TableSet:
    return TABLE_SETS.get(key) or TABLE_SETS[DEFAULT_TABLE_SET]


def family_specs(family: str, year: int) -> list[TableSpec]:
    return [spec for spec in specs_for_year(year).values() if spec.family == family]


def template_specs(table_set: TableSet, year: int) -> list[TableSpec]:
    """The specs a blank workbook for this table set contains, in its order."""
    specs = specs_for_year(year)
    return [specs[table_set.preferred.get(family, family)] for family in table_set.families]


def ordered_keys(table_set: TableSet, year: int) -> list[str]:
    """Spec keys in display order: the set's tables first, then any other form."""
    keys = [spec.key for spec in template_specs(table_set, year)]
    keys += [key for key in specs_for_year(year) if key not in keys]
    return keys
