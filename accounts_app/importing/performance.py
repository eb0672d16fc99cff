"""Reading the 绩效自评表 of 第五部分 附件 out of a worksheet. Pure: no database.

A sheet holds a 项目支出绩效自评表 or a 部门整体支出绩效自评表, found by its title in the
first rows (never by the sheet's name); several may stand one under another, each from
its title down. Within one, every part is found by its label — 项目资金/部门整体支出情况,
资金管理情况, 年度总体目标/年度履职目标, 年度主要任务, 绩效指标, 总分 — and every column
by the header labels of its own part, so the shifts between documents (the fund labels
in column B here and C there, 情况说明 merged over other columns) do not matter.

The result is one snapshot.Evaluation per table (read part by part as plain data): printed
执行率 and 得分 are kept as data; checking.performance recomputes them. A row's `cell` is
where a finding about it points: its 得分 (else its 执行率), not its label.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..snapshot import Evaluation
from ..specs.performance import (
    AMOUNTS,
    FUND_COLUMNS,
    GOAL_COLUMNS,
    HEADINGS,
    INDICATOR_COLUMNS,
    INDICATOR_REQUIRED,
    MANAGEMENT_COLUMNS,
    PART_NAMES,
    PARTS,
    PROJECT,
    TASK_COLUMNS,
    TITLE_KINDS,
    TITLE_PATTERN,
)
from . import cells
from .evaluation_sheet import NAME_KEYS, EvaluationSheet, Part, address, after_colon, fund_label, is_heading_label
from .problems import Problem
from .workbook import MAX_COLUMNS, MAX_ROWS, TITLE_ROWS, OpenedWorkbook

_TITLE = re.compile(TITLE_PATTERN)
GOAL_LABELS = tuple(cells.label_key(label) for label in (*PARTS["goal"], "预期目标", "实际完成情况"))


def kind_of(text: str) -> str | None:
    match = _TITLE.search(cells.label_key(text))
    if match is None:
        return None
    return TITLE_KINDS[match.group(1)]


def title_rows(rows: list[tuple]) -> list[tuple[int, str]]:
    """(row index, kind) of every 绩效自评表 title in the rows."""
    found = []
    for r, row in enumerate(rows):
        for value in row:
            if isinstance(value, str) and len(cells.label_key(value)) <= 40 and (kind := kind_of(value)):
                found.append((r, kind))
                break
    return found


def is_evaluation_sheet(head: list[tuple]) -> bool:
    """Whether a sheet's first rows carry a 绩效自评表 title."""
    return bool(title_rows(head[:TITLE_ROWS]))


def sheet_rows(opened: OpenedWorkbook, sheet_name: str) -> list[tuple]:
    """The sheet's values, bounded like OpenedWorkbook.rows, with numbers formatted as
    percentages (0.542 shown as 54.2%) turned into the text they show ("54.2%")."""
    sheet = opened.book[sheet_name]
    return [
        tuple(_shown(cell) for cell in row)
        for row in sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)
    ]


def _shown(cell):
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (getattr(cell, "number_format", "") or ""):
        return f"{(Decimal(repr(value)) * 100).normalize():f}%"
    return value


def parse_sheet(sheet_name: str, rows: list[tuple]) -> tuple[list[Evaluation], list[Problem]]:
    """Every 绩效自评表 of a sheet, and the problems found reading them."""
    titles = title_rows(rows)
    bounds = [r for r, _ in titles] + [len(rows)]
    evaluations, problems = [], []
    for n, (start, kind) in enumerate(titles):
        reader = EvaluationReader(sheet_name, rows, start, bounds[n + 1], kind)
        evaluation = reader.read()
        problems.extend(reader.problems)
        if evaluation is not None:
            evaluations.append(Evaluation.from_data(evaluation))
    return evaluations, problems


class EvaluationReader(EvaluationSheet):
    """Reads the parts of one 绩效自评表 into plain data."""

    def read(self) -> dict | None:
        parts = self.parts()
        heading_end = min((p.start for p in parts.values()), default=self.end)
        data = {"kind": self.kind, "sheet": self.sheet[:100], **self.read_heading(heading_end)}
        self.name = data["name"]
        if not data["name"]:
            label = "项目名称" if self.kind == PROJECT else "部门（单位）名称"
            self.error("evaluation.missing_name", self.start, 0, label=label)
        for key in ("funds", "indicators"):
            if key not in parts:
                self.error("evaluation.missing_part", self.start, 0, part=PART_NAMES[key])
        if "total" not in parts:
            self.error("evaluation.missing_total", self.start, 0)
        indicator_header = None
        if "indicators" in parts:
            indicator_header = self.find_header(parts["indicators"], INDICATOR_COLUMNS, required=INDICATOR_REQUIRED)
            if indicator_header is None:
                self.error("evaluation.missing_column", parts["indicators"].start, 0, part="绩效指标", column="三级指标、分值、得分")
        if self.failed:
            return None
        data["funds"] = self.read_funds(parts["funds"])
        data["indicators"] = self.read_management(parts.get("management")) + self.read_indicators(parts["indicators"], *indicator_header)
        data.update(self.read_goal(parts.get("goal")))
        data["tasks"] = self.read_tasks(parts.get("tasks"))
        data.update(self.read_total(parts["total"], indicator_header[1]))
        return None if self.failed else data

    def read_heading(self, end: int) -> dict:
        """项目名称 / 部门（单位）名称, 主管部门 and 实施单位, each followed by its value."""
        values = {"name": "", "department": "", "implementer": ""}
        for r in range(self.start + 1, end):
            texts = self.texts(r)
            for i, (c, text) in enumerate(texts):
                key = cells.label_key(text)
                field = (
                    "name" if key.startswith(NAME_KEYS)
                    else "department" if key.startswith("主管部门")
                    else "implementer" if key.startswith("实施单位")
                    else None
                )
                if field is None or values[field]:
                    continue
                value = after_colon(text) or (texts[i + 1][1] if i + 1 < len(texts) else "")
                if value and is_heading_label(value):
                    value = ""
                values[field] = self.checked_text(value, field, r, c)
        return values

    def read_funds(self, part: Part) -> list[dict]:
        header = self.find_header(part, FUND_COLUMNS, required=("full_budget", "executed"))
        if header is None:
            self.error("evaluation.missing_column", part.start, 0, part="项目资金", column="全年预算数、全年执行数")
            return []
        header_row, columns = header
        first_value = min(columns.values())
        heading = {cells.label_key(t) for _, t in self.texts(part.start, 0, first_value)}
        funds = []
        for r in range(header_row + 1, part.end):
            labels = [(c, t) for c, t in self.texts(r, 0, first_value) if cells.label_key(t) not in heading]
            label = fund_label(labels[-1][1]) if labels else ""
            where = f"「{label}」行" if label else f"第 {r + 1} 行"
            row = {
                field: (self.rate(r, c, where) if field == "rate" else self.number(r, c, HEADINGS[field], where, amount=field in AMOUNTS))
                for field, c in columns.items()
            }
            if not label and all(value is None for value in row.values()):
                continue
            if not label:
                self.error("evaluation.missing_label", r, first_value, column="资金", row=r + 1)
                continue
            label_column = labels[-1][0]
            figure = next((columns[f] for f in ("score", "rate") if f in columns), label_column)  # what a finding points at
            funds.append({"label": self.checked_text(label, "label", r, label_column), **row, "cell": address(r, figure)})
        return funds

    def read_management(self, part: Part | None) -> list[dict]:
        """资金管理情况: the item, its 情况说明, 分值, 得分 and 存在问题和改进措施."""
        if part is None:
            return []
        header = self.find_header(part, MANAGEMENT_COLUMNS, required=("weight", "score"))
        if header is None:
            self.error("evaluation.missing_column", part.start, 0, part="资金管理情况", column="分值、得分")
            return []
        header_row, columns = header
        skip = {"资金管理情况"}
        rows = []
        for r in range(header_row + 1, part.end):
            texts = [(c, t) for c, t in self.texts(r, 0, columns["weight"]) if cells.label_key(t) not in skip]
            if not texts and not self.texts(r):
                continue
            item = texts[0][1] if texts else ""
            where = f"「{item}」行" if item else f"第 {r + 1} 行"
            weight = self.number(r, columns["weight"], "分值", where)
            score = self.number(r, columns["score"], "得分", where)
            if not item:
                if weight is not None or score is not None:
                    self.error("evaluation.missing_label", r, 0, column="资金管理项目", row=r + 1)
                continue
            rows.append(
                {
                    "group": "management",
                    "level3": self.checked_text(item, "level3", r, texts[0][0]),
                    "target": self.checked_text(" ".join(t for _, t in texts[1:]), "target", r, texts[0][0]),
                    "weight": weight,
                    "score": score,
                    "reason": self.joined(r, columns["reason"], MAX_COLUMNS) if "reason" in columns else "",
                    "cell": address(r, columns["score"]),  # the figure a finding is about
                }
            )
        return rows

    def read_goal(self, part: Part | None) -> dict:
        """年度总体目标 / 年度履职目标: 预期目标 and 实际完成情况, below their headings."""
        if part is None:
            return {"goal_expected": "", "goal_actual": ""}
        header = self.find_header(part, GOAL_COLUMNS, required=("goal_expected",))
        first_row, split = (header[0] + 1, header[1].get("goal_actual", MAX_COLUMNS)) if header else (part.start, MAX_COLUMNS)
        expected, actual = [], []
        for r in range(first_row, part.end):
            expected.append(self.joined(r, 0, split, GOAL_LABELS))
            actual.append(self.joined(r, split, MAX_COLUMNS, GOAL_LABELS))
        return {"goal_expected": "\n".join(t for t in expected if t), "goal_actual": "\n".join(t for t in actual if t)}

    def read_tasks(self, part: Part | None) -> list[dict]:
        """年度主要任务 (部门整体): 任务名称, 主要内容, 实际完成情况."""
        if part is None:
            return []
        header = self.find_header(part, TASK_COLUMNS, required=("name",))
        if header is None:
            self.error("evaluation.missing_column", part.start, 0, part="年度主要任务", column="任务名称")
            return []
        header_row, columns = header
        order = sorted(columns.items(), key=lambda item: item[1])
        tasks = []
        for r in range(header_row + 1, part.end):
            task = {field: "" for field in TASK_COLUMNS}
            for n, (field, c) in enumerate(order):
                last = order[n + 1][1] if n + 1 < len(order) else MAX_COLUMNS
                task[field] = self.joined(r, c, last)
            if any(task.values()):
                tasks.append(task)
        return tasks

    def read_indicators(self, part: Part, header_row: int, columns: dict[str, int]) -> list[dict]:
        """绩效指标 rows; 一级/二级指标 merged over several rows (blank below) carried down."""
        order = sorted(columns.items(), key=lambda item: item[1])
        level1 = level2 = ""
        rows = []
        for r in range(header_row + 1, part.end):
            if not self.texts(r):
                continue
            texts = {}
            for n, (field, c) in enumerate(order):
                last = order[n + 1][1] if n + 1 < len(order) else MAX_COLUMNS
                texts[field] = self.joined(r, c, last)
            where = f"「{texts['level3']}」行" if texts["level3"] else f"第 {r + 1} 行"
            weight = self.number(r, columns["weight"], "分值", where)
            score = self.number(r, columns["score"], "得分", where)
            if texts.get("level1"):
                level1, level2 = texts["level1"], texts.get("level2", "")
            elif texts.get("level2"):
                level2 = texts["level2"]
            if not texts["level3"]:
                if weight is not None or score is not None:
                    self.error("evaluation.missing_label", r, columns["level3"], column="三级指标", row=r + 1)
                continue
            row = {"group": "indicator", "level1": level1, "level2": level2}
            for field in ("level3", "target", "actual", "deviation"):
                row[field] = self.checked_text(texts.get(field, ""), field, r, columns.get(field, columns["level3"]))
            row.update(weight=weight, score=score, reason=texts.get("reason", ""), cell=address(r, columns["score"]))
            row["level1"] = self.checked_text(row["level1"], "level1", r, columns.get("level1"))
            row["level2"] = self.checked_text(row["level2"], "level2", r, columns.get("level2"))
            rows.append(row)
        return rows

    def read_total(self, part: Part, columns: dict[str, int]) -> dict:
        """总分: its 分值 and 得分 stand under the indicators' columns."""
        r = part.start
        return {
            "total_weight": self.number(r, columns["weight"], "分值", "总分行"),
            "total_score": self.number(r, columns["score"], "得分", "总分行"),
        }
