"""公开10 国有资产占用情况表 (seed 002, Jiangxi): vehicles by kind and equipment ≥ 100万元."""

from ..base import Block, Column, Row, RowKind, TableSpec, Unit
from ..classification import Classification
from ..rules import CellRule, Ref, lines
from .common import LABEL, LINE

KEY = "state_assets"

ROWS = (
    Row("1", "一、车辆数合计（台、辆）"),
    Row("2", "1.副部（省）级及以上领导用车", level=1),
    Row("3", "2.主要负责人用车", level=1),
    Row("4", "3.机要通信用车", level=1),
    Row("5", "4.应急保障用车", level=1),
    Row("6", "5.执法执勤用车", level=1),
    Row("7", "6.特种专业技术用车", level=1),
    Row("8", "7.离退休干部服务用车", level=1),
    Row("9", "8.其他用车", level=1),
    Row("10", "二、单价100万元（含）以上设备（不含车辆）（台、套）"),
)


def build(classification: Classification) -> TableSpec:
    return TableSpec(
        key=KEY,
        title="国有资产占用情况表",
        aliases=(),
        row_kind=RowKind.LINE,
        blocks=(Block("", (LABEL, LINE, Column("amount", "决算数", unit=Unit.COUNT)), ROWS),),
        note="本表反映截止本年12月31日，部门（单位）占用的国有资产情况。",
        empty_note="本部门（单位）无相关资产，本表为空表。",
        checks=(
            CellRule(
                (Ref(KEY, "1", "amount"),),
                tuple(Ref(KEY, line, "amount") for line in lines(2, 9)),
                "1行 = Σ(2…9)行",
            ),
        ),
        headline=(("1", "amount"),),
        description="部门（单位）占用的车辆和单价100万元以上设备",
    )


# What the reviewer's checklist reads (checking.checklist): the vehicles' total, its kinds, and the column.
AMOUNT = "amount"
VEHICLES_ROW = ROWS[0].key
VEHICLE_ROWS = tuple(row.key for row in ROWS[1:9])
