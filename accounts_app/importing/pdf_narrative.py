"""The text of a published PDF: which department, year and kind it is, and its parts.

The text outside the tables (importing.pdf_reader: page furniture left out) is split into
parts at their headings 「第一部分 …」 … 「第五部分 …」, each part known by what its title says
(概况, 决算表, 情况说明, 名词解释, 附件; another part — 重点工作完成情况 — kept as it is). A
contents page lists the same headings first: the last heading of each number is the part's.
A part's lines are joined into paragraphs (a new one at an indented line, a numbered heading,
or after a line that stops short of the right margin). 第三部分 情况说明 is split further
into its numbered sections 「一、…」 and their subsections 「（一）…」. Pure: no database.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import cells
from .pdf_reader import TextLine

_PART = re.compile(r"^第([一二三四五六七八九十])部分(.*)$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}(?:[、．]|\.(?!\d))|[（(]\d+[）)])")
_SECTION = re.compile(r"^([一二三四五六七八九十]+)[、.．](.+)$")
_SUBSECTION = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)](.+)$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度")
_CONTENTS_LEADER = re.compile(r"(?:\.{3,}|…{2,}|·{3,})\s*\d*$")
HEADING_CHARS = 40  # a heading is a short line …
TITLE_WRAP_CHARS = 4  # … whose title may end on the next line (「…决算情况」 / 「说明」)
COVER_PAGES = 2
_NUMBERS = "一二三四五六七八九十"

PART_KINDS = (  # what a part's title says it is, first match
    ("profile", "概况"),
    ("narrative", "情况说明"),
    ("narrative", "决算情况"),
    ("tables", "决算表"),
    ("glossary", "名词解释"),
    ("attachments", "附件"),
)


@dataclass
class PublishedSection:
    number: str  # 一 / （一）
    title: str
    paragraphs: list[str] = field(default_factory=list)
    subsections: list["PublishedSection"] = field(default_factory=list)


@dataclass
class PublishedPart:
    number: str  # 第三部分
    kind: str  # profile / tables / narrative / glossary / attachments / other
    title: str
    paragraphs: list[str] = field(default_factory=list)

    def sections(self) -> list[PublishedSection]:
        """The numbered sections of the part (情况说明), paragraphs before the first one in a
        section without number or title."""
        found: list[PublishedSection] = []
        current: PublishedSection | None = None
        for paragraph in self.paragraphs:
            heading = paragraph if len(paragraph) <= HEADING_CHARS and not paragraph.endswith("。") else ""
            if match := _SECTION.match(heading):
                current = PublishedSection(match.group(1), match.group(2).strip())
                found.append(current)
                continue
            if (match := _SUBSECTION.match(heading)) and current is not None:
                current.subsections.append(PublishedSection(f"（{match.group(1)}）", match.group(2).strip()))
                continue
            if current is None:
                current = PublishedSection("", "")
                found.append(current)
            target = current.subsections[-1] if current.subsections else current
            target.paragraphs.append(paragraph)
        return found

    def as_data(self) -> dict:
        return {"number": self.number, "kind": self.kind, "title": self.title, "paragraphs": list(self.paragraphs)}


def cover_text(lines: list[TextLine]) -> str:
    """The first pages' text without spaces: where the document names its department and year."""
    first = lines[0].page if lines else 1
    return "".join(cells.compact(line.text) for line in lines if line.page < first + COVER_PAGES)


def document_year(lines: list[TextLine]) -> int | None:
    """The year the cover names (「2024 年度部门决算」), else the one the text names most."""
    for text in (cover_text(lines), "".join(line.text for line in lines)):
        years = Counter(int(year) for year in _YEAR.findall(text))
        if years:
            return years.most_common(1)[0][0]
    return None


def document_is_unit(lines: list[TextLine]) -> bool:
    """Whether the cover says 单位决算 (else it is a 部门决算)."""
    text = cover_text(lines)
    return "单位决算" in text and "部门决算" not in text


def split_parts(lines: list[TextLine]) -> list[PublishedPart]:
    found: list[tuple[int, int]] = []  # (line, part number)
    for n, line in enumerate(lines):
        text = cells.compact(line.text)
        if _PART.match(text) and len(text) <= HEADING_CHARS and not text.endswith("。") and not _CONTENTS_LEADER.search(line.text):
            found.append((n, _NUMBERS.index(_PART.match(text).group(1))))
    # A contents page lists the headings first: the parts start after the last heading whose
    # number does not follow on the one before it (第一部分 again after 第五部分).
    restart = max((i for i in range(1, len(found)) if found[i][1] <= found[i - 1][1]), default=0)
    starts = [n for n, _ in found[restart:]]
    parts = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(lines)
        number, title = _PART.match(cells.compact(lines[start].text)).groups()
        body = lines[start + 1 : end]
        if body and len(cells.compact(body[0].text)) <= TITLE_WRAP_CHARS and not _HEADING.match(cells.compact(body[0].text)):
            title, body = title + cells.compact(body[0].text), body[1:]
        kind = next((kind for kind, word in PART_KINDS if word in title), "other")
        parts.append(PublishedPart(number=f"第{number}部分", kind=kind, title=title, paragraphs=paragraphs(body)))
    return parts


def paragraphs(lines: list[TextLine]) -> list[str]:
    """Lines joined into paragraphs."""
    found: list[str] = []
    left, right = _margins(lines)
    previous: TextLine | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        starts = (
            previous is None
            or _HEADING.match(cells.compact(text))
            or line.x0 > left.get(line.page, line.x0) + 1.5 * line.size
            or previous.x1 < right.get(previous.page, previous.x1) - 2 * previous.size
        )
        if starts:
            found.append(text)
        else:
            found[-1] = _joined(found[-1], text)
        previous = line
    return found


def _margins(lines: list[TextLine]) -> tuple[dict[int, float], dict[int, float]]:
    """Each page's text block: where most lines start and end (justified lines end together)."""
    starts: dict[int, Counter] = {}
    ends: dict[int, Counter] = {}
    for line in lines:
        starts.setdefault(line.page, Counter())[round(line.x0)] += 1
        ends.setdefault(line.page, Counter())[round(line.x1)] += 1
    left = {page: float(min(x for x, n in counts.items() if n == max(counts.values()))) for page, counts in starts.items()}
    right = {page: float(max(x for x, n in counts.items() if n == max(counts.values()))) for page, counts in ends.items()}
    return left, right


def _joined(text: str, more: str) -> str:
    if text[-1:].isascii() and text[-1:].isalnum() and more[:1].isascii() and more[:1].isalnum():
        return f"{text} {more}"
    return text + more
