"""When a difference needs its 主要原因 written (DOMAIN.md, "What the rules require"): each 项
whose 决算 differs from its 年初预算, and each year-on-year change of the overall,
一般公共预算, 三公 and 机关运行经费 sections. By default any difference does; a region may
set a threshold in `THRESHOLDS`, by its region code or its table set's key (region code first):

    THRESHOLDS = {"310107": ReasonThreshold(percent=Decimal("10"))}

A difference needs its reason when it exceeds both the amount (万元) and the percentage of the
figure it is measured against (a base of 0 exceeds any percentage). Below the threshold the
draft still offers the field; it is not required."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class ReasonThreshold:
    percent: Decimal = ZERO  # of the base: 年初预算, or last year's figure
    amount: Decimal = ZERO  # 万元

    def requires(self, now: Decimal | None, base: Decimal | None) -> bool:
        """Whether the change from `base` to `now` needs its reason; False when either is unknown."""
        if now is None or base is None or now == base:
            return False
        difference = abs(now - base)
        if difference <= self.amount:
            return False
        return base == 0 or difference * 100 > self.percent * abs(base)


ANY_DIFFERENCE = ReasonThreshold()
THRESHOLDS: dict[str, ReasonThreshold] = {}


def threshold_for(*, region_code: str = "", table_set: str = "", thresholds: dict | None = None) -> ReasonThreshold:
    thresholds = THRESHOLDS if thresholds is None else thresholds
    return thresholds.get(region_code) or thresholds.get(table_set) or ANY_DIFFERENCE
