"""公开09 财政拨款“三公”经费支出决算表, in its two printed forms.

- three_public: one row, 预算数 and 决算数 each × (合计, 因公出国(境)费,
  公务用车购置及运行维护费 小计/购置费/运行维护费, 公务接待费) = 12 栏 (seeds 000, 001);
- three_public_detail: rows 三公经费支出 … 国(境)外接待费 × 年初预算数/全年预算数/决算数,
  then 相关统计数 (counts), as seed 002 (Jiangxi) prints it;
- three_public_items: the items as rows × 预算数/决算数 only. It carries the figures of the
  12-栏 form and is stored under that form's keys (`stores_as`), so every consumer reads one
  set of keys.

The 12-栏 form is printed either as two blocks (预算数 over six items, then 决算数) or with
each item over a 预算数 | 决算数 pair (the newer national order); the header decides.
"""

from ..base import Block, Column, Row, RowKind, TableSpec, Unit
from ..classification import Classification
from ..rules import CellRule, Ref
from . import gpb_basic
from .common import LABEL, LINE, ROUNDING_NOTE

KEY = "three_public"
DETAIL_KEY = "three_public_detail"
FAMILY = "three_public"
ITEMS_KEY = "three_public_items"
TITLE = "财政拨款“三公”经费支出决算表"
# Title variants seen in real documents (quotes are ignored when titles are compared).
ALIASES = (
    "“三公”经费支出决算表",
    "财政拨款“三公”经费支出决算明细表",
    "财政拨款“三公”经费决算表",
    "财政拨款“三公”经费支出情况表",
    "“三公”经费支出决算明细表",
    "“三公”经费支出情况表",
    "“三公”经费决算表",
)
NOTE = (
    "本表反映部门本年度财政拨款“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，"
    "反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。" + ROUNDING_NOTE
)
EMPTY_NOTE = "本部门本年度无财政拨款“三公”经费支出，本表为空表。"
ITEMS = (
    ("total", "合计", None),
    ("abroad", "因公出国（境）费", None),
    ("car", "小计", "公务用车购置及运行维护费"),
    ("car_purchase", "公务用车购置费", "公务用车购置及运行维护费"),
    ("car_operation", "公务用车运行维护费", "公务用车购置及运行维护费"),
    ("reception", "公务接待费", None),
)
ROW = "total"

# 三公 items that 表06 (basic spending only) also shows: the 决算 must cover at least those.
BASIC_SPENDING_CODES = {"abroad": "30212", "reception": "30217", "car_operation": "30231", "car_purchase": "31013"}


def build(classification: Classification) -> TableSpec:
    columns = []
    for offset, part, part_label in ((0, "budget", "预算数"), (6, "final", "决算数")):
        for i, (item, label, sub) in enumerate(ITEMS):
            group = f"{part_label}·{sub}" if sub else part_label
            columns.append(Column(f"{part}_{item}", label, number=offset + i + 1, group=group))

    def ref(key):
        return Ref(KEY, ROW, key)

    checks = []
    for part, base in (("budget", 1), ("final", 7)):
        checks.append(
            CellRule(
                (ref(f"{part}_total"),),
                (ref(f"{part}_abroad"), ref(f"{part}_car"), ref(f"{part}_reception")),
                f"{base}栏 = ({base + 1}+{base + 2}+{base + 5})栏",
            )
        )
        checks.append(
            CellRule(
                (ref(f"{part}_car"),),
                (ref(f"{part}_car_purchase"), ref(f"{part}_car_operation")),
                f"{base + 2}栏 = ({base + 3}+{base + 4})栏",
            )
        )
    for i, (item, label, sub) in enumerate(ITEMS):
        checks.append(
            CellRule(
                (ref(f"final_{item}"),),
                (ref(f"budget_{item}"),),
                f"决算数不超过预算数（{sub + '·' if sub else ''}{label}，{i + 7}栏 ≤ {i + 1}栏）",
                op="<=",
                warning_only=True,
            )
        )
    for item, code in BASIC_SPENDING_CODES.items():
        label = dict((k, (s + "·" if s else "") + v) for k, v, s in ITEMS)[item]
        checks.append(
            CellRule(
                (ref(f"final_{item}"),),
                (Ref(gpb_basic.KEY, code, "amount"),),
                f"{{three_public}} 决算数 {label} ≥ {{gpb_basic}} {code}（三公经费还包括项目支出）",
                op=">=",
            )
        )
    return TableSpec(
        key=KEY,
        title=TITLE,
        aliases=ALIASES,
        family=FAMILY,
        row_kind=RowKind.SINGLE,
        blocks=(Block("", tuple(columns), (Row(ROW, "“三公”经费支出"),)),),
        note=NOTE,
        empty_note=EMPTY_NOTE,
        landscape=True,
        checks=tuple(checks),
        headline=((ROW, "final_total"),),
        form="一行，预算数、决算数各 6 栏",
        description="财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费",
    )


DETAIL_ROWS = (
    Row("1", "一、“三公”经费支出"),
    Row("2", "1.因公出国（境）费", level=1),
    Row("3", "2.公务用车购置及运行维护费", level=1),
    Row("4", "（1）公务用车购置费", level=2),
    Row("5", "（2）公务用车运行维护费", level=2),
    Row("6", "3.公务接待费", level=1),
    Row("7", "（1）国内接待费", level=2),
    Row("8", "其中：外事接待费", level=3),
    Row("9", "（2）国（境）外接待费", level=2),
    Row("10", "二、相关统计数", heading=True),
    Row("11", "1.因公出国（境）团组数（个）", level=1, unit=Unit.COUNT),
    Row("12", "2.因公出国（境）人次数（人）", level=1, unit=Unit.COUNT),
    Row("13", "3.公务用车购置数（辆）", level=1, unit=Unit.COUNT),
    Row("14", "4.公务用车保有量（辆）", level=1, unit=Unit.COUNT),
    Row("15", "5.国内公务接待批次（个）", level=1, unit=Unit.COUNT),
    Row("16", "其中：外事接待批次（个）", level=2, unit=Unit.COUNT),
    Row("17", "6.国内公务接待人次（人）", level=1, unit=Unit.COUNT),
    Row("18", "其中：外事接待人次（人）", level=2, unit=Unit.COUNT),
    Row("19", "7.国（境）外公务接待批次（个）", level=1, unit=Unit.COUNT),
    Row("20", "8.国（境）外公务接待人次（人）", level=1, unit=Unit.COUNT),
)
DETAIL_BASIC_SPENDING_ROWS = {"2": "30212", "6": "30217", "5": "30231", "4": "31013"}


def build_detail(classification: Classification) -> TableSpec:
    columns = (
        Column("initial_budget", "年初预算数", number=1),
        Column("budget", "全年预算数", number=2),
        Column("final", "决算数", number=3),
    )

    def ref(row, column):
        return Ref(DETAIL_KEY, row, column)

    checks = []
    for column in columns:
        c = column.key
        checks += [
            CellRule((ref("1", c),), (ref("2", c), ref("3", c), ref("6", c)), f"1行 = (2+3+6)行（{column.label}）"),
            CellRule((ref("3", c),), (ref("4", c), ref("5", c)), f"3行 = (4+5)行（{column.label}）"),
            CellRule((ref("6", c),), (ref("7", c), ref("9", c)), f"6行 = (7+9)行（{column.label}）"),
        ]
    for row in DETAIL_ROWS[:9]:
        checks.append(
            CellRule(
                (ref(row.key, "final"),),
                (ref(row.key, "budget"),),
                f"决算数不超过全年预算数（{row.label}）",
                op="<=",
                warning_only=True,
            )
        )
    for row_key, code in DETAIL_BASIC_SPENDING_ROWS.items():
        label = next(r.label for r in DETAIL_ROWS if r.key == row_key)
        checks.append(
            CellRule(
                (ref(row_key, "final"),),
                (Ref(gpb_basic.KEY, code, "amount"),),
                f"{{three_public}} {label} 决算数 ≥ {{gpb_basic}} {code}（三公经费还包括项目支出）",
                op=">=",
            )
        )
    return TableSpec(
        key=DETAIL_KEY,
        title=TITLE,
        aliases=ALIASES,
        family=FAMILY,
        row_kind=RowKind.LINE,
        blocks=(Block("", (LABEL, LINE, *columns), DETAIL_ROWS),),
        note=(
            "本表反映部门本年度财政拨款“三公”经费支出预决算情况。财政拨款包括一般公共预算财政拨款和政府性基金预算"
            "财政拨款。年初预算数指年初“三公”经费部门预算数；全年预算数指按规定程序调整调剂后的全年“三公”经费部门"
            "预算数；决算数反映当年预算安排和以前年度结转资金安排的实际支出。"
        ),
        empty_note=EMPTY_NOTE,
        checks=tuple(checks),
        headline=(("1", "final"),),
        form="各项为行，年初预算数、全年预算数、决算数三栏，另有相关统计数",
        description="“三公”经费预决算及相关统计数（因公出国团组、公务用车、公务接待）",
    )


# The items as rows, 预算数 | 决算数 as columns: row → the 12-栏 form's item key.
ITEM_ROWS = (
    (Row("1", "合计", aliases=("“三公”经费合计", "“三公”经费支出", "“三公”经费", "财政拨款“三公”经费")), "total"),
    (Row("2", "因公出国（境）费", aliases=("因公出国（境）费用",), level=1), "abroad"),
    (Row("3", "公务用车购置及运行维护费", level=1), "car"),
    (Row("4", "公务用车购置费", level=2), "car_purchase"),
    (Row("5", "公务用车运行维护费", level=2), "car_operation"),
    (Row("6", "公务接待费", level=1), "reception"),
)


def build_items(classification: Classification) -> TableSpec:
    columns = (
        Column("budget", "预算数", number=1, aliases=("全年预算数",)),
        Column("final", "决算数", number=2),
    )
    return TableSpec(
        key=ITEMS_KEY,
        title=TITLE,
        aliases=ALIASES,
        family=FAMILY,
        row_kind=RowKind.LINE,
        blocks=(Block("", (LABEL, LINE, *columns), tuple(row for row, _ in ITEM_ROWS)),),
        note=NOTE,
        empty_note=EMPTY_NOTE,
        stores_as=KEY,
        form="各项为行，预算数、决算数两栏",
        cell_map=tuple(
            (row.key, column, ROW, f"{column}_{item}") for row, item in ITEM_ROWS for column in ("budget", "final")
        ),
        description="财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费",
    )
