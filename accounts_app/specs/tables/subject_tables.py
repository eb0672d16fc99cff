"""The tables whose rows are 支出功能分类科目 (合计, then 类/款/项):
公开02 收入决算表, 03 支出决算表, 05 一般公共预算财政拨款支出决算表,
07 政府性基金预算财政拨款收入支出决算表, 08 国有资本经营预算财政拨款支出决算表."""

from ..base import TOTAL_ROW, Block, Column, RowKind, TableSpec
from ..classification import Classification
from ..rules import CellRule, HierarchyRule, Ref, RowRule, SubjectRule
from . import fiscal_income_expense as t04
from . import income_expense as t01
from .common import CODE, NAME, ROUNDING_NOTE

INCOME = "income"
EXPENSE = "expense"
GPB_EXPENSE = "gpb_expense"
GOV_FUND = "gov_fund"
SOE_CAPITAL = "soe_capital"

SUBJECT_CODE_LENGTHS = (3, 5, 7)


def _subject_table(key, title, columns, note, checks, *, aliases=(), empty_note="", description=""):
    return TableSpec(
        key=key,
        title=title,
        aliases=aliases,
        row_kind=RowKind.SUBJECT,
        blocks=(Block("", (CODE, NAME, *columns)),),
        note=note,
        empty_note=empty_note,
        code_lengths=SUBJECT_CODE_LENGTHS,
        checks=(HierarchyRule(key, "合计 = Σ类；类 = Σ款；款 = Σ项"), *checks),
        landscape=len(columns) > 4,
        description=description,
    )


def _row_sum(table, target, terms, text):
    return RowRule(table, target, tuple((1, t) for t in terms), text)


def _t01_line(classification: Classification, offset: int) -> str:
    """表01 行次 counted from the end of the 收入 sources: 27 本年收入合计 etc."""
    return str(len(classification.classes) + offset)


def income(classification: Classification) -> TableSpec:
    columns = (
        Column("total", "本年收入合计", number=1),
        Column("fiscal", "财政拨款收入", number=2),
        Column("superior", "上级补助收入", number=3),
        Column("business", "事业收入", number=4),
        Column("operating", "经营收入", number=5),
        Column("affiliated", "附属单位上缴收入", number=6),
        Column("other", "其他收入", number=7),
    )
    income_total = _t01_line(classification, 1)
    checks = [
        _row_sum(INCOME, "total", [c.key for c in columns[1:]], "1栏 = Σ(2…7)栏"),
        CellRule(
            (Ref(t01.KEY, income_total, "amount"),),
            (Ref(INCOME, TOTAL_ROW, "total"),),
            f"表01 本年收入合计（{income_total}行） = 表02 合计 1栏",
        ),
        CellRule(
            tuple(Ref(t01.KEY, str(line), "amount") for line in (1, 2, 3)),
            (Ref(INCOME, TOTAL_ROW, "fiscal"),),
            "表01 (1+2+3)行 = 表02 合计 2栏（财政拨款收入）",
        ),
    ]
    for line, column in zip((4, 5, 6, 7, 8), columns[2:]):
        checks.append(
            CellRule(
                (Ref(t01.KEY, str(line), "amount"),),
                (Ref(INCOME, TOTAL_ROW, column.key),),
                f"表01 {line}行 = 表02 合计 {column.number}栏（{column.label}）",
            )
        )
    return _subject_table(
        INCOME,
        "收入决算表",
        columns,
        "本表反映部门本年度取得的各项收入情况。" + ROUNDING_NOTE,
        checks,
        description="部门本年度取得的各项收入",
    )


def expense(classification: Classification) -> TableSpec:
    columns = (
        Column("total", "本年支出合计", number=1),
        Column("basic", "基本支出", number=2),
        Column("project", "项目支出", number=3),
        Column("to_superior", "上缴上级支出", number=4),
        Column("operating", "经营支出", number=5),
        Column("to_affiliated", "对附属单位补助支出", number=6),
    )
    expense_total = str(classification.classes[-1].line + 1)
    checks = [
        _row_sum(EXPENSE, "total", [c.key for c in columns[1:]], "1栏 = Σ(2…6)栏"),
        CellRule(
            (Ref(t01.KEY, expense_total, "amount"),),
            (Ref(EXPENSE, TOTAL_ROW, "total"),),
            f"表01 本年支出合计（{expense_total}行） = 表03 合计 1栏",
        ),
        SubjectRule((t01.KEY, "amount"), (EXPENSE, "total"), "表01 各支出类 = 表03 该类 1栏"),
    ]
    return _subject_table(
        EXPENSE,
        "支出决算表",
        columns,
        "本表反映部门本年度各项支出情况。" + ROUNDING_NOTE,
        checks,
        description="部门本年度各项支出",
    )


def _expense_total_line_04(classification: Classification) -> str:
    return str(classification.classes[-1].line + 2)


def gpb_expense(classification: Classification) -> TableSpec:
    columns = (
        Column("total", "小计", number=1, group="本年支出", aliases=("本年支出合计", "合计")),
        Column("basic", "基本支出", number=2, group="本年支出"),
        Column("project", "项目支出", number=3, group="本年支出"),
    )
    line = _expense_total_line_04(classification)
    checks = (
        _row_sum(GPB_EXPENSE, "total", ("basic", "project"), "1栏 = (2+3)栏"),
        SubjectRule((t04.KEY, "gpb"), (GPB_EXPENSE, "total"), "表04 一般公共预算财政拨款栏各类 = 表05 该类小计"),
        CellRule(
            (Ref(t04.KEY, line, "gpb"),),
            (Ref(GPB_EXPENSE, TOTAL_ROW, "total"),),
            f"表04 本年支出合计（{line}行）一般公共预算财政拨款 = 表05 合计",
        ),
        *(
            SubjectRule(
                (GPB_EXPENSE, column),
                (EXPENSE, other),
                f"表05 ≤ 表03（{label}）：财政拨款支出是全部支出的一部分",
                op="<=",
                level=None,
            )
            for column, other, label in (("total", "total", "合计"), ("basic", "basic", "基本支出"), ("project", "project", "项目支出"))
        ),
    )
    return _subject_table(
        GPB_EXPENSE,
        "一般公共预算财政拨款支出决算表",
        columns,
        "本表反映部门本年度一般公共预算财政拨款支出情况。" + ROUNDING_NOTE,
        checks,
        description="一般公共预算财政拨款的实际支出",
    )


def gov_fund(classification: Classification) -> TableSpec:
    columns = (
        Column("opening", "年初结转和结余", number=1),
        Column("income", "本年收入", number=2),
        Column("total", "小计", number=3, group="本年支出", aliases=("本年支出合计", "合计")),
        Column("basic", "基本支出", number=4, group="本年支出"),
        Column("project", "项目支出", number=5, group="本年支出"),
        Column("closing", "年末结转和结余", number=6),
    )
    n = len(classification.classes)
    line = _expense_total_line_04(classification)
    checks = (
        RowRule(GOV_FUND, "closing", ((1, "opening"), (1, "income"), (-1, "total")), "6栏 = (1+2−3)栏"),
        _row_sum(GOV_FUND, "total", ("basic", "project"), "3栏 = (4+5)栏"),
        CellRule((Ref(t04.KEY, "2", "amount"),), (Ref(GOV_FUND, TOTAL_ROW, "income"),), "表04 2行 = 表07 合计 本年收入"),
        CellRule(
            (Ref(t04.KEY, str(n + 4), "amount"),),
            (Ref(GOV_FUND, TOTAL_ROW, "opening"),),
            f"表04 {n + 4}行（年初政府性基金结转和结余） = 表07 合计 年初结转和结余",
        ),
        SubjectRule((t04.KEY, "gov_fund"), (GOV_FUND, "total"), "表04 政府性基金预算财政拨款栏各类 = 表07 该类本年支出小计"),
        CellRule(
            (Ref(t04.KEY, line, "gov_fund"),),
            (Ref(GOV_FUND, TOTAL_ROW, "total"),),
            f"表04 本年支出合计（{line}行）政府性基金 = 表07 合计 本年支出",
        ),
    )
    return _subject_table(
        GOV_FUND,
        "政府性基金预算财政拨款收入支出决算表",
        columns,
        "本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。" + ROUNDING_NOTE,
        checks,
        empty_note="本部门本年度无政府性基金预算财政拨款收入、支出及结转和结余，本表为空表。",
        description="政府性基金预算财政拨款的收入、支出及结转和结余",
    )


def soe_capital(classification: Classification) -> TableSpec:
    columns = (
        Column("total", "合计", number=1, group="本年支出", aliases=("小计", "本年支出合计")),
        Column("basic", "基本支出", number=2, group="本年支出"),
        Column("project", "项目支出", number=3, group="本年支出"),
    )
    line = _expense_total_line_04(classification)
    checks = (
        _row_sum(SOE_CAPITAL, "total", ("basic", "project"), "1栏 = (2+3)栏"),
        SubjectRule((t04.KEY, "soe"), (SOE_CAPITAL, "total"), "表04 国有资本经营预算财政拨款栏各类 = 表08 该类合计"),
        CellRule(
            (Ref(t04.KEY, line, "soe"),),
            (Ref(SOE_CAPITAL, TOTAL_ROW, "total"),),
            f"表04 本年支出合计（{line}行）国有资本经营 = 表08 合计",
        ),
    )
    return _subject_table(
        SOE_CAPITAL,
        "国有资本经营预算财政拨款支出决算表",
        columns,
        "本表反映部门本年度国有资本经营预算财政拨款支出情况。" + ROUNDING_NOTE,
        checks,
        empty_note="本部门本年度无国有资本经营预算财政拨款支出，本表为空表。",
        description="国有资本经营预算财政拨款的支出",
    )
