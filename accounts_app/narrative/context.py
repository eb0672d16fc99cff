"""What a draft of 情况说明 reads (`Context`, from a version's `Snapshot`) and how a section is
built (`Builder`): paragraphs, and the parts people write (`WrittenField`) merged where they end."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..dataset import Dataset, TableData
from ..numbers import ZERO
from ..snapshot import Snapshot
from ..specs.key_figures import LAST_YEAR, figure_value, key_figures
from ..specs.outline import DEFAULT_OUTLINE
from ..specs.reasons import ANY_DIFFERENCE, ReasonThreshold
from ..specs.tables.common import chinese_ordinal


@dataclass
class WrittenField:
    """A part people write: shown after `lead` (“主要原因是”) in its section."""

    key: str
    label: str
    lead: str
    text: str = ""
    required: bool = False  # a difference the text must explain (主要原因): cannot be submitted empty


@dataclass
class Section:
    key: str
    number: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    fields: list[WrittenField] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        """A heading is printed only over something: a paragraph here or in a subsection."""
        return bool(self.paragraphs) or any(sub.has_content for sub in self.subsections)

    @property
    def heading(self) -> str:
        """“一、收入决算情况说明” for a section, “（一）总体情况” for a subsection."""
        number = self.number or ""
        if not number or number.startswith("（") or number[-1] in "、.．":
            return f"{number}{self.title}"
        return f"{number}、{self.title}"


@dataclass
class Context:
    year: int
    subject: str  # 我部门 / 本单位
    dataset: Dataset
    facts: dict[tuple[str, str], Decimal]
    written: dict[tuple[str, str], str]
    last: dict[str, Decimal]  # last year's figures by their fact key: published disclosure, else facts
    evaluations: list = field(default_factory=list)
    outline: str = DEFAULT_OUTLINE  # the region's (specs.outline)
    reason_threshold: ReasonThreshold = ANY_DIFFERENCE  # the region's (specs.reasons)

    def needs_reason(self, now: Decimal | None, base: Decimal | None) -> bool:
        """Whether a difference the draft states must have its 主要原因 written."""
        return self.reason_threshold.requires(now, base)

    def table(self, key: str) -> TableData | None:
        return self.dataset.get(key)

    def value(self, key: str, row: str, column: str) -> Decimal | None:
        """The amount of a cell; None when the table, the cell or its amount is missing."""
        table = self.table(key)
        return table.value(row, column) if table else None

    def fact(self, key: str, code: str = "") -> Decimal | None:
        """A fact's figure; None when not entered or when 「无」 was chosen (see `stated`)."""
        return self.facts.get((key, code))

    def stated(self, key: str, code: str = "") -> bool:
        """Entered: a figure, or 「无」 chosen. What is not stated is unknown, never zero."""
        return (key, code) in self.facts

    def nil(self, key: str, code: str = "") -> bool:
        """「无」 chosen."""
        return (key, code) in self.facts and self.facts[(key, code)] is None

    def amount(self, key: str, code: str = "") -> Decimal | None:
        """A stated fact as an amount (「无」 reads 0); None when unknown."""
        return (self.facts[(key, code)] or ZERO) if (key, code) in self.facts else None

    def figure(self, name: str) -> Decimal | None:
        return self.figures.get(name)

    def __post_init__(self):
        self.figures = key_figures(self.dataset)


def labelled(ctx: Context, key: str, label: str, block: int, column: str = "amount") -> Decimal | None:
    """The amount of the fixed row printed as `label` (表01, 表04)."""
    table = ctx.table(key)
    row = table.spec.row_labelled(label, block) if table else None
    return table.value(row, column) if row else None


def last_year_figures(dataset: Dataset | None, facts: dict[tuple[str, str], Decimal]) -> dict[str, Decimal]:
    """Last year's totals, by the extra fact that stands in for each (specs.key_figures.LAST_YEAR):
    from its published disclosure when the portal has it, each gap filled from the fact entered."""
    found = {}
    for fact, figure in LAST_YEAR.items():
        value = figure_value(figure, dataset) if dataset is not None else None
        found[fact] = value if value is not None else facts.get((fact, ""))
    return {key: value for key, value in found.items() if value is not None}


def context_of(snapshot: Snapshot) -> Context:
    """What a draft reads, from a version's snapshot (last year's figures from its published
    snapshot, each gap filled from the facts)."""
    return Context(
        year=snapshot.year,
        subject=snapshot.subject,
        dataset=snapshot.dataset,
        facts=snapshot.facts,
        written=snapshot.written,
        last=last_year_figures(snapshot.last.dataset if snapshot.last else None, snapshot.facts),
        evaluations=snapshot.evaluations,
        outline=snapshot.outline,
        reason_threshold=snapshot.reason_threshold,
    )


class Builder:
    """Collects one section's paragraphs and the written fields they end with."""

    def __init__(self, ctx: Context, key: str, title: str, number: str = ""):
        self.ctx = ctx
        self.section = Section(key=key, number=number, title=title)

    def say(self, *sentences: str) -> None:
        text = "".join(s for s in sentences if s)
        if text:
            self.section.paragraphs.append(text)

    def written(self, key: str, label: str, lead: str = "", *, required: bool = False) -> str:
        """Declare a written part and return it as the sentence that ends a paragraph."""
        text = self.ctx.written.get((self.section.key, key), "").strip()
        self.section.fields.append(WrittenField(key=key, label=label, lead=lead, text=text, required=required))
        if not text:
            return ""
        return f"{lead}{text}" + ("" if text[-1] in "。！？；.!?" else "。")

    def sub(self, key: str, title: str) -> "Builder":
        number = f"（{chinese_ordinal(len(self.section.subsections) + 1)}）"
        builder = Builder(self.ctx, f"{self.section.key}_{key}", title, number=number)
        self.section.subsections.append(builder.section)
        return builder
