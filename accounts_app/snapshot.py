"""One version as derived work reads it, loaded once by `selectors.version_snapshot`.

The checks, the consistency of the text with the figures, the drafting of 情况说明 and the
renderers are pure functions of a `Snapshot`: the figures (`Dataset`), the extra facts, the
written parts, the 概况, the 绩效自评表 as typed rows, and last year's published snapshot.
Nothing here reads the database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal

from .dataset import Dataset
from .specs.performance import KINDS
from .specs.outline import DEFAULT_OUTLINE
from .specs.reasons import ANY_DIFFERENCE, ReasonThreshold

DEPARTMENT, UNIT = "department", "unit"  # Disclosure.Kind values


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@dataclass
class Fund:
    """A 资金 row of a 绩效自评表 (年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分)."""

    label: str
    initial_budget: Decimal | None = None
    full_budget: Decimal | None = None
    executed: Decimal | None = None
    weight: Decimal | None = None
    rate: Decimal | None = None
    score: Decimal | None = None
    cell: str = ""
    position: int = 0

    DECIMALS = ("initial_budget", "full_budget", "executed", "weight", "rate", "score")


@dataclass
class Indicator:
    """An indicator row, or a 资金管理情况 row (group "management": level3 holds the item)."""

    group: str = "indicator"
    level1: str = ""
    level2: str = ""
    level3: str = ""
    target: str = ""
    actual: str = ""
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation: str = ""
    reason: str = ""
    cell: str = ""
    position: int = 0

    DECIMALS = ("weight", "score")


@dataclass
class Evaluation:
    """One 绩效自评表 of 第五部分 附件, as read from a workbook or stored with a version."""

    kind: str  # specs.performance.KINDS
    name: str
    department: str = ""
    implementer: str = ""
    goal_expected: str = ""
    goal_actual: str = ""
    tasks: list = field(default_factory=list)
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    sheet: str = ""
    position: int = 0
    funds: list[Fund] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    pk: int | None = None  # the stored row's id, for links to its form

    DECIMALS = ("total_weight", "total_score")

    @classmethod
    def from_data(cls, data: dict) -> Evaluation:
        """From plain data (the seed narratives, an older caller): amounts may be text."""
        return cls(
            **_clean(cls, {k: v for k, v in data.items() if k not in ("funds", "indicators")}),
            funds=[Fund(**_clean(Fund, row)) for row in data.get("funds", ())],
            indicators=[Indicator(**_clean(Indicator, row)) for row in data.get("indicators", ())],
        )

    def as_data(self) -> dict:
        """Plain data, as the seed narratives give it (without the stored id)."""
        data = asdict(self)
        del data["pk"]
        return data

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def management(self) -> list[Indicator]:
        return [row for row in self.indicators if row.group == "management"]

    @property
    def scored_indicators(self) -> list[Indicator]:
        return [row for row in self.indicators if row.group != "management"]


def _clean(kind: type, data: dict) -> dict:
    names = {f.name for f in fields(kind)}
    return {k: (_decimal(v) if k in kind.DECIMALS else v) for k, v in data.items() if k in names}


@dataclass
class Profile:
    """第一部分 概况 as entered (every field may be empty)."""

    duties: list = field(default_factory=list)
    organisation: str = ""
    internal_bodies: list = field(default_factory=list)
    units: list = field(default_factory=list)
    staff_in_service: int | None = None
    staff_retired: int | None = None
    staff_other: int | None = None
    staff_notes: str = ""


    @property
    def is_empty(self) -> bool:
        return not (
            self.duties or self.organisation or self.internal_bodies or self.units or self.staff_notes
            or any(n is not None for n in (self.staff_in_service, self.staff_retired, self.staff_other))
        )


PROFILE_FIELDS = tuple(f.name for f in fields(Profile))  # as the Profile model names them


@dataclass
class Snapshot:
    """A version's figures and texts, with last year's published key figures and, where asked
    for (a draft compares with them), its figures as `last`."""

    dataset: Dataset
    kind: str = DEPARTMENT
    outline: str = DEFAULT_OUTLINE
    facts: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    written: dict[tuple[str, str], str] = field(default_factory=dict)
    profile: Profile = field(default_factory=Profile)
    evaluations: list[Evaluation] = field(default_factory=list)
    summary: dict | None = None  # the key figures stored at publication
    narrative_sections: list | None = None  # 情况说明 as frozen at publication
    last: Snapshot | None = None  # last year's published figures, when loaded
    last_summary: dict | None = None  # last year's published key figures (charts)
    entity: str = ""  # the department's or unit's name, as the disclosure names it
    extra_sections: list[dict] = field(default_factory=list)  # the optional sections: {title, body, table}
    reason_threshold: ReasonThreshold = ANY_DIFFERENCE  # the region's (specs.reasons)

    @property
    def year(self) -> int:
        return self.dataset.year

    @property
    def subject(self) -> str:
        """How the 情况说明 names the one who speaks: 我部门 / 本单位."""
        return "本单位" if self.kind == UNIT else "我部门"
