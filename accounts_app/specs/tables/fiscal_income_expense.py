"""公开04 财政拨款收入支出决算总表: 收入 by fund, 支出 by 类 × fund."""

from ..base import Block, Column, Row, RowKind, TableSpec
from ..classification import Classification
from ..rules import CellRule, Ref, RowRule, cells, lines
from . import income_expense
from .common import LABEL, LINE, ROUNDING_NOTE, chinese_ordinal

KEY = "fiscal_income_expense"
FUNDS = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
FUND_COLUMNS = ("gpb", "gov_fund", "soe")


def build(classification: Classification) -> TableSpec:
    classes = classification.classes
    n = len(classes)
    income_total, opening, income_grand = n + 1, n + 2, n + 6
    first_expense = n + 7  # 33 with 26 类: one line below 表01
    last_class = first_expense + n - 1
    expense_total, closing, expense_grand = last_class + 1, last_class + 2, last_class + 6

    income_rows = (
        *(Row(str(i + 1), f"{chinese_ordinal(i + 1)}、{fund}") for i, fund in enumerate(FUNDS)),
        *(Row(str(i), "", spacer=True) for i in range(len(FUNDS) + 1, n + 1)),
        Row(str(income_total), "本年收入合计"),
        Row(str(opening), "年初财政拨款结转和结余"),
        *(Row(str(opening + 1 + i), fund, level=1) for i, fund in enumerate(FUNDS)),
        Row(str(income_grand), "总计"),
    )
    expense_rows = (
        *(
            Row(str(first_expense + i), f"{chinese_ordinal(i + 1)}、{c.name}", subject=c.code)
            for i, c in enumerate(classes)
        ),
        Row(str(expense_total), "本年支出合计"),
        Row(str(closing), "年末财政拨款结转和结余"),
        *(Row(str(closing + 1 + i), "", spacer=True) for i in range(3)),
        Row(str(expense_grand), "总计"),
    )
    income = Column("amount", "决算数", number=1, aliases=("金额",))
    expense_columns = (
        Column("total", "合计", number=2, aliases=("小计",)),
        *(
            Column(key, fund, number=3 + i, aliases=(fund.replace("财政拨款", ""),))
            for i, (key, fund) in enumerate(zip(FUND_COLUMNS, FUNDS))
        ),
    )
    a = "amount"
    checks = [
        CellRule((Ref(KEY, str(income_total), a),), cells(KEY, lines(1, 3), a), f"{income_total}行 = (1+2+3)行"),
        CellRule(
            (Ref(KEY, str(opening), a),),
            cells(KEY, lines(opening + 1, opening + 3), a),
            f"{opening}行 = ({opening + 1}+{opening + 2}+{opening + 3})行",
        ),
        CellRule(
            (Ref(KEY, str(income_grand), a),),
            cells(KEY, (income_total, opening), a),
            f"{income_grand}行 = ({income_total}+{opening})行",
        ),
    ]
    for column in expense_columns:
        checks.append(
            CellRule(
                (Ref(KEY, str(expense_total), column.key),),
                cells(KEY, lines(first_expense, last_class), column.key),
                f"{expense_total}行 = Σ({first_expense}…{last_class})行（{column.label}）",
            )
        )
        checks.append(
            CellRule(
                (Ref(KEY, str(expense_grand), column.key),),
                cells(KEY, (expense_total, closing), column.key),
                f"{expense_grand}行 = ({expense_total}+{closing})行（{column.label}）",
            )
        )
    checks.append(
        RowRule(
            KEY,
            "total",
            tuple((1, key) for key in FUND_COLUMNS),
            "支出各行：合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算",
            rows=tuple(lines(first_expense, expense_grand)),
        )
    )
    for line in (1, 2, 3):
        checks.append(
            CellRule(
                (Ref(income_expense.KEY, str(line), a),),
                (Ref(KEY, str(line), a),),
                f"{{income_expense}} {line}行 = {{fiscal_income_expense}} {line}行",
            )
        )
    checks.append(
        CellRule(
            (Ref(KEY, str(income_grand), a),),
            (Ref(KEY, str(expense_grand), "total"),),
            f"{income_grand}行（收入总计） = {expense_grand}行（支出总计）",
        )
    )
    return TableSpec(
        key=KEY,
        summarises=True,
        title="财政拨款收入支出决算总表",
        aliases=("财政拨款收支决算总表",),
        row_kind=RowKind.LINE,
        blocks=(
            Block("收入", (LABEL, LINE, income), income_rows),
            Block("支出", (LABEL, LINE, *expense_columns), expense_rows),
        ),
        note=(
            "本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的"
            "总收支和年末结转结余情况。" + ROUNDING_NOTE
        ),
        landscape=True,
        checks=tuple(checks),
        headline=((str(income_grand), a),),
        description="三类财政拨款的总收支和年末结转结余",
    )
