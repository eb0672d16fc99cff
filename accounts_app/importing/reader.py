"""Reading a whole workbook: which table each sheet holds, each table read, what was not.

Every sheet gets a SheetReading: read as a table (by its own number and title, with its
rows, figures and 合计), or not read and why, in one sentence naming the sheet. A sheet
is identified by the best fit of title and header (importing.identify) unless the
department said what it is (`Expectation.mapping`, remembered from an earlier upload).
Nothing here stops at the first problem, and nothing touches the database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import islice

from defusedxml import DefusedXmlException

from ..dataset import Dataset, TableData, display_title
from ..snapshot import Evaluation
from ..specs import TableSet, ordered_keys, specs_for_year, template_specs
from .. import messages
from . import cells, identify, performance
from .parser import SheetParser, formula_problems
from .problems import ERROR, WARNING, Problem, WorkbookRejected
from .workbook import MAX_COLUMNS, MAX_ROWS, OpenedWorkbook

HEAD_ROWS = identify.TITLE_ROWS + identify.HEADER_ROWS + identify.LABEL_ROWS
PREVIEW_ROWS, PREVIEW_COLUMNS, PREVIEW_CHARS = 8, 10, 30
NOT_A_TABLE = ""  # a mapping choice: the sheet holds no disclosure table


class Status:
    READ = "read"
    FAILED = "failed"  # the table is there; its problems keep it from being read
    UNSURE = "unsure"
    FORM_UNKNOWN = "form_unknown"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"  # not a disclosure table
    EXCLUDED = "excluded"  # the department said it is not a disclosure table
    EVALUATION = "evaluation"  # 绩效自评表 of 第五部分 附件

    LABELS = {
        READ: "已读取",
        FAILED: "有错误，未读取",
        UNSURE: "无法确定是哪张表",
        FORM_UNKNOWN: "表式无法识别",
        DUPLICATE: "重复，未读取",
        IGNORED: "不是公开表，已忽略",
        EXCLUDED: "已按指定不作为公开表",
        EVALUATION: "绩效自评表",
    }
    NEEDS_CHOICE = {UNSURE, FORM_UNKNOWN, DUPLICATE, IGNORED}  # the mapping step may settle these


@dataclass
class Expectation:
    """What the uploader said the workbook is: checked against what it prints."""

    entity_names: set[str]
    entity_label: str
    year: int
    table_set: TableSet
    known_codes: dict = field(default_factory=dict)
    catalog_year: int | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # sheet name -> spec key, or NOT_A_TABLE


@dataclass
class SheetReading:
    sheet: str
    position: int
    status: str
    table: str = ""  # the spec key read as (or the best candidate)
    family: str = ""
    label: str = ""  # the department's own number: printed, else its table set's
    title: str = ""  # as printed, else the spec's
    rows: int = 0
    figures: int = 0
    headline: str = ""  # the table's 合计, formatted
    reason: str = ""  # why it was not read: one sentence naming the sheet
    candidates: list[dict] = field(default_factory=list)  # {"table", "label", "title", "score"}
    mapped: bool = False
    preview: list[list[str]] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return Status.LABELS.get(self.status, self.status)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ParseResult:
    dataset: Dataset
    problems: list[Problem]
    sheets: list[SheetReading] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)  # 绩效自评表

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


def parse_workbook(opened: OpenedWorkbook, expectation: Expectation) -> ParseResult:
    specs = specs_for_year(expectation.year)
    result = ParseResult(dataset=Dataset(year=expectation.year), problems=[])
    read_in: dict[str, SheetReading] = {}  # family -> the sheet it was read from
    for position, sheet_name in enumerate(opened.sheet_names):
        try:
            reading, table = _read_sheet(opened, sheet_name, position, specs, expectation, result)
        except DefusedXmlException:
            raise WorkbookRejected("file.unsafe_xml") from None
        except (WorkbookRejected, MemoryError):
            raise
        except Exception:  # malformed sheet XML surfaces lazily while iterating
            raise WorkbookRejected("file.corrupt") from None
        result.sheets.append(reading)
        if reading.status in (Status.READ, Status.FAILED, Status.FORM_UNKNOWN):
            other = read_in.get(reading.family)
            if other is not None:
                _duplicate(reading, other, result)
                continue
            read_in[reading.family] = reading
        if table is not None:
            result.dataset.tables[table.spec.key] = table
            result.dataset.labels[table.spec.family] = reading.label
    if not any(s.status not in (Status.IGNORED, Status.EXCLUDED) for s in result.sheets):
        titles = [expectation.table_set.title_of(spec) for spec in template_specs(expectation.table_set, expectation.year)[:2]]
        raise WorkbookRejected("file.no_tables", examples="".join(f"“{title}”" for title in titles))
    _report_missing(expectation, specs, read_in, result)
    _report_outside_set(expectation, result)
    order = {key: n for n, key in enumerate(ordered_keys(expectation.table_set, expectation.year))}
    result.dataset.tables = dict(sorted(result.dataset.tables.items(), key=lambda item: (order.get(item[0], 99), item[1].position)))
    return result


def _read_sheet(opened, sheet_name, position, specs, expectation, result) -> tuple[SheetReading, TableData | None]:
    """What the sheet is read as, and its table when it reads (not yet in the dataset)."""
    iterator = opened.rows(sheet_name)
    head = list(islice(iterator, HEAD_ROWS))
    reading = SheetReading(sheet=sheet_name, position=position, status=Status.IGNORED, preview=_preview(head))
    mapped = expectation.mapping.get(sheet_name)
    if mapped == NOT_A_TABLE:
        reading.status, reading.mapped = Status.EXCLUDED, True
        return reading, None
    if mapped is None and performance.is_evaluation_sheet(head[: identify.TITLE_ROWS]):
        reading.status = Status.EVALUATION
        _read_evaluations(opened, sheet_name, result)
        return reading, None
    found = identify.identify(head, specs, MAX_COLUMNS)
    if mapped in specs:
        spec, reading.mapped = specs[mapped], True
    elif found.form_unknown:
        return _form_unknown(reading, found, expectation, result, specs), None
    elif found.sure:
        spec = found.best.spec
    else:
        return _not_identified(reading, found, expectation, result), None
    rows = head + list(iterator)
    reading.table, reading.family = spec.key, spec.family
    reading.label = expectation.table_set.label_of(spec.family)
    reading.title = display_title(found.printed_title) or expectation.table_set.title_of(spec)
    if len(rows) > MAX_ROWS:
        problem = Problem(ERROR, "sheet.too_many_rows", {"limit": MAX_ROWS}, sheet=sheet_name, table=spec.key)
        return _failed(reading, problem, result), None
    title_row = found.title_row if found.title_row is not None else -1
    sheet_problems: list[Problem] = []
    parser = SheetParser(
        spec, sheet_name, position, rows, title_row, found.printed_title, expectation, sheet_problems, reading.label,
        stored=specs.get(spec.stores_as) if spec.stores_as else None,
    )
    table = parser.parse()
    reading.label = parser.table.printed_label or reading.label  # the number the sheet prints wins
    where = f"{reading.label}「{reading.title}」"
    result.problems.extend(formula_problems(opened, sheet_name, rows, where) + sheet_problems)
    if table is None:
        first = next((p for p in sheet_problems if p.is_error), None)
        return _failed(reading, first, result, reported=True), None
    reading.rows, reading.figures = len(table.lines), table.figure_count  # as the sheet prints them
    if spec.stores_as:
        table = table.stored_as(specs[spec.stores_as])
    reading.status, reading.table = Status.READ, table.spec.key
    headline = table.headline()
    reading.headline = cells.format_amount(headline) if headline is not None else ""
    return reading, table


def _read_evaluations(opened, sheet_name: str, result: ParseResult) -> None:
    rows = performance.sheet_rows(opened, sheet_name)
    if len(rows) > MAX_ROWS:
        result.problems.append(Problem(ERROR, "sheet.too_many_rows", {"limit": MAX_ROWS}, sheet=sheet_name))
        return
    sheet_problems = formula_problems(opened, sheet_name, rows)
    found, reading_problems = performance.parse_sheet(sheet_name, rows)
    result.problems.extend(sheet_problems + reading_problems)
    if not sheet_problems:
        result.evaluations.extend(found)


def _candidates(found: identify.Identification, table_set: TableSet) -> list[dict]:
    return [
        {
            "table": fit.spec.key,
            "label": table_set.label_of(fit.spec.family),
            "title": table_set.title_of(fit.spec),
            "score": round(fit.score, 2),
        }
        for fit in found.candidates()
    ]


def _named(candidates: list[dict]) -> str:
    return "、".join(f"{c['label']}「{c['title']}」" if c["label"] else f"「{c['title']}」" for c in candidates)


def _not_identified(reading, found, expectation, result) -> SheetReading:
    sheet = reading.sheet
    if found.contents:
        reading.reason = f"工作表「{sheet}」列有多张公开表的标题，是目录，不是公开表，已忽略。"
        result.problems.append(Problem(WARNING, "sheet.ignored", {"reason": reading.reason}, sheet=sheet))
        return reading
    if not found.fitting:
        why = "前 {rows} 行中没有公开表标题".format(rows=identify.TITLE_ROWS) if found.title_row is None else f"标题「{found.printed_title}」不是公开表的标题"
        reading.reason = f"工作表「{sheet}」不是公开表：{why}，表头也与各公开表不符，已忽略。"
        result.problems.append(Problem(WARNING, "sheet.ignored", {"reason": reading.reason}, sheet=sheet))
        return reading
    reading.status = Status.UNSURE
    reading.candidates = _candidates(found, expectation.table_set)
    best = reading.candidates[0]
    reading.table, reading.family = best["table"], found.best.spec.family
    if found.title_row is None:
        why = "没有表标题，按表头判断"
    elif found.best.title < identify.TITLE_SURE:
        why = f"标题「{found.printed_title}」与公开表的标题不完全相符"
    else:
        why = f"标题「{found.printed_title}」与表头对应不止一张表"
    reading.reason = f"工作表「{sheet}」无法确定是哪张公开表（{why}），可能是{_named(reading.candidates)}。请在“确认工作表”中指定。"
    result.problems.append(Problem(ERROR, "sheet.unsure", {"reason": reading.reason}, sheet=sheet))
    return reading


def _form_unknown(reading, found, expectation, result, specs) -> SheetReading:
    spec = found.titled.spec
    forms = [s for s in specs.values() if s.family == spec.family]
    reading.status, reading.table, reading.family = Status.FORM_UNKNOWN, spec.key, spec.family
    reading.label = expectation.table_set.label_of(spec.family)
    reading.title = display_title(found.printed_title) or expectation.table_set.title_of(spec)
    words = found.header[:8]
    known = "；".join(form.form or "、".join(c.heading for c in form.value_columns[:6]) for form in forms)
    reading.reason = (
        f"工作表「{reading.sheet}」是{reading.label}「{reading.title}」，但其表式本平台尚不能读取："
        f"表头为「{'、'.join(words)}」，与已知表式（{known}）都不相符。"
    )
    result.problems.append(Problem(ERROR, "table.form_unknown", {"reason": reading.reason}, sheet=reading.sheet, table=spec.key))
    return reading


def _failed(reading: SheetReading, problem: Problem | None, result: ParseResult, reported: bool = False) -> SheetReading:
    """The sheet holds the table, but `problem` keeps it from being read."""
    reading.status = Status.FAILED
    if problem is not None and not problem.where:
        problem.where = f"{reading.label}「{reading.title}」"
    why = messages.render(problem.code, **problem.params) if problem else "有错误未能读取"
    reading.reason = f"工作表「{reading.sheet}」是{reading.label}「{reading.title}」，但{why}" + ("" if why.endswith("。") else "。")
    if problem is not None and not reported:
        result.problems.append(problem)
    return reading


def _duplicate(reading: SheetReading, other: SheetReading, result: ParseResult) -> None:
    """Two sheets for one table: the first is kept, the second is not read."""
    reading.status = Status.DUPLICATE
    reading.reason = (
        f"工作表「{reading.sheet}」与工作表「{other.sheet}」都是{other.label}「{other.title}」，只读取了「{other.sheet}」。"
        "请删除多余的工作表，或在“确认工作表”中指定。"
    )
    result.problems.append(Problem(ERROR, "table.duplicate", {"reason": reading.reason}, sheet=reading.sheet, table=reading.table))


def _report_missing(expectation, specs, read_in, result) -> None:
    table_set = expectation.table_set
    pending = {c["table"] for s in result.sheets if s.status == Status.UNSURE for c in s.candidates}
    pending_families = {specs[key].family for key in pending if key in specs}
    for family in table_set.families:
        if family in read_in or family in pending_families:
            continue
        spec = specs[table_set.form_of(family)]
        result.problems.append(
            Problem(
                ERROR,
                "table.missing",
                {"label": table_set.label_of(spec.family), "title": table_set.title_of(spec)},
                table=spec.key,
            )
        )


def _report_outside_set(expectation, result) -> None:
    for reading in result.sheets:
        if reading.status == Status.READ and reading.family not in expectation.table_set.families:
            result.problems.append(
                Problem(WARNING, "table.not_in_set", {"title": reading.title}, sheet=reading.sheet, table=reading.table)
            )


def _preview(head: list[tuple]) -> list[list[str]]:
    """The sheet's first non-empty rows, as text, for the mapping step."""
    shown = []
    for row in head:
        texts = [cells.text(value)[:PREVIEW_CHARS] for value in row[:PREVIEW_COLUMNS]]
        if any(texts):
            while texts and not texts[-1]:
                texts.pop()
            shown.append(texts)
        if len(shown) >= PREVIEW_ROWS:
            break
    return shown
