"""公开06 一般公共预算财政拨款基本支出决算明细表: 经济分类 rows in three blocks,
人员经费合计 and 公用经费合计 printed below them."""

from ..base import TOTAL_ROW, Block, Column, Row, RowKind, TableSpec
from ..classification import Classification
from ..rules import CellRule, HierarchyRule, Ref
from . import subject_tables
from .common import ECONOMIC_CODE, NAME, ROUNDING_NOTE

KEY = "gpb_basic"
PERSONNEL_TOTAL = "personnel_total"
PUBLIC_TOTAL = "public_total"
PERSONNEL_CLASSES = ("301", "303")
PUBLIC_CLASSES = ("302", "307", "310", "312", "399")
AMOUNT = "amount"  # the one value column (决算数)



def build(classification: Classification) -> TableSpec:
    amount = Column("amount", "决算数", aliases=("金额",))
    blocks = (
        Block("人员经费", (ECONOMIC_CODE, NAME, amount)),
        Block("公用经费", (ECONOMIC_CODE, NAME, amount)),
        Block("公用经费", (ECONOMIC_CODE, NAME, amount)),
    )
    a = "amount"
    return TableSpec(
        key=KEY,
        title="一般公共预算财政拨款基本支出决算明细表",
        aliases=("一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出明细表"),
        row_kind=RowKind.ECONOMIC,
        blocks=blocks,
        footer=(
            Row(PERSONNEL_TOTAL, "人员经费合计"),
            Row(PUBLIC_TOTAL, "公用经费合计", aliases=("公用支出合计",)),
        ),
        code_lengths=(3, 5),
        note="本表反映部门本年度一般公共预算财政拨款基本支出明细情况。" + ROUNDING_NOTE,
        landscape=True,
        checks=(
            HierarchyRule(KEY, "各类 = Σ其款", with_total=False),
            CellRule(
                (Ref(KEY, PERSONNEL_TOTAL, a),),
                tuple(Ref(KEY, code, a) for code in PERSONNEL_CLASSES),
                "人员经费合计 = 301 + 303",
            ),
            CellRule(
                (Ref(KEY, PUBLIC_TOTAL, a),),
                tuple(Ref(KEY, code, a) for code in PUBLIC_CLASSES),
                "公用经费合计 = 302 + 307 + 310 + 312 + 399",
            ),
            CellRule(
                (Ref(subject_tables.GPB_EXPENSE, TOTAL_ROW, "basic"),),
                (Ref(KEY, PERSONNEL_TOTAL, a), Ref(KEY, PUBLIC_TOTAL, a)),
                "{gpb_expense} 合计 基本支出 = {gpb_basic} 人员经费合计 + 公用经费合计",
            ),
        ),
        optional_blocks=True,
        headline=((PERSONNEL_TOTAL, a), (PUBLIC_TOTAL, a)),
        description="一般公共预算财政拨款基本支出按经济分类的明细",
    )


# The 类 each block lists in the blank template, as seeds 000 and 002 print them.
TEMPLATE_BLOCK_CLASSES = (PERSONNEL_CLASSES, ("302",), ("307", "310", "312", "399"))
