"""A problem found while reading or checking a workbook: where, what, expected vs found."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import messages

ERROR = "error"
WARNING = "warning"
MISSING = "missing"  # not an error in what was given: something still to be stated (narrative.requirements)


@dataclass
class Problem:
    severity: str
    code: str
    params: dict = field(default_factory=dict)
    sheet: str = ""
    cell: str = ""
    table: str = ""
    row: str = ""
    column: str = ""
    expected: str = ""
    found: str = ""
    rule: str = ""
    where: str = ""  # the table by its own number and title: 表七「财政拨款“三公”经费支出决算表」

    @property
    def message(self) -> str:
        text = messages.render(self.code, **self.params)
        return f"{self.where}：{text}" if self.where and self.where not in text else text

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.location}：{self.message}" if self.location else self.message


class WorkbookRejected(Exception):
    """The file cannot be read as a workbook at all; nothing else can be said about it."""

    def __init__(self, code: str, **params):
        self.problem = Problem(ERROR, code, params)
        super().__init__(self.problem.message)


def sort_key(problem: Problem):
    return (problem.severity != ERROR, problem.sheet, problem.cell)
