"""公开01 收入支出决算总表: 收入 and 支出 blocks side by side, rows by 行次."""

from ..base import Block, Column, Row, RowKind, TableSpec
from ..classification import Classification
from ..rules import CellRule, Ref, cells, lines
from .common import LABEL, LINE, ROUNDING_NOTE, chinese_ordinal

KEY = "income_expense"

INCOME_SOURCES = (
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
)


def build(classification: Classification) -> TableSpec:
    classes = classification.classes
    n = len(classes)
    first_expense = n + 6  # 32 with the 26 类 of 2021–2023
    assert classes[0].line == first_expense, "表01 行次 of the 类 must follow the 收入 block"
    income_total, fund_balance, opening, spacer, income_grand = n + 1, n + 2, n + 3, n + 4, n + 5
    last_class = first_expense + n - 1
    expense_total, distribution, closing, spacer2, expense_grand = (last_class + i for i in range(1, 6))

    income_rows = (
        *(Row(str(i + 1), f"{chinese_ordinal(i + 1)}、{name}") for i, name in enumerate(INCOME_SOURCES)),
        *(Row(str(i), "", spacer=True) for i in range(len(INCOME_SOURCES) + 1, n + 1)),
        Row(str(income_total), "本年收入合计"),
        Row(str(fund_balance), "使用非财政拨款结余（含专用结余）", aliases=("使用非财政拨款结余",)),
        Row(str(opening), "年初结转和结余"),
        Row(str(spacer), "", spacer=True),
        Row(str(income_grand), "总计"),
    )
    expense_rows = (
        *(
            Row(str(c.line), f"{chinese_ordinal(i + 1)}、{c.name}", subject=c.code)
            for i, c in enumerate(classes)
        ),
        Row(str(expense_total), "本年支出合计"),
        Row(str(distribution), "结余分配"),
        Row(str(closing), "年末结转和结余"),
        Row(str(spacer2), "", spacer=True),
        Row(str(expense_grand), "总计"),
    )
    income = Column("amount", "决算数", number=1, aliases=("金额",))
    expense = Column("amount", "决算数", number=2, aliases=("金额",))
    a = "amount"
    return TableSpec(
        key=KEY,
        summarises=True,
        title="收入支出决算总表",
        aliases=("收支决算总表", "部门收入支出决算总表"),
        row_kind=RowKind.LINE,
        blocks=(
            Block("收入", (LABEL, LINE, income), income_rows),
            Block("支出", (LABEL, LINE, expense), expense_rows),
        ),
        note="本表反映部门本年度的总收支和年末结转结余情况。" + ROUNDING_NOTE,
        landscape=True,
        checks=(
            CellRule(
                (Ref(KEY, str(income_total), a),),
                cells(KEY, lines(1, len(INCOME_SOURCES)), a),
                f"{income_total}行 = Σ(1…{len(INCOME_SOURCES)})行",
            ),
            CellRule(
                (Ref(KEY, str(income_grand), a),),
                cells(KEY, (income_total, fund_balance, opening), a),
                f"{income_grand}行 = ({income_total}+{fund_balance}+{opening})行",
            ),
            CellRule(
                (Ref(KEY, str(expense_total), a),),
                cells(KEY, lines(first_expense, last_class), a),
                f"{expense_total}行 = Σ({first_expense}…{last_class})行",
            ),
            CellRule(
                (Ref(KEY, str(expense_grand), a),),
                cells(KEY, (expense_total, distribution, closing), a),
                f"{expense_grand}行 = ({expense_total}+{distribution}+{closing})行",
            ),
            CellRule(
                (Ref(KEY, str(income_grand), a),),
                (Ref(KEY, str(expense_grand), a),),
                f"{income_grand}行（收入总计） = {expense_grand}行（支出总计）",
            ),
        ),
        headline=((str(income_grand), a),),
        description="部门本年度的总收支和年末结转结余",
    )
