"""What changed between two versions (or against last year): per table, per row and
column, the old and new amount and the difference; and, between two versions, the text part
section by section (概况, 补充数据, the written parts of 情况说明, 其他章节, 绩效自评表), each
change with its old and new text and the words inserted and deleted. Pure over Datasets and
Snapshots; the names of the places (`fact_label`, `written_places`) are also what the audit
log says was edited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from ..dataset import Dataset
from ..narrative.drafting import draft_sections
from ..numbers import money
from ..snapshot import PROFILE_FIELDS, Evaluation, Snapshot
from ..specs.facts import CODE_LISTS, FACTS_BY_KEY
from ..specs.performance import KINDS


@dataclass
class CellChange:
    row: str
    label: str
    column: str
    column_label: str
    old: Decimal | None
    new: Decimal | None
    old_blank: bool
    new_blank: bool

    @property
    def difference(self) -> Decimal | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


@dataclass
class TableChanges:
    key: str
    title: str
    changes: list[CellChange] = field(default_factory=list)


def dataset_changes(old: Dataset, new: Dataset) -> list[TableChanges]:
    """Every cell whose amount differs (blank, —— and 0.00 are all different), by table."""
    result = []
    for key in list(new.tables) + [k for k in old.tables if k not in new.tables]:
        new_table, old_table = new.tables.get(key), old.tables.get(key)
        spec = (new_table or old_table).spec
        changes = TableChanges(key, spec.title)
        rows = list((new_table.lines if new_table else {}).keys())
        rows += [k for k in (old_table.lines if old_table else {}) if k not in rows]
        for row in rows:
            new_line = new_table.lines.get(row) if new_table else None
            old_line = old_table.lines.get(row) if old_table else None
            label = (new_line or old_line).label
            for column in spec.stored_columns:
                new_has = bool(new_line and column.key in new_line.values)
                old_has = bool(old_line and column.key in old_line.values)
                new_value = new_line.values.get(column.key) if new_has else None
                old_value = old_line.values.get(column.key) if old_has else None
                if new_has == old_has and new_value == old_value:
                    continue
                changes.changes.append(
                    CellChange(row, label, column.key, column.heading, old_value, new_value, not old_has, not new_has)
                )
        if changes.changes:
            result.append(changes)
    return result


# -- the text part ---------------------------------------------------------------------------

PROFILE_LABELS = {
    "duties": "部门职责",
    "organisation": "机构设置",
    "internal_bodies": "内设机构",
    "units": "决算单位构成",
    "staff_in_service": "在职人员",
    "staff_retired": "离退休人员",
    "staff_other": "其他人员",
    "staff_notes": "人员情况说明",
}
PARTS = ("第一部分 概况", "补充数据", "第三部分 情况说明", "其他章节", "第五部分 绩效自评表")
NOT_ENTERED = "（未填写）"
_TOKEN = re.compile(r"[0-9][0-9,.]*%?|[A-Za-z]+|\s+|.", re.S)


@dataclass
class TextChange:
    part: str  # one of PARTS
    where: str  # the field, fact, section or table changed
    old: str
    new: str

    @property
    def pieces(self) -> list[tuple[str, str]]:
        """The new text as (kind, text) runs: kind "same", "inserted" or "deleted" (old text).
        Compared character by character, an amount or a Latin word as one."""
        old, new = _TOKEN.findall(self.old), _TOKEN.findall(self.new)
        matcher = SequenceMatcher(None, old, new, autojunk=False)
        pieces = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                pieces.append(("same", "".join(new[j1:j2])))
                continue
            if i2 > i1:
                pieces.append(("deleted", "".join(old[i1:i2])))
            if j2 > j1:
                pieces.append(("inserted", "".join(new[j1:j2])))
        return pieces


def fact_label(key: str, code: str = "") -> str:
    """「机关运行经费支出」, 「车辆（按用途）：执法执勤用车」, 「一般公共预算财政拨款支出年初预算（按项）：2101501」."""
    spec = FACTS_BY_KEY.get(key)
    label = spec.label if spec else key
    if not code:
        return label
    named = dict(CODE_LISTS.get(spec.per, ())) if spec else {}
    return f"{label}：{named.get(code, code)}"


def fact_text(key: str, value: Decimal | None) -> str:
    """A fact as entered: 76.23, 3 (counts), 无 (stated not to exist)."""
    if value is None:
        return "无"
    spec = FACTS_BY_KEY.get(key)
    return money(value) if spec is None or spec.is_amount else f"{int(value):,}"


def _short(written) -> str:
    """“2101501 差异原因” for a per-item reason, “主要原因” for a section's."""
    code = written.key.rsplit("_", 1)[-1]
    part = written.label.rsplit("：", 1)[-1]
    return f"{code} {part}" if code.isdigit() and code != written.key else part


def written_places(sections, parent: str = "") -> dict[tuple[str, str], str]:
    """(section, field) → the short place of a written part: 「五（三）2101501 差异原因」, 「一、主要原因」."""
    places = {}
    for section in sections:
        number = f"{parent}{section.number}"
        gap = "" if parent or number.startswith("（") else "、"
        for written in section.fields:
            places[(section.key, written.key)] = f"{number}{gap}{_short(written)}"
        places.update(written_places(section.subsections, number))
    return places


def _written_headings(sections, parent: str = "") -> dict[tuple[str, str], str]:
    headings = {}
    for section in sections:
        heading = f"{parent}{section.heading}"
        headings.update({(section.key, w.key): f"{heading} · {w.label}" for w in section.fields})
        headings.update(_written_headings(section.subsections, f"{heading} "))
    return headings


def _profile_text(value) -> str:
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return "" if value is None else str(value)


def _evaluation_rows(evaluation: Evaluation) -> dict[str, str]:
    """The rows of a 绩效自评表 as lines of text, by a name that survives re-ordering."""
    def amount(value):
        return "" if value is None else f"{value:f}"

    rows = {
        "年度总体目标·预期目标": evaluation.goal_expected,
        "年度总体目标·实际完成情况": evaluation.goal_actual,
        "总分": f"分值 {amount(evaluation.total_weight)}；得分 {amount(evaluation.total_score)}",
    }
    for fund in evaluation.funds:
        rows[f"资金「{fund.label}」"] = (
            f"年初预算数 {amount(fund.initial_budget)}；全年预算数 {amount(fund.full_budget)}；全年执行数 {amount(fund.executed)}；"
            f"分值 {amount(fund.weight)}；执行率 {amount(fund.rate)}；得分 {amount(fund.score)}"
        )
    for row in evaluation.indicators:
        name = "资金管理" if row.group == "management" else "指标"
        rows[f"{name}「{row.level3}」"] = (
            f"{row.target} → {row.actual}；分值 {amount(row.weight)}；得分 {amount(row.score)}"
            + (f"；{row.reason}" if row.reason else "")
        )
    return rows


def _evaluation_changes(old: list[Evaluation], new: list[Evaluation]) -> list[TextChange]:
    part = PARTS[4]
    by_name_old = {(e.kind, e.name): e for e in old}
    by_name_new = {(e.kind, e.name): e for e in new}
    changes = []
    for key in list(by_name_new) + [k for k in by_name_old if k not in by_name_new]:
        title = f"{KINDS.get(key[0], key[0])}「{key[1]}」"
        before, after = by_name_old.get(key), by_name_new.get(key)
        if before is None or after is None:
            changes.append(TextChange(part, title, "" if before is None else "（有此表）", "（新增此表）" if before is None else "（已删除此表）"))
            continue
        rows_old, rows_new = _evaluation_rows(before), _evaluation_rows(after)
        for row in list(rows_new) + [r for r in rows_old if r not in rows_new]:
            if rows_old.get(row, "") != rows_new.get(row, ""):
                changes.append(TextChange(part, f"{title} {row}", rows_old.get(row, ""), rows_new.get(row, "")))
    return changes


def _extra_text(section: dict) -> str:
    table = "\n".join(" | ".join(row) for row in section.get("table") or [])
    return "\n".join(part for part in (section.get("body", ""), table) if part)


def snapshot_text_changes(old: Snapshot, new: Snapshot) -> list[TextChange]:
    """What the text part of `new` changes from `old`, in the order of the document."""
    changes = []
    for name in PROFILE_FIELDS:
        before, after = _profile_text(getattr(old.profile, name)), _profile_text(getattr(new.profile, name))
        if before != after:
            changes.append(TextChange(PARTS[0], PROFILE_LABELS.get(name, name), before, after))
    for key in list(new.facts) + [k for k in old.facts if k not in new.facts]:
        before = fact_text(key[0], old.facts[key]) if key in old.facts else NOT_ENTERED
        after = fact_text(key[0], new.facts[key]) if key in new.facts else NOT_ENTERED
        if before != after:
            changes.append(TextChange(PARTS[1], fact_label(*key), before, after))
    headings = {**_written_headings(draft_sections(old)), **_written_headings(draft_sections(new))}
    order = list(headings)
    written = sorted(set(old.written) | set(new.written), key=lambda k: order.index(k) if k in order else len(order))
    for key in written:
        before, after = old.written.get(key, ""), new.written.get(key, "")
        if before != after:
            changes.append(TextChange(PARTS[2], headings.get(key, " · ".join(key)), before, after))
    extra_old = {s["title"]: _extra_text(s) for s in old.extra_sections}
    extra_new = {s["title"]: _extra_text(s) for s in new.extra_sections}
    for title in list(extra_new) + [t for t in extra_old if t not in extra_new]:
        if title not in extra_old or title not in extra_new or extra_old[title] != extra_new[title]:
            changes.append(TextChange(PARTS[3], title, extra_old.get(title, ""), extra_new.get(title, "")))
    return changes + _evaluation_changes(old.evaluations, new.evaluations)
