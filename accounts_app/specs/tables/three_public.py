"""财政拨款“三公”经费支出决算表: one set of keys, three printed forms.

The stored table (`three_public`, one row) holds everything any form prints:
- 预算数 (全年预算数) and 决算数 of the six items (合计, 因公出国(境)费, 公务用车购置及运行维护费
  小计/购置费/运行维护费, 公务接待费): the 12 栏 this form prints (seeds 000, 001);
- carried by the other forms, stored but not printed here (`extra_columns`): the 年初预算数 of
  each item, the 公务接待费 breakdown (国内接待费, 其中外事接待费, 国(境)外接待费) and the
  相关统计数 (counts).

The printed forms:
- three_public itself: one row, 预算数 and 决算数 each × 6 items, either as two blocks or with
  each item over a 预算数 | 决算数 pair (the newer national order); the header decides;
- three_public_detail: items as rows × 年初预算数/全年预算数/决算数, then 相关统计数, as seed 002
  (Jiangxi) prints it;
- three_public_items: the items as rows × 预算数/决算数 (seeds/shanghai-*).
Both row forms are stored under this table's keys (`stores_as`, `cell_map`), so the checks, the
draft, the key figures and the API read one set of keys whatever the department printed, and the
renderers print each version back in its own form.
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
# 公务接待费 in detail: 国内 (of which 外事) and 国(境)外.
RECEPTION_ITEMS = (
    ("reception_domestic", "国内接待费"),
    ("reception_foreign_affairs", "其中：外事接待费"),
    ("reception_foreign", "国（境）外接待费"),
)
# The amounts by part: 年初预算数, 预算数 (全年), 决算数.
PARTS = (("initial", "年初预算数"), ("budget", "预算数"), ("final", "决算数"))
# 相关统计数: counts, by the keys the 情况说明 facts use when no table prints them.
STATISTICS = (
    ("abroad_groups", "因公出国（境）团组数（个）"),
    ("abroad_people", "因公出国（境）人次数（人）"),
    ("car_purchased", "公务用车购置数（辆）"),
    ("car_holding", "公务用车保有量（辆）"),
    ("reception_domestic_batches", "国内公务接待批次（个）"),
    ("reception_foreign_affairs_batches", "其中：外事接待批次（个）"),
    ("reception_domestic_people", "国内公务接待人次（人）"),
    ("reception_foreign_affairs_people", "其中：外事接待人次（人）"),
    ("reception_foreign_batches", "国（境）外公务接待批次（个）"),
    ("reception_foreign_people", "国（境）外公务接待人次（人）"),
)
ROW = "total"
# Stored columns the reviewer's checklist reads (checking.checklist): `{part}_{item}` as
# _amount_columns names them, and the 保有量 of 相关统计数.
INITIAL_COLUMN, BUDGET_COLUMN, FINAL_COLUMN = (f"{part}_{{item}}" for part, _ in PARTS)
TOTAL_ITEM, RECEPTION_ITEM = "total", "reception"
RECEPTION_SPLIT = ("reception_domestic", "reception_foreign")  # 国内 + 国（境）外 = 公务接待费
CAR_HOLDING = "car_holding"

# 三公 items that 表06 (basic spending only) also shows: the 决算 must cover at least those.
BASIC_SPENDING_CODES = {"abroad": "30212", "reception": "30217", "car_operation": "30231", "car_purchase": "31013"}
ITEM_NAMES = {item: label for item, label, _ in ITEMS} | {"car": "公务用车购置及运行维护费", **dict(RECEPTION_ITEMS)}


def _amount_columns() -> tuple[tuple[Column, ...], tuple[Column, ...]]:
    """(the 12 栏 printed in this form, the amounts stored beside them)."""
    printed, extra = [], []
    for part, part_label in PARTS:
        for i, (item, label, sub) in enumerate(ITEMS):
            group = f"{part_label}·{sub}" if sub else part_label
            if part == "initial":
                extra.append(Column(f"{part}_{item}", label, group=group))
            else:
                offset = 0 if part == "budget" else 6
                printed.append(Column(f"{part}_{item}", label, number=offset + i + 1, group=group))
        for item, label in RECEPTION_ITEMS:
            extra.append(Column(f"{part}_{item}", label, group=f"{part_label}·公务接待费"))
    return tuple(printed), tuple(extra)


def _checks() -> tuple:
    def ref(key):
        return Ref(KEY, ROW, key)

    checks = []
    for part, part_label in PARTS:
        checks += [
            CellRule(
                (ref(f"{part}_total"),),
                (ref(f"{part}_abroad"), ref(f"{part}_car"), ref(f"{part}_reception")),
                f"合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费（{part_label}）",
            ),
            CellRule(
                (ref(f"{part}_car"),),
                (ref(f"{part}_car_purchase"), ref(f"{part}_car_operation")),
                f"公务用车购置及运行维护费 = 公务用车购置费 + 公务用车运行维护费（{part_label}）",
            ),
            CellRule(
                (ref(f"{part}_reception"),),
                (ref(f"{part}_reception_domestic"), ref(f"{part}_reception_foreign")),
                f"公务接待费 = 国内接待费 + 国（境）外接待费（{part_label}）",
                breakdown=True,
            ),
            CellRule(
                (ref(f"{part}_reception_foreign_affairs"),),
                (ref(f"{part}_reception_domestic"),),
                f"外事接待费不超过国内接待费（{part_label}）",
                op="<=",
            ),
        ]
    for item in (*(i for i, _, _ in ITEMS), *(i for i, _ in RECEPTION_ITEMS)):
        checks.append(
            CellRule(
                (ref(f"final_{item}"),),
                (ref(f"budget_{item}"),),
                f"决算数不超过预算数（{ITEM_NAMES[item]}）",
                op="<=",
                warning_only=True,
            )
        )
    for of, label in (("batches", "批次"), ("people", "人次")):
        checks.append(
            CellRule(
                (ref(f"reception_foreign_affairs_{of}"),),
                (ref(f"reception_domestic_{of}"),),
                f"外事接待{label}不超过国内公务接待{label}",
                op="<=",
            )
        )
    for item, code in BASIC_SPENDING_CODES.items():
        checks.append(
            CellRule(
                (ref(f"final_{item}"),),
                (Ref(gpb_basic.KEY, code, "amount"),),
                f"{{three_public}} 决算数 {ITEM_NAMES[item]} ≥ {{gpb_basic}} {code}（三公经费还包括项目支出）",
                op=">=",
            )
        )
    return tuple(checks)


def build(classification: Classification) -> TableSpec:
    printed, extra = _amount_columns()
    statistics = tuple(Column(key, label, group="相关统计数", unit=Unit.COUNT) for key, label in STATISTICS)
    return TableSpec(
        key=KEY,
        title=TITLE,
        aliases=ALIASES,
        family=FAMILY,
        row_kind=RowKind.SINGLE,
        blocks=(Block("", printed, (Row(ROW, "“三公”经费支出"),)),),
        extra_columns=extra + statistics,
        note=NOTE,
        empty_note=EMPTY_NOTE,
        landscape=True,
        checks=_checks(),
        headline=((ROW, "final_total"),),
        form="一行，预算数、决算数各 6 栏",
        description="财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费",
    )


DETAIL_ROWS = (
    (Row("1", "一、“三公”经费支出"), "total"),
    (Row("2", "1.因公出国（境）费", level=1), "abroad"),
    (Row("3", "2.公务用车购置及运行维护费", level=1), "car"),
    (Row("4", "（1）公务用车购置费", level=2), "car_purchase"),
    (Row("5", "（2）公务用车运行维护费", level=2), "car_operation"),
    (Row("6", "3.公务接待费", level=1), "reception"),
    (Row("7", "（1）国内接待费", level=2), "reception_domestic"),
    (Row("8", "其中：外事接待费", level=3), "reception_foreign_affairs"),
    (Row("9", "（2）国（境）外接待费", level=2), "reception_foreign"),
    (Row("10", "二、相关统计数", heading=True), ""),
    (Row("11", "1.因公出国（境）团组数（个）", level=1, unit=Unit.COUNT), "abroad_groups"),
    (Row("12", "2.因公出国（境）人次数（人）", level=1, unit=Unit.COUNT), "abroad_people"),
    (Row("13", "3.公务用车购置数（辆）", level=1, unit=Unit.COUNT), "car_purchased"),
    (Row("14", "4.公务用车保有量（辆）", level=1, unit=Unit.COUNT), "car_holding"),
    (Row("15", "5.国内公务接待批次（个）", level=1, unit=Unit.COUNT), "reception_domestic_batches"),
    (Row("16", "其中：外事接待批次（个）", level=2, unit=Unit.COUNT), "reception_foreign_affairs_batches"),
    (Row("17", "6.国内公务接待人次（人）", level=1, unit=Unit.COUNT), "reception_domestic_people"),
    (Row("18", "其中：外事接待人次（人）", level=2, unit=Unit.COUNT), "reception_foreign_affairs_people"),
    (Row("19", "7.国（境）外公务接待批次（个）", level=1, unit=Unit.COUNT), "reception_foreign_batches"),
    (Row("20", "8.国（境）外公务接待人次（人）", level=1, unit=Unit.COUNT), "reception_foreign_people"),
)
_DETAIL_PARTS = (("initial_budget", "initial"), ("budget", "budget"), ("final", "final"))


def _detail_cells() -> tuple[tuple[str, str, str, str], ...]:
    """Amount rows × the three parts; a count row's 决算数 is the count (its other cells are not applicable)."""
    found = []
    for row, key in DETAIL_ROWS:
        if row.unit is Unit.COUNT:
            found.append((row.key, "final", ROW, key))
        elif key:
            found += [(row.key, column, ROW, f"{part}_{key}") for column, part in _DETAIL_PARTS]
    return tuple(found)


def build_detail(classification: Classification) -> TableSpec:
    columns = (
        Column("initial_budget", "年初预算数", number=1),
        Column("budget", "全年预算数", number=2),
        Column("final", "决算数", number=3),
    )
    return TableSpec(
        key=DETAIL_KEY,
        title=TITLE,
        aliases=ALIASES,
        family=FAMILY,
        row_kind=RowKind.LINE,
        blocks=(Block("", (LABEL, LINE, *columns), tuple(row for row, _ in DETAIL_ROWS)),),
        note=(
            "本表反映部门本年度财政拨款“三公”经费支出预决算情况。财政拨款包括一般公共预算财政拨款和政府性基金预算"
            "财政拨款。年初预算数指年初“三公”经费部门预算数；全年预算数指按规定程序调整调剂后的全年“三公”经费部门"
            "预算数；决算数反映当年预算安排和以前年度结转资金安排的实际支出。"
        ),
        empty_note=EMPTY_NOTE,
        stores_as=KEY,
        cell_map=_detail_cells(),
        headline=(("1", "final"),),
        form="各项为行，年初预算数、全年预算数、决算数三栏，另有相关统计数",
        description="“三公”经费预决算及相关统计数（因公出国团组、公务用车、公务接待）",
    )


# The items as rows, 预算数 | 决算数 as columns: row → the stored item key.
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
        headline=(("1", "final"),),
        description="财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费",
    )
