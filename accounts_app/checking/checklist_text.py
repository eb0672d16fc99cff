"""The reviewer's checklist: what people write (第三部分's written parts, 第一部分 概况, the
extra sections, the 附件's texts) and the tables' own titles.

Conservative by design: a number is taken for an amount only as written with two decimals
and matched to a figure the version holds; a 增加/减少 only where its sentence compares
with last year and names a figure the consistency vocabulary knows; 部门/单位 wording only
where the text calls the disclosure itself so. Amounts and shares against the figures are
narrative.consistency's (narrative.contradiction), not repeated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..importing.problems import ERROR, WARNING, Problem
from ..narrative.consistency import vocabulary
from ..numbers import ZERO, cents, money
from ..snapshot import UNIT, Snapshot
from ..specs.base import chinese_ordinal
from ..specs.key_figures import LAST_YEAR, NAMED, NAMED_SOURCES
from ..specs.outline import OUTLINES
from ..specs.tables import three_public
from ..specs.tables.subject_tables import GPB_EXPENSE
from .checklist_base import Plain, Rule, cell_value, fact, fact_entered, money_figures

PLACEHOLDER = Rule(
    "rule.placeholder", ERROR, "文字中没有占位符",
    "情况说明的填写内容、概况、其他章节和绩效自评表的文字中没有 XX、××、【…】（文号年份如【2023】除外）、"
    "（填写…）、（此处…）、___ 等未替换的占位符。",
)
UNIT_SLIP = Rule(
    "rule.unit_slip", WARNING, "元与万元没有混用",
    "写成“元”的两位小数金额等于本版本某个万元金额（应为万元），或等于某个万元金额的一万倍（按元书写）；"
    "写成“万元”的金额等于某个万元金额的一万倍（元误作万元）。只比对本版本表中和补充数据中的金额。",
)
CHANGE_DIRECTION = Rule(
    "rule.change_direction", ERROR, "增加、减少与实际变动方向一致",
    "与上年比较的句子中，紧随一个可识别的数字名称（如“基本支出”“机关运行经费”）的“增加/增长/上升”“减少/下降/降低”“持平”，"
    "与本年数减上年数（上年已公开的数据，或补充数据中的上年度数据）的方向一致；上年数不知道时不检查。",
)
COMPLETION_WITHOUT_BUDGET = Rule(
    "rule.completion_without_budget", ERROR, "年初预算为 0 或“无”时不写完成预算比例",
    "写有“完成年初预算（的）X%”或“完成预算（的）X%”，而所说的预算（一般公共预算财政拨款、各项、“三公”经费、"
    "政府性基金、国有资本经营）为 0 或填了“无”。所说的预算未填写时不检查。",
)
KIND_WORDING = Rule(
    "rule.kind_wording", ERROR, "部门决算与单位决算的称谓一致",
    "部门决算的文字和表标题中不自称“单位决算”（“2023年度单位决算”“本单位决算”），单位决算中不自称“部门决算”；提到所属单位的决算不算。",
)
RULES = (PLACEHOLDER, UNIT_SLIP, CHANGE_DIRECTION, COMPLETION_WITHOUT_BUDGET, KIND_WORDING)


# -- the texts and where they are -------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    place: str
    text: str
    section: str = ""  # a written part's section and field (情况说明)
    field: str = ""
    source: str = "written"  # written, profile, extra, evaluation, table
    heading: str = ""  # a written part's section heading: what a 完成预算 in it speaks of


SUBSECTIONS = {
    "overall": "总体情况", "structure": "结构情况", "detail": "具体情况",
    "management": "绩效管理工作开展情况", "results": "绩效自评结果", "key_evaluation": "重点绩效评价结果",
}
FIELDS = {"reason": "原因说明", "change_reason": "与上年度相比的变化原因", "uses": "主要用于", "text": "正文"}
PROFILE = (("duties", "部门职责"), ("organisation", "机构设置"), ("internal_bodies", "内设机构"),
           ("units", "决算单位构成"), ("staff_notes", "人员情况说明"))


def _headings(outline: str) -> dict[str, str]:
    found = {}
    for n, entry in enumerate(OUTLINES.get(outline, ()), 1):
        key, title = entry[0], entry[1]
        found[key] = f"{chinese_ordinal(n)}、{title}"
        for m, (member, member_title) in enumerate(entry[2] if len(entry) == 3 else (), 1):
            found[member] = f"{found[key]}（{chinese_ordinal(m)}）{member_title}"
    return found


def written_place(snapshot: Snapshot, section: str, field: str) -> tuple[str, str]:
    """(第三部分 情况说明 五、一般公共预算财政拨款支出决算情况说明·具体情况「2101501 行政运行 差异原因」,
    the section's heading)."""
    headings = _headings(snapshot.outline)
    base = next((key for key in sorted(headings, key=len, reverse=True) if section == key or section.startswith(f"{key}_")), "")
    heading = headings.get(base, section)
    rest = section[len(base) + 1:] if base and section != base else ""
    if rest:
        heading += f"·{SUBSECTIONS.get(rest, rest)}"
    if field.startswith("reason_"):
        item = field.removeprefix("reason_")
        table = snapshot.dataset.get(GPB_EXPENSE)
        line = table.lines.get(item) if table else None
        name = three_public.ITEM_NAMES.get(item) or (f"{item} {line.label}" if line else item)
        label = f"{name} 差异原因"
    else:
        label = FIELDS.get(field, field)
    return f"第三部分 情况说明 {heading}「{label}」", heading


def _link(text: Text) -> dict:
    """What a finding carries to link to the field it names: a written part's section and field."""
    return {"section": text.section, "field": text.field, "source": text.source}


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _part(item, name: str):
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def texts(snapshot: Snapshot) -> list[Text]:
    """Everything people wrote into the version, each with the place a reader finds it."""
    found = []
    for (section, field), text in snapshot.written.items():
        if text:
            place, heading = written_place(snapshot, section, field)
            found.append(Text(place, text, section, field, heading=heading))
    for name, label in PROFILE:
        value = getattr(snapshot.profile, name, None)
        items = value if isinstance(value, (list, tuple)) else [value]
        for n, item in enumerate(items, 1):
            number = f"第 {n} 条" if isinstance(value, (list, tuple)) and len(items) > 1 else ""
            found += [Text(f"第一部分 概况「{label}」{number}", s, source="profile") for s in _strings(item) if s]
    for n, section in enumerate(getattr(snapshot, "extra_sections", None) or (), 1):
        title = _part(section, "title") or ""
        place = f"其他章节「{title}」" if title else f"第 {n} 个其他章节"
        found += [Text(f"{place}标题", title, source="extra")] if title else []
        found += [Text(f"{place}正文", s, source="extra") for s in _strings(_part(section, "body")) if s]
        found += [Text(f"{place}表格", s, source="extra") for s in _strings(_part(section, "table")) if s]
    for evaluation in snapshot.evaluations:
        place = f"第五部分 附件「{evaluation.name}」"
        parts = [evaluation.name, evaluation.goal_expected, evaluation.goal_actual, *_strings(evaluation.tasks)]
        parts += [s for row in evaluation.indicators for s in (row.level3, row.target, row.actual, row.reason)]
        found += [Text(place, s, source="evaluation") for s in parts if s]
    for table in snapshot.dataset.tables.values():
        name = snapshot.dataset.name_of(table)
        found += [Text(f"{name}标题", table.printed_title, source="table")] if table.printed_title else []
        found += [Text(f"{name}说明", table.note, source="table")] if table.note else []
    return found


# -- placeholders -----------------------------------------------------------------------------

PLACEHOLDERS = re.compile(
    r"(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])"  # XX, xx, ＸＸ (NFKC)
    r"|×{2,}"
    # 【】 empty or asking for something; not a heading (【主要成效】) nor a document number's year (新财预【2022】342号)
    r"|【\s*】|【[^】\n]{0,30}?(?:填|请|此处|待|XX|xx|××|名称|金额|数额|数字|日期|原因|具体|…|\.\.\.)[^】\n]{0,30}】"
    r"|\(\s*(?:请)?(?:填写|填列|待填|待补充)[^)\n]{0,30}\)"
    r"|\(\s*此处[^)\n]{0,40}\)"
    r"|_{3,}"
)


def placeholders(snapshot: Snapshot, found: list[Text]) -> list[Problem]:
    problems = []
    for text in found:
        if text.source == "table":
            continue
        plain = Plain.of(text.text)
        for match in PLACEHOLDERS.finditer(plain.text):
            written = plain.quote(match.start(), match.end())
            problems.append(
                PLACEHOLDER.problem(where=text.place, params={**_link(text), "placeholder": written, "excerpt": plain.around(match.start(), match.end())},
                                    found=written)
            )
    return problems


# -- 元 and 万元 --------------------------------------------------------------------------------

AMOUNT = re.compile(r"(?<![\d.,])(?P<number>\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2})(?![\d.])\s*(?P<unit>万元|元)(?!\s*/)", re.ASCII)
TEN_THOUSAND = Decimal(10000)


def unit_slips(snapshot: Snapshot, found: list[Text]) -> list[Problem]:
    figures = money_figures(snapshot)
    problems = []
    for text in found:
        if text.source not in ("written", "extra"):
            continue
        plain = Plain.of(text.text)
        for match in AMOUNT.finditer(plain.text):
            number = _decimal(match.group("number"))
            if number is None or number <= 0:
                continue
            in_wan = cents(number / TEN_THOUSAND)
            if match.group("unit") == "元" and number in figures:
                meant = f"{match.group('number')} 万元"
            elif number >= TEN_THOUSAND and in_wan in figures and number not in figures:
                meant = f"{money(in_wan)} 万元"
            else:
                continue
            written = plain.quote(match.start(), match.end())
            problems.append(
                UNIT_SLIP.problem(where=text.place, params={**_link(text), "written": written, "meant": meant,
                                                            "excerpt": plain.around(match.start(), match.end())},
                                  expected=meant, found=written)
            )
    return problems


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


# -- 增加/减少 against the change -----------------------------------------------------------------

SENTENCE = re.compile(r"[^。；;！？!?\n]+")
COMPARED = re.compile(r"上年|上一年|去年|同比")
DIRECTION = re.compile(r"(?P<up>增加|增长|上升|提高)|(?P<down>减少|下降|降低)|(?P<flat>持平)")
NOT_THE_FIGURE = re.compile(r"原因|由于|因为|主要是|其中|用于|[未不没]$")
NEAR = 24  # characters between the figure's name and its verb
OPERATING_COST = "机关运行经费"  # as narrative.consistency's vocabulary names the fact


def changes(snapshot: Snapshot, found: list[Text]) -> list[Problem]:
    now = {figure.name: figure for figure in vocabulary(snapshot.dataset, snapshot.facts)}
    last = _last_year(snapshot)
    names = sorted((name for name in now if name in last and name in _unambiguous(snapshot)), key=len, reverse=True)
    problems = []
    for text in found:
        if text.source not in ("written", "extra") or not names:
            continue
        plain = Plain.of(text.text)
        for sentence in SENTENCE.finditer(plain.text):
            if COMPARED.search(sentence.group(0)):
                problems += _sentence_changes(text, plain, sentence, names, now, last)
    return problems


def _sentence_changes(text, plain, sentence, names, now, last) -> list[Problem]:
    problems, seen = [], set()
    body, offset = sentence.group(0), sentence.start()
    for verb in DIRECTION.finditer(body):
        before = body[: verb.start()]
        named = max(((before.rfind(name) + len(name), len(name), name) for name in names if name in before), default=None)
        if named is None or named[2] in seen:
            continue
        end, _, name = named
        between = before[end:]
        if len(between) > NEAR or NOT_THE_FIGURE.search(between):
            continue
        seen.add(name)
        difference = now[name].amount - last[name]
        said = verb.lastgroup
        actual = "up" if difference > 0 else "down" if difference < 0 else "flat"
        if said == actual:
            continue
        words = {"up": "增加", "down": "减少", "flat": "持平"}
        problems.append(
            CHANGE_DIRECTION.problem(
                where=text.place,
                params={**_link(text), "name": name, "verb": verb.group(0), "now": money(now[name].amount), "last": money(last[name]),
                        "actual": words[actual], "excerpt": plain.around(offset + verb.start(), offset + verb.end(), 20)},
                expected=words[actual], found=verb.group(0),
            )
        )
    return problems


def _unambiguous(snapshot: Snapshot) -> set[str]:
    """The names that say one figure: the key figures', the income sources' and 机关运行经费 — not
    a 类's name, which may speak of all spending or of 一般公共预算 alone."""
    names = {name for named in NAMED for name in named.names} | {OPERATING_COST}
    for key in NAMED_SOURCES:
        table = snapshot.dataset.get(key)
        names |= {column.label for column in table.spec.blocks[0].value_columns} if table else set()
    return names


def _last_year(snapshot: Snapshot) -> dict[str, Decimal]:
    """Last year's figures by the names people write: its published tables, else the facts entered."""
    found = {}
    if snapshot.last is not None:
        found = {figure.name: figure.amount for figure in vocabulary(snapshot.last.dataset, snapshot.last.facts)}
    for key, figure in LAST_YEAR.items():
        value = fact(snapshot, key)
        for named in NAMED:
            if named.figure.key == figure.key and value is not None:
                for name in named.names:
                    found.setdefault(name, value)
    operating = fact(snapshot, "operating_cost_last_year")
    if operating is not None:
        found.setdefault(OPERATING_COST, operating)
    return found


# -- 完成预算 X% without a budget ---------------------------------------------------------------

COMPLETION = re.compile(r"完成(?P<initial>年初)?预算(?:数)?(?:的)?\s*\d+(?:\.\d+)?\s*%")
# What a 完成预算 speaks of: the first of these words in its section's heading, else in its sentence.
THREE_PUBLIC, GOV_FUND_WORD, SOE_WORD, GPB_WORD = TOPICS = ("三公", "政府性基金", "国有资本经营", "一般公共预算")


def completions(snapshot: Snapshot, found: list[Text]) -> list[Problem]:
    problems = []
    for text in found:
        if text.source not in ("written", "extra"):
            continue
        plain = Plain.of(text.text)
        for match in COMPLETION.finditer(plain.text):
            sentence = next((s.group(0) for s in SENTENCE.finditer(plain.text) if s.start() <= match.start() < s.end()), "")
            budget = _budget(snapshot, text, sentence, bool(match.group("initial")))
            if budget is None or budget[0] != ZERO:
                continue
            problems.append(
                COMPLETION_WITHOUT_BUDGET.problem(
                    where=text.place,
                    params={**_link(text), "written": plain.quote(match.start(), match.end()), "budget": budget[1], "value": budget[2],
                            "excerpt": plain.around(match.start(), match.end())},
                    found=plain.quote(match.start(), match.end()),
                )
            )
    return problems


def _budget(snapshot: Snapshot, text: Text, sentence: str, initial: bool) -> tuple[Decimal, str, str] | None:
    """(the budget the sentence completes, its name, as entered); None when not known."""
    topic = next((word for word in TOPICS if word in text.heading), "") or next((word for word in TOPICS if word in sentence), "")
    item = text.field.removeprefix("reason_") if text.field.startswith("reason_") else ""
    if topic == GPB_WORD:
        if item and fact_entered(snapshot, "initial_budget", item):
            return _entered(snapshot, "initial_budget", f"{item} 的年初预算", item)
        if fact_entered(snapshot, "initial_budget_total"):
            return _entered(snapshot, "initial_budget_total", "一般公共预算财政拨款支出年初预算")
        return None
    if topic == GOV_FUND_WORD and fact_entered(snapshot, "fund_initial_budget"):
        return _entered(snapshot, "fund_initial_budget", "政府性基金预算财政拨款支出年初预算")
    if topic == SOE_WORD and fact_entered(snapshot, "capital_initial_budget"):
        return _entered(snapshot, "capital_initial_budget", "国有资本经营预算财政拨款支出年初预算")
    if topic == THREE_PUBLIC:
        item = item if item in three_public.ITEM_NAMES else three_public.TOTAL_ITEM
        table = snapshot.dataset.get(three_public.KEY)
        column = (three_public.INITIAL_COLUMN if initial else three_public.BUDGET_COLUMN).format(item=item)
        value = cell_value(table, three_public.ROW, column)
        name = f"“三公”经费{three_public.ITEM_NAMES[item] if item != three_public.TOTAL_ITEM else ''}{'年初' if initial else ''}预算数"
        if value is not None:
            return value, name, f"{money(value)} 万元"
        if initial and item != three_public.TOTAL_ITEM and fact_entered(snapshot, "three_public_initial_budget", item):
            return _entered(snapshot, "three_public_initial_budget", name, item)
    return None


def _entered(snapshot: Snapshot, key: str, name: str, code: str = "") -> tuple[Decimal, str, str]:
    value = snapshot.facts[(key, code)]
    return fact(snapshot, key, code), name, "“无”" if value is None else f"{money(value)} 万元"


# -- 部门决算 / 单位决算 --------------------------------------------------------------------------

# Where a text names the disclosure itself: 「2023年度单位决算」, 「本单位决算」, 「我部门决算」 (a
# mention of others' — 「下属行政事业单位决算」, 「所属单位决算」 — is not its own wording).
ITSELF = re.compile(r"(?:\d{4}\s*年度?|本|我|^)\s*$")


def kind_wording(snapshot: Snapshot, found: list[Text]) -> list[Problem]:
    wrong, right = ("部门决算", "单位决算") if snapshot.kind == UNIT else ("单位决算", "部门决算")
    problems = []
    for text in found:
        plain = Plain.of(text.text)
        for match in re.finditer(wrong, plain.text):
            if not ITSELF.search(plain.text[: match.start()]):
                continue
            problems.append(
                KIND_WORDING.problem(where=text.place, params={**_link(text), "wrong": wrong, "right": right,
                                                               "excerpt": plain.around(match.start(), match.end())},
                                     expected=right, found=wrong)
            )
    return problems


CHECKS = (placeholders, unit_slips, changes, completions, kind_wording)


def text_problems(snapshot: Snapshot) -> list[Problem]:
    found = texts(snapshot)
    return [problem for check in CHECKS for problem in check(snapshot, found)]
