"""公开质量: the score a disclosure gets over the five dimensions 财政部's yearly check uses
(完整性, 细化程度, 及时性, 一致性（真实性）, 公开方式), declared once (docs/quality.md).

Each dimension has a weight (the default ones sum to 100) and point items; an item's points
are its share of the dimension: a region that weights a dimension otherwise scales its items.
`checking.quality` computes a version's score from these; every point it gives or takes
names the item, and the rule, finding code or fact behind it.

A region overrides the weights (and the days after which 及时性 reaches 0) by its region
code or its table set's key, in `OVERRIDES` (region code first):

    OVERRIDES = {"310107": {"weights": {"completeness": 35, "detail": 15, "timeliness": 25,
                                        "consistency": 15, "openness": 10}}}
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from .tables import gpb_basic, subject_tables

COMPLETENESS, DETAIL, TIMELINESS, CONSISTENCY, OPENNESS = "completeness", "detail", "timeliness", "consistency", "openness"

# Grades on the total, highest first; below the last threshold: D.
GRADES = ((Decimal("90"), "A", "优秀"), (Decimal("80"), "B", "良好"), (Decimal("70"), "C", "合格"))
LOWEST_GRADE = ("D", "待改进")
GRADE_LABELS = {grade: label for _, grade, label in GRADES} | {LOWEST_GRADE[0]: LOWEST_GRADE[1]}

# 预算法 第十四条: published within 20 days of the 批复 (as services.deadlines counts them).
DEADLINE_DAYS = 20


@dataclass(frozen=True)
class ItemSpec:
    key: str  # what the item is scored from; also the rule id its points name when nothing finer does
    label: str
    points: Decimal  # default points, within the dimension's default weight
    description: str
    # An item scored from findings: each one costs `each` points (in default points, scaled
    # with the weight) as far as the item's points go; `found` names them, `clean` the rest.
    each: Decimal | None = None
    found: str = ""
    clean: str = ""


@dataclass(frozen=True)
class DimensionSpec:
    key: str
    label: str
    weight: int
    items: tuple[ItemSpec, ...]

    @property
    def item_points(self) -> Decimal:
        return sum((item.points for item in self.items), Decimal("0"))


D = Decimal
DIMENSIONS = (
    DimensionSpec(COMPLETENESS, "完整性", 40, (
        ItemSpec("tables", "公开表齐全", D(16), "本地区公开表格式的每张表都公开：有数据，或为空表并附空表说明；缺一张表扣该表的分。"),
        ItemSpec("profile", "第一部分 概况", D(6), "职责、机构设置（或单位构成）、人员情况各占三分之一。"),
        ItemSpec("reasons", "情况说明应写的原因", D(8), "情况说明中应说明原因的差异和变化（决算与年初预算、与上年相比），按各节已写的比例得分。"),
        ItemSpec("facts", "情况说明所需的补充数据", D(6), "机关运行经费、政府采购、国有资产、“三公”经费统计数等文字所依据的数据：每缺一项扣 1 分（填“无”也算已填写）。",
                 D(1), "补充数据未填写", "情况说明所需的补充数据均已填写（或选择“无”）"),
        ItemSpec("performance", "绩效自评表", D(4), "第五部分附件中有项目支出或部门整体支出绩效自评表。"),
    )),
    DimensionSpec(DETAIL, "细化程度", 15, (
        ItemSpec("gpb_items", "一般公共预算财政拨款支出细化到项", D(7), "有支出的每个类、款科目都列出下级科目，直到项级。"),
        ItemSpec("basic_economic", "基本支出按经济分类细化到款", D(5), "一般公共预算财政拨款基本支出中有支出的每个经济分类类级科目都列出款级科目。"),
        ItemSpec("basic_project", "基本支出、项目支出分列", D(3), "支出决算表和一般公共预算财政拨款支出决算表的合计行分列基本支出和项目支出。"),
    )),
    DimensionSpec(TIMELINESS, "及时性", 20, (
        ItemSpec("deadline", "批复后 20 日内公开", D(20), "按时公开得满分；每逾期一天扣本维度权重的 1/20（默认 1 分），逾期 20 天及以上不得分；未登记批复日期无法认定，不得分。"),
    )),
    DimensionSpec(CONSISTENCY, "一致性", 15, (
        ItemSpec("errors", "检查无错误", D(8), "勾稽关系、读取和规则检查的错误，每处扣 2 分，扣完为止（缺表、概况和应写的原因未填写计入完整性，不在此重复扣分）。",
                 D(2), "检查错误", "检查无错误"),
        ItemSpec("contradictions", "文字与数据一致", D(4), "情况说明中的金额、比例与决算表和补充数据不一致，每处扣 2 分。",
                 D(2), "情况说明与数据不一致", "文字与数据一致"),
        ItemSpec("warnings", "提示", D(3), "每条提示扣 0.5 分（四舍五入尾差不扣分）。",
                 D("0.5"), "检查提示", "无须扣分的提示"),
    )),
    DimensionSpec(OPENNESS, "公开方式", 10, (
        ItemSpec("units", "所属单位单位决算公开", D(7), "部门决算：本部门所属单位（含本级）已公开单位决算的比例；单位决算不适用，得满分。"),
        ItemSpec("downloads", "数据可下载", D(3), "本平台公开的每张表都可下载 Excel、CSV，全部数据有 JSON 接口；在本平台公开即得分。"),
    )),
)
DIMENSION_KEYS = tuple(dimension.key for dimension in DIMENSIONS)

# Findings 一致性 does not count: what 完整性 scores (a missing table, 概况 part, 主要原因 or
# fact: checking.quality adds the codes of narrative.requirements), and 尾差 within the tolerance.
COUNTED_ELSEWHERE = ("table.missing",)
WARNINGS_NOT_COUNTED = ("check.rounding",)


@dataclass(frozen=True)
class Detail:
    """A table whose code rows must go down to their last level: every row with an amount in
    `column` that is not at the last level lists rows of the next level."""

    item: str
    table: str
    column: str
    levels: tuple[int, ...]  # the code lengths, 类 first
    level_names: tuple[str, ...]


DETAILS = (
    Detail("gpb_items", subject_tables.GPB_EXPENSE, "total", subject_tables.SUBJECT_CODE_LENGTHS, ("类", "款", "项")),
    Detail("basic_economic", gpb_basic.KEY, "amount", (3, 5), ("类", "款")),
)
# 基本支出 and 项目支出 on the 合计 row of these tables.
SPLIT_TABLES = ((subject_tables.EXPENSE, ("basic", "project")), (subject_tables.GPB_EXPENSE, ("basic", "project")))


@dataclass(frozen=True)
class Scheme:
    """The weights a region scores by, and after how many days late 及时性 reaches 0."""

    weights: dict = field(default_factory=lambda: {d.key: d.weight for d in DIMENSIONS})
    late_days_to_zero: int = DEADLINE_DAYS
    name: str = "默认"

    def weight(self, dimension: str) -> int:
        return self.weights[dimension]


DEFAULT_SCHEME = Scheme()
OVERRIDES: dict[str, dict] = {}  # region code or table set key → {"weights": {...}, "late_days_to_zero": n}

WEIGHTS_NOT_100 = "公开质量权重之和应为 100，{name} 为 {total}。"
UNKNOWN_DIMENSION = "公开质量权重中有未知的维度：{keys}。"


def scheme_for(*, region_code: str = "", table_set: str = "", overrides: dict[str, dict] | None = None) -> Scheme:
    """The region's scheme: its own override, else its table set's, else the default."""
    overrides = OVERRIDES if overrides is None else overrides
    for name in (region_code, table_set):
        if name and name in overrides:
            override = overrides[name]
            weights = {**DEFAULT_SCHEME.weights, **override.get("weights", {})}
            unknown = set(weights) - set(DIMENSION_KEYS)
            if unknown:
                raise ValueError(UNKNOWN_DIMENSION.format(keys="、".join(sorted(unknown))))
            if sum(weights.values()) != 100:
                raise ValueError(WEIGHTS_NOT_100.format(name=name, total=sum(weights.values())))
            return replace(
                DEFAULT_SCHEME,
                weights=weights,
                late_days_to_zero=override.get("late_days_to_zero", DEFAULT_SCHEME.late_days_to_zero),
                name=name,
            )
    return DEFAULT_SCHEME
