"""Recomputing the 绩效自评表 of 第五部分 附件.

Scoring differs by region (weights, 不适用 rows scored at 60%, penalties above 100%,
capped 满意度), so the printed 分值 and 得分 are data, and only what holds everywhere is
recomputed — each failure a warning that the accountant explains or corrects:

- performance.rate          执行率 = 全年执行数 ÷ 全年预算数 × 100 (±0.1 个百分点; no budget: skipped)
- performance.score         资金得分 = 分值 × 执行率 (±0.01), where both are printed and 执行率 ≤ 100%
- performance.over_weight   得分 ≤ 分值, for 资金管理 and 绩效指标 rows
- performance.total         资金得分 + 资金管理得分 + 绩效指标得分 = 总分 (±0.01)
- performance.total_weight  the same sum of 分值 = 总分的分值

Pure: `evaluation_problems` reads one typed `snapshot.Evaluation` (as read from a workbook or
stored with a version); services.findings stores what it finds.
"""

from __future__ import annotations

from decimal import Decimal

from ..importing.cells import format_amount
from ..importing.problems import WARNING, Problem
from ..numbers import HUNDRED, ZERO, cents
from ..snapshot import Evaluation, Fund, Indicator
from ..specs.performance import KINDS, RATE_TOLERANCE, RULES, SCORE_TOLERANCE

PREFIX = "performance."


def number(value: Decimal) -> str:
    """A score as people write it: 9.11, 10, 95.2."""
    text = f"{cents(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: Decimal) -> str:
    return f"{cents(value):f}%"


class EvaluationCheck:
    """The recomputations of one 绩效自评表."""

    def __init__(self, evaluation: Evaluation):
        self.evaluation = evaluation
        self.table = f"{KINDS[evaluation.kind]}「{evaluation.name}」"
        self.funds = evaluation.funds
        self.management = evaluation.management
        self.indicators = evaluation.scored_indicators

    def problems(self) -> list[Problem]:
        return self.rates() + self.fund_scores() + self.over_weights() + self.totals()

    def problem(self, code: str, *, row: Fund | Indicator | None, label: str, column: str, expected: str, found: str, **params) -> Problem:
        cell = row.cell if row is not None else ""
        params = {
            "table": self.table,
            "row": f"「{label}」行" if row is not None else "",
            "at": f"（单元格 {cell}）" if cell else "",
            "expected": expected,
            "found": found,
            **params,
        }
        return Problem(
            WARNING,
            code,
            params,
            sheet=self.evaluation.sheet,
            cell=cell,
            table=self.evaluation.name,
            row=label,
            column=column,
            expected=expected,
            found=found,
            rule=RULES[code],
        )

    # -- 项目资金 / 部门整体支出 ------------------------------------------------------------
    @staticmethod
    def recomputed_rate(fund: Fund) -> Decimal | None:
        budget, executed = fund.full_budget, fund.executed
        if not budget or executed is None:  # no budget: nothing to divide by
            return None
        return executed / budget * HUNDRED

    def rates(self) -> list[Problem]:
        problems = []
        for fund in self.funds:
            expected, printed = self.recomputed_rate(fund), fund.rate
            if expected is None or printed is None or abs(printed - expected) <= RATE_TOLERANCE:
                continue
            problems.append(
                self.problem(
                    "performance.rate",
                    row=fund,
                    label=fund.label,
                    column="执行率",
                    expected=percent(expected),
                    found=percent(printed),
                    executed=format_amount(fund.executed),
                    budget=format_amount(fund.full_budget),
                    difference=number(abs(printed - expected)),
                )
            )
        return problems

    def fund_scores(self) -> list[Problem]:
        problems = []
        for fund in self.funds:
            weight, score = fund.weight, fund.score
            rate = fund.rate if fund.rate is not None else self.recomputed_rate(fund)
            if weight is None or score is None or rate is None or rate > HUNDRED:
                continue  # above 100% the regions' rules differ
            expected = weight * rate / HUNDRED
            if abs(score - expected) <= SCORE_TOLERANCE:
                continue
            problems.append(
                self.problem(
                    "performance.score",
                    row=fund,
                    label=fund.label,
                    column="得分",
                    expected=number(expected),
                    found=number(score),
                    weight=number(weight),
                    rate=percent(rate),
                )
            )
        return problems

    # -- 资金管理情况 and 绩效指标 ----------------------------------------------------------
    def over_weights(self) -> list[Problem]:
        return [
            self.problem(
                "performance.over_weight",
                row=row,
                label=row.level3,
                column="得分",
                expected=number(row.weight),
                found=number(row.score),
            )
            for row in self.management + self.indicators
            if row.weight is not None and row.score is not None and row.score > row.weight
        ]

    # -- 总分 -------------------------------------------------------------------------------
    @staticmethod
    def _sum(rows: list[Fund] | list[Indicator], field: str) -> Decimal:
        return sum((getattr(row, field) for row in rows if getattr(row, field) is not None), ZERO)

    def totals(self) -> list[Problem]:
        problems = []
        for code, field, printed in (
            ("performance.total", "score", self.evaluation.total_score),
            ("performance.total_weight", "weight", self.evaluation.total_weight),
        ):
            parts = [self._sum(rows, field) for rows in (self.funds, self.management, self.indicators)]
            expected = sum(parts, ZERO)
            if printed is None or abs(expected - printed) <= SCORE_TOLERANCE:
                continue
            funds, management, indicators = (number(part) for part in parts)
            problems.append(
                self.problem(
                    code,
                    row=None,
                    label="总分",
                    column="得分" if field == "score" else "分值",
                    expected=number(expected),
                    found=number(printed),
                    funds=funds,
                    management=management,
                    indicators=indicators,
                    difference=number(abs(expected - printed)),
                )
            )
        return problems


def evaluation_problems(evaluation: Evaluation) -> list[Problem]:
    """The recomputed differences of one 绩效自评表, as warnings."""
    return EvaluationCheck(evaluation).problems()
