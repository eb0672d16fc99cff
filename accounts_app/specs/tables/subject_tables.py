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
SOE_CAPITAL_IE = "soe_capital_ie"  # the 收入支出 form of the newer national order

SUBJECT_CODE_LENGTHS = (3, 5, 7)


def _subject_table(key, title, columns, note, checks, *, aliases=(), empty_note="", description="", family="", form=""):
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
        family=family,
        form=form,
        headline=((TOTAL_ROW, columns[0].key if columns[0].key != "opening" else "total"),),
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
            f"{{income_expense}} 本年收入合计（{income_total}行） = {{income}} 合计 1栏",
        ),
        CellRule(
            tuple(Ref(t01.KEY, str(line), "amount") for line in (1, 2, 3)),
            (Ref(INCOME, TOTAL_ROW, "fiscal"),),
            "{income_expense} (1+2+3)行 = {income} 合计 2栏（财政拨款收入）",
        ),
    ]
    for line, column in zip((4, 5, 6, 7, 8), columns[2:]):
        checks.append(
            CellRule(
                (Ref(t01.KEY, str(line), "amount"),),
                (Ref(INCOME, TOTAL_ROW, column.key),),
                f"{{income_expense}} {line}行 = {{income}} 合计 {column.number}栏（{column.label}）",
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
            f"{{income_expense}} 本年支出合计（{expense_total}行） = {{expense}} 合计 1栏",
        ),
        SubjectRule((t01.KEY, "amount"), (EXPENSE, "total"), "{income_expense} 各支出类 = {expense} 该类 1栏"),
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
        SubjectRule((t04.KEY, "gpb"), (GPB_EXPENSE, "total"), "{fiscal_income_expense} 一般公共预算财政拨款栏各类 = {gpb_expense} 该类小计"),
        CellRule(
            (Ref(t04.KEY, line, "gpb"),),
            (Ref(GPB_EXPENSE, TOTAL_ROW, "total"),),
            f"{{fiscal_income_expense}} 本年支出合计（{line}行）一般公共预算财政拨款 = {{gpb_expense}} 合计",
        ),
        *(
            SubjectRule(
                (GPB_EXPENSE, column),
                (EXPENSE, other),
                f"{{gpb_expense}} ≤ {{expense}}（{label}）：财政拨款支出是全部支出的一部分",
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
        aliases=("一般公共预算财政拨款支出决算明细表",),
        description="一般公共预算财政拨款的实际支出",
    )


FUND_COLUMNS = (
    ("opening", "年初结转和结余", ()),
    ("income", "本年收入", ()),
    ("total", "小计", ("本年支出合计", "合计")),
    ("basic", "基本支出", ()),
    ("project", "项目支出", ()),
    ("closing", "年末结转和结余", ()),
)
# The columns whose 合计 情况说明 states for a fund table, in either form (each by its group or label).
FUND_STATED = ("opening", "income", "total", "closing")


def _fund_table(classification, key, fund, t04_column, t04_opening_line, t04_income_line, title, empty_note, **extra):
    """A fund table in the 收入支出 form: 年初结转和结余, 本年收入, 本年支出, 年末结转和结余."""
    columns = tuple(
        Column(column, label, number=i, group="本年支出" if column in ("total", "basic", "project") else "", aliases=aliases)
        for i, (column, label, aliases) in enumerate(FUND_COLUMNS, start=1)
    )
    line = _expense_total_line_04(classification)
    label = "{" + (extra.get("family") or key) + "}"  # the table's number, filled in per region
    checks = (
        RowRule(key, "closing", ((1, "opening"), (1, "income"), (-1, "total")), "6栏 = (1+2−3)栏"),
        _row_sum(key, "total", ("basic", "project"), "3栏 = (4+5)栏"),
        CellRule(
            (Ref(t04.KEY, t04_income_line, "amount"),),
            (Ref(key, TOTAL_ROW, "income"),),
            f"{{fiscal_income_expense}} {t04_income_line}行 = {label} 合计 本年收入",
        ),
        CellRule(
            (Ref(t04.KEY, t04_opening_line, "amount"),),
            (Ref(key, TOTAL_ROW, "opening"),),
            f"{{fiscal_income_expense}} {t04_opening_line}行（年初{fund}结转和结余） = {label} 合计 年初结转和结余",
        ),
        SubjectRule((t04.KEY, t04_column), (key, "total"), f"{{fiscal_income_expense}} {fund}预算财政拨款栏各类 = {label} 该类本年支出小计"),
        CellRule(
            (Ref(t04.KEY, line, t04_column),),
            (Ref(key, TOTAL_ROW, "total"),),
            f"{{fiscal_income_expense}} 本年支出合计（{line}行）{fund} = {label} 合计 本年支出",
        ),
    )
    return _subject_table(
        key,
        title,
        columns,
        f"本表反映部门本年度{fund}预算财政拨款收入、支出及结转和结余情况。" + ROUNDING_NOTE,
        checks,
        empty_note=empty_note,
        description=f"{fund}预算财政拨款的收入、支出及结转和结余",
        **extra,
    )


def gov_fund(classification: Classification) -> TableSpec:
    n = len(classification.classes)
    return _fund_table(
        classification,
        GOV_FUND,
        "政府性基金",
        "gov_fund",
        str(n + 4),
        "2",
        "政府性基金预算财政拨款收入支出决算表",
        "本部门本年度无政府性基金预算财政拨款收入、支出及结转和结余，本表为空表。",
        aliases=("政府性基金预算财政拨款支出决算表",),
    )


def soe_capital_ie(classification: Classification) -> TableSpec:
    """The newer national order's 国有资本经营 table, in the same 收入支出 form as the 政府性基金 table."""
    n = len(classification.classes)
    return _fund_table(
        classification,
        SOE_CAPITAL_IE,
        "国有资本经营",
        "soe",
        str(n + 5),
        "3",
        "国有资本经营预算财政拨款收入支出决算表",
        "本部门本年度无国有资本经营预算财政拨款收入、支出及结转和结余，本表为空表。",
        family=SOE_CAPITAL,
        form="收入支出：年初结转和结余、本年收入、本年支出、年末结转和结余",
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
        SubjectRule((t04.KEY, "soe"), (SOE_CAPITAL, "total"), "{fiscal_income_expense} 国有资本经营预算财政拨款栏各类 = {soe_capital} 该类合计"),
        CellRule(
            (Ref(t04.KEY, line, "soe"),),
            (Ref(SOE_CAPITAL, TOTAL_ROW, "total"),),
            f"{{fiscal_income_expense}} 本年支出合计（{line}行）国有资本经营 = {{soe_capital}} 合计",
        ),
    )
    return _subject_table(
        SOE_CAPITAL,
        "国有资本经营预算财政拨款支出决算表",
        columns,
        "本表反映部门本年度国有资本经营预算财政拨款支出情况。" + ROUNDING_NOTE,
        checks,
        empty_note="本部门本年度无国有资本经营预算财政拨款支出，本表为空表。",
        form="支出：合计、基本支出、项目支出",
        description="国有资本经营预算财政拨款的支出",
    )
