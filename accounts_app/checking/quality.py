"""公开质量: a version's score over the five dimensions of specs.quality, each point named by
the item and the rule, finding code or fact that gave or took it.

Pure: `quality_score` reads a loaded `Snapshot` (with its texts), the version's findings as
(code, severity) pairs, its dates and the region's table set and scheme; services.quality
stores what it returns. Only what the data shows is scored: a 批复 date not registered earns
no 及时性 points, a table that is not there earns no 细化程度 points."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..importing.problems import ERROR, WARNING
from ..narrative.consistency import CODE as CONTRADICTION
from ..narrative.drafting import sections_for
from ..narrative.requirements import FACT_MISSING, PROFILE_MISSING, REASON_MISSING
from ..snapshot import UNIT, Snapshot
from ..specs import TOTAL_ROW, TableSet, specs_for_year
from ..specs import quality as spec
from ..specs.quality import DEFAULT_SCHEME, Scheme

# 完整性 scores these from the data itself; 一致性 does not count them again.
COUNTED_ELSEWHERE = (*spec.COUNTED_ELSEWHERE, PROFILE_MISSING, REASON_MISSING)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Item:
    label: str
    gained: Decimal
    possible: Decimal
    rule: str  # the rule id, finding code or fact that gave or took the points

    @property
    def lost(self) -> Decimal:
        return self.possible - self.gained


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    weight: int
    items: list[Item] = field(default_factory=list)

    @property
    def points(self) -> Decimal:
        return sum((item.gained for item in self.items), ZERO)


@dataclass(frozen=True)
class Score:
    total: Decimal
    grade: str
    dimensions: list[Dimension]
    as_of: str = ""  # the day it was computed (及时性 of an unpublished version counts to it)
    scheme: str = DEFAULT_SCHEME.name

    @property
    def grade_label(self) -> str:
        return spec.GRADE_LABELS[self.grade]

    def as_data(self) -> dict:
        """Plain JSON data (amounts as numbers), as Version.quality stores it."""
        data = asdict(self)
        data["total"] = float(self.total)
        for dimension, stored in zip(self.dimensions, data["dimensions"]):
            stored["points"] = float(dimension.points)
            for item in stored["items"]:
                item["gained"], item["possible"] = float(item["gained"]), float(item["possible"])
        return data

    @classmethod
    def from_data(cls, data: dict) -> Score:
        """Back from Version.quality."""
        dimensions = [
            Dimension(
                d["key"], d["label"], d["weight"],
                [Item(i["label"], _amount(i["gained"]), _amount(i["possible"]), i["rule"]) for i in d["items"]],
            )
            for d in data["dimensions"]
        ]
        return cls(_amount(data["total"]), data["grade"], dimensions, data.get("as_of", ""), data.get("scheme", DEFAULT_SCHEME.name))


def _amount(number) -> Decimal:
    return _cents(Decimal(str(number)))


def grade_of(total: Decimal) -> str:
    for threshold, grade, _ in spec.GRADES:
        if total >= threshold:
            return grade
    return spec.LOWEST_GRADE[0]


def split(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """`total` in parts proportional to `shares`, in cents, summing exactly to `total`."""
    whole = sum(shares, Decimal("0"))
    if not shares or not whole:
        return [ZERO for _ in shares]
    parts = [_cents(total * share / whole) for share in shares[:-1]]
    return [*parts, _cents(total) - sum(parts, ZERO)]


def _share(possible: Decimal, done: int, of: int) -> Decimal:
    return _cents(possible * done / of) if of else possible


def _parts(possible: Decimal, done: int, of: int, gained: tuple[str, str], lost: tuple[str, str]) -> list[Item]:
    """`possible` split by `done` of `of`: an item gained (label, rule) for what is done and an
    item lost for the rest, each only when it has points."""
    share = _share(possible, done, of)
    items = [Item(gained[0], share, share, gained[1])] if share or done == of else []
    if possible - share:
        items.append(Item(lost[0], ZERO, possible - share, lost[1]))
    return items


@dataclass
class Inputs:
    snapshot: Snapshot
    findings: list[tuple[str, str]]
    approval_date: date | None
    published: date | None
    today: date
    table_set: TableSet
    units: tuple[int, int] | None
    scheme: Scheme
    sections: list | None = None  # 情况说明 as drafted by the caller; else drafted here


# -- 完整性 ------------------------------------------------------------------------------


def _tables(inputs: Inputs, possible: Decimal) -> list[Item]:
    dataset, table_set = inputs.snapshot.dataset, inputs.table_set
    specs = specs_for_year(dataset.year)
    items = []
    for family, points in zip(table_set.families, split(possible, [Decimal(1)] * len(table_set.families))):
        table = dataset.family(family)
        form = specs[table_set.form_of(family)]
        name = f"{dataset.label_of(family) or table_set.label_of(family)}「{table.title if table else table_set.title_of(form)}」"
        if table is None:
            items.append(Item(f"缺少{name}", ZERO, points, "table.missing"))
        elif table.figure_count:
            items.append(Item(f"{name}已公开", points, points, "table.present"))
        elif table.spec.empty_note or table.note:
            items.append(Item(f"{name}为空表，附空表说明", points, points, "table.empty_note"))
        else:
            items.append(Item(f"{name}无数据，也无空表说明", ZERO, points, "table.empty"))
    return items


def _profile(inputs: Inputs, possible: Decimal) -> list[Item]:
    profile = inputs.snapshot.profile
    staff = (profile.staff_in_service, profile.staff_retired, profile.staff_other)
    parts = (
        ("duties", "职责", bool(profile.duties)),
        ("organisation", "机构设置（单位构成）", bool(profile.organisation or profile.internal_bodies or profile.units)),
        ("staff", "人员情况", any(n is not None for n in staff) or bool(profile.staff_notes.strip())),
    )
    return [
        Item(f"第一部分 概况：{label}已填写", points, points, f"profile.{key}") if filled
        else Item(f"第一部分 概况：{label}未填写", ZERO, points, PROFILE_MISSING)
        for (key, label, filled), points in zip(parts, split(possible, [Decimal(1)] * len(parts)))
    ]


def _required_fields(sections) -> list[tuple[str, int, int]]:
    """(heading, written, required) per top-level section of 情况说明 that has required parts."""
    found = []

    def walk(section, counts):
        for written in section.fields:
            if getattr(written, "required", False):
                counts[1] += 1
                counts[0] += bool(written.text.strip())
        for sub in section.subsections:
            walk(sub, counts)

    for section in sections:
        counts = [0, 0]
        walk(section, counts)
        if counts[1]:
            found.append((section.heading, counts[0], counts[1]))
    return found


def _reasons(inputs: Inputs, possible: Decimal) -> list[Item]:
    sections = _required_fields(inputs.sections if inputs.sections is not None else sections_for(inputs.snapshot))
    if not sections:
        return [Item("第三部分 情况说明：没有须说明原因的差异或变化", possible, possible, "narrative.reasons")]
    items = []
    for (heading, written, required), points in zip(sections, split(possible, [Decimal(r) for _, _, r in sections])):
        items += _parts(
            points, written, required,
            (f"第三部分 {heading}：应说明的原因已写 {written} 处", "narrative.reasons"),
            (f"第三部分 {heading}：应说明的原因未写 {required - written} 处", REASON_MISSING),
        )
    return items


def _performance(inputs: Inputs, possible: Decimal) -> list[Item]:
    count = len(inputs.snapshot.evaluations)
    if count:
        return [Item(f"第五部分 附件：绩效自评表 {count} 张", possible, possible, "performance.evaluations")]
    return [Item("第五部分 附件：没有绩效自评表", ZERO, possible, "performance.evaluations")]


# -- 细化程度 ----------------------------------------------------------------------------


def _absent(inputs: Inputs, key: str) -> str:
    """How a table the version does not hold is named: the region's number and title."""
    form = specs_for_year(inputs.snapshot.dataset.year)[key]
    return f"{inputs.table_set.label_of(form.family)}「{inputs.table_set.title_of(form)}」"


def _detail(inputs: Inputs, possible: Decimal, detail: spec.Detail) -> list[Item]:
    dataset = inputs.snapshot.dataset
    table = dataset.get(detail.table)
    if table is None:
        return [Item(f"没有{_absent(inputs, detail.table)}，无法认定细化程度", ZERO, possible, f"detail.{detail.item}")]
    name = dataset.name_of(table)
    keys = set(table.lines)
    lacking, counted = [], 0
    for key in sorted(keys):
        if len(key) not in detail.levels[:-1] or not key.isdigit():
            continue
        amount = table.value(key, detail.column)
        if not amount:
            continue
        counted += 1
        child = detail.levels[detail.levels.index(len(key)) + 1]
        if not any(len(other) == child and other.startswith(key) for other in keys):
            lacking.append(key)
    last = detail.level_names[-1]
    if not counted:
        return [Item(f"{name}没有需要细化的支出", possible, possible, f"detail.{detail.item}")]
    rule = f"detail.{detail.item}"
    missing = "、".join(lacking[:5]) + ("等" if len(lacking) > 5 else "")
    return _parts(
        possible, counted - len(lacking), counted,
        (f"{name}：有支出的上级科目 {counted - len(lacking)} 个细化到{last}", rule),
        (f"{name}：有支出的上级科目 {len(lacking)} 个未细化到{last}（{missing}）", rule),
    )


def _basic_project(inputs: Inputs, possible: Decimal) -> list[Item]:
    dataset = inputs.snapshot.dataset
    items = []
    for (key, columns), points in zip(spec.SPLIT_TABLES, split(possible, [Decimal(1)] * len(spec.SPLIT_TABLES))):
        table = dataset.get(key)
        if table is None:
            items.append(Item(f"没有{_absent(inputs, key)}，无法认定基本支出、项目支出是否分列", ZERO, points, "detail.basic_project"))
            continue
        split_out = all(not table.is_blank(TOTAL_ROW, column) for column in columns)
        text = f"{dataset.name_of(table)}合计行" + ("分列基本支出、项目支出" if split_out else "未分列基本支出、项目支出")
        items.append(Item(text, points if split_out else ZERO, points, "detail.basic_project"))
    return items


# -- 及时性 ------------------------------------------------------------------------------


def _deadline(inputs: Inputs, possible: Decimal) -> list[Item]:
    approved = inputs.approval_date
    if approved is None:
        return [Item("未登记批复日期，无法认定是否按时公开", ZERO, possible, "timeliness.no_approval_date")]
    deadline = approved + timedelta(days=spec.DEADLINE_DAYS)
    when = inputs.published or inputs.today
    late = (when - deadline).days
    head = f"批复 {approved:%Y-%m-%d}，截止 {deadline:%Y-%m-%d}，"
    if late <= 0:
        if inputs.published:
            return [Item(head + f"{inputs.published:%Y-%m-%d} 公开，按时", possible, possible, "timeliness.on_time")]
        return [Item(head + f"截至 {inputs.today:%Y-%m-%d} 尚未公开，未逾期", possible, possible, "timeliness.pending")]
    lost = min(possible, _cents(possible * late / inputs.scheme.late_days_to_zero))
    each = _cents(possible / inputs.scheme.late_days_to_zero)
    if inputs.published:
        text, rule = head + f"{inputs.published:%Y-%m-%d} 公开，逾期 {late} 天", "timeliness.late"
    else:
        text, rule = head + f"截至 {inputs.today:%Y-%m-%d} 尚未公开，已逾期 {late} 天", "timeliness.overdue"
    items = [Item(f"{text}：每天扣 {each} 分，共扣 {lost} 分", ZERO, lost, rule)]
    if possible - lost:
        left = f"逾期未满 {inputs.scheme.late_days_to_zero} 天，余下的分"
        items.insert(0, Item(left, possible - lost, possible - lost, "timeliness.deadline"))
    return items


# -- 一致性 ------------------------------------------------------------------------------


def _deducted(possible: Decimal, each: Decimal, counts: Counter, what: str, rule: str, clean: str) -> list[Item]:
    """One item per code that took points (each occurrence `each`, as far as they go), and the
    points left over for what was found clean."""
    items, left = [], possible
    for code, count in sorted(counts.items()):
        taken = min(left, each * count)
        items.append(Item(f"{what} {count} 处（{code}），每处扣 {each} 分", ZERO, taken, code))
        left -= taken
    if left or not items:
        items.append(Item(clean if not counts else f"其余{clean}", left, left, rule))
    return items


def _counted(inputs: Inputs) -> dict[str, Counter]:
    """The findings by the item they cost points in."""
    facts, errors, contradictions, warnings = Counter(), Counter(), Counter(), Counter()
    for code, severity in inputs.findings:
        if code == FACT_MISSING:
            facts[code] += 1
        elif code in COUNTED_ELSEWHERE:
            continue
        elif code == CONTRADICTION:
            contradictions[code] += 1
        elif severity == ERROR:
            errors[code] += 1
        elif severity == WARNING and code not in spec.WARNINGS_NOT_COUNTED:
            warnings[code] += 1
    return {"facts": facts, "errors": errors, "contradictions": contradictions, "warnings": warnings}


# -- 公开方式 ----------------------------------------------------------------------------


def _units(inputs: Inputs, possible: Decimal) -> list[Item]:
    if inputs.snapshot.kind == UNIT:
        return [Item("单位决算：不适用所属单位公开，得满分", possible, possible, "openness.units")]
    if not inputs.units or not inputs.units[1]:
        return [Item("本部门未登记所属单位", possible, possible, "openness.units")]
    published, expected = inputs.units
    published = min(published, expected)
    return _parts(
        possible, published, expected,
        (f"所属单位（含本级）已公开单位决算 {published}/{expected} 个", "openness.units"),
        (f"所属单位（含本级）未公开单位决算 {expected - published} 个", "openness.units_unpublished"),
    )


def _downloads(inputs: Inputs, possible: Decimal) -> list[Item]:
    return [Item("各表可下载 Excel、CSV，全部数据有 JSON 接口（本平台公开）", possible, possible, "openness.downloads")]


SIMPLE = {
    "tables": _tables, "profile": _profile, "reasons": _reasons, "performance": _performance,
    "basic_project": _basic_project, "deadline": _deadline, "units": _units, "downloads": _downloads,
}


def quality_score(
    snapshot: Snapshot,
    findings: Iterable[tuple[str, str]],
    *,
    approval_date: date | None,
    published: date | None,
    today: date,
    table_set: TableSet,
    units: tuple[int, int] | None = None,
    scheme: Scheme = DEFAULT_SCHEME,
    sections: list | None = None,
) -> Score:
    """The score of a version: `snapshot` with its texts; `findings` as (code, severity);
    `published` the day the disclosure was first published (None: not yet); `units` for a
    部门决算 (its units with a published 单位决算, its units); `sections` the 情况说明 when the caller
    has drafted it already (the findings service)."""
    inputs = Inputs(snapshot, list(findings), approval_date, published, today, table_set, units, scheme, sections)
    details = {detail.item: detail for detail in spec.DETAILS}
    counts = _counted(inputs)
    dimensions = []
    for dimension in spec.DIMENSIONS:
        weight = scheme.weight(dimension.key)
        possibles = split(Decimal(weight), [item.points for item in dimension.items])
        scale = Decimal(weight) / dimension.item_points if dimension.item_points else Decimal(0)
        items: list[Item] = []
        for item, possible in zip(dimension.items, possibles):
            if item.key in details:
                items += _detail(inputs, possible, details[item.key])
            elif item.each is not None:
                each = _cents(item.each * scale)
                items += _deducted(possible, each, counts[item.key], item.found, f"{dimension.key}.{item.key}", item.clean)
            else:
                items += SIMPLE[item.key](inputs, possible)
        dimensions.append(Dimension(dimension.key, dimension.label, weight, items))
    total = sum((d.points for d in dimensions), ZERO)
    return Score(total=total, grade=grade_of(total), dimensions=dimensions, as_of=f"{today:%Y-%m-%d}", scheme=scheme.name)
