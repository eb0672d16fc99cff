"""Recomputing the 绩效自评表 of 第五部分 附件.

Scoring differs by region (weights, 不适用 rows scored at 60%, penalties above 100%,
capped 满意度), so the printed 分值 and 得分 are data, and only what holds everywhere is
recomputed — each failure a warning that the accountant explains or corrects:

- performance.rate          执行率 = 全年执行数 ÷ 全年预算数 × 100 (±0.1 个百分点; no budget: skipped)
- performance.score         资金得分 = 分值 × 执行率 (±0.01), where both are printed and 执行率 ≤ 100%
- performance.over_weight   得分 ≤ 分值, for 资金管理 and 绩效指标 rows
- performance.total         资金得分 + 资金管理得分 + 绩效指标得分 = 总分 (±0.01)
- performance.total_weight  the same sum of 分值 = 总分的分值

`evaluation_problems` is pure and reads the dicts of importing.performance /
services.narrative.evaluation_data; `performance_findings_refresh` stores the findings of
a version's evaluations, replacing the previous ones (keeping the explanations of those
that are found again).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from ..importing.cells import format_amount
from ..importing.problems import WARNING, Problem
from ..models import Finding, PerformanceEvaluation, Version

PREFIX = "performance."
RATE_TOLERANCE = Decimal("0.1")
SCORE_TOLERANCE = Decimal("0.01")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

RULES = {
    "performance.rate": "执行率 = 全年执行数 ÷ 全年预算数 × 100%",
    "performance.score": "资金得分 = 分值 × 执行率",
    "performance.over_weight": "得分不应超过分值",
    "performance.total": "总分 = 资金得分 + 资金管理得分 + 各项绩效指标得分",
    "performance.total_weight": "总分的分值 = 资金、资金管理和各项绩效指标的分值之和",
}


def number(value: Decimal) -> str:
    """A score as people write it: 9.11, 10, 95.2."""
    text = f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}%"


class EvaluationCheck:
    """The recomputations of one 绩效自评表 (a dict shaped like evaluation_data())."""

    def __init__(self, evaluation: dict):
        self.evaluation = evaluation
        kind = PerformanceEvaluation.Kind(evaluation["kind"]).label
        self.table = f"{kind}「{evaluation['name']}」"
        self.funds = evaluation.get("funds", [])
        self.management = [row for row in evaluation.get("indicators", []) if row.get("group") == "management"]
        self.indicators = [row for row in evaluation.get("indicators", []) if row.get("group", "indicator") != "management"]

    def problems(self) -> list[Problem]:
        return self.rates() + self.fund_scores() + self.over_weights() + self.totals()

    def problem(self, code: str, *, row: dict | None, label: str, column: str, expected: str, found: str, **params) -> Problem:
        cell = (row or {}).get("cell", "")
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
            sheet=self.evaluation.get("sheet", "")[:100],
            cell=cell,
            table=self.evaluation["name"][:40],
            row=label[:30],
            column=column,
            expected=expected[:100],
            found=found[:100],
            rule=RULES[code],
        )

    # -- 项目资金 / 部门整体支出 ------------------------------------------------------------
    @staticmethod
    def recomputed_rate(fund: dict) -> Decimal | None:
        budget, executed = fund.get("full_budget"), fund.get("executed")
        if not budget or executed is None:  # no budget: nothing to divide by
            return None
        return executed / budget * HUNDRED

    def rates(self) -> list[Problem]:
        problems = []
        for fund in self.funds:
            expected, printed = self.recomputed_rate(fund), fund.get("rate")
            if expected is None or printed is None or abs(printed - expected) <= RATE_TOLERANCE:
                continue
            problems.append(
                self.problem(
                    "performance.rate",
                    row=fund,
                    label=fund["label"],
                    column="执行率",
                    expected=percent(expected),
                    found=percent(printed),
                    executed=format_amount(fund["executed"]),
                    budget=format_amount(fund["full_budget"]),
                    difference=number(abs(printed - expected)),
                )
            )
        return problems

    def fund_scores(self) -> list[Problem]:
        problems = []
        for fund in self.funds:
            weight, score = fund.get("weight"), fund.get("score")
            rate = fund.get("rate") if fund.get("rate") is not None else self.recomputed_rate(fund)
            if weight is None or score is None or rate is None or rate > HUNDRED:
                continue  # above 100% the regions' rules differ
            expected = weight * rate / HUNDRED
            if abs(score - expected) <= SCORE_TOLERANCE:
                continue
            problems.append(
                self.problem(
                    "performance.score",
                    row=fund,
                    label=fund["label"],
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
                label=row.get("level3", ""),
                column="得分",
                expected=number(row["weight"]),
                found=number(row["score"]),
            )
            for row in self.management + self.indicators
            if row.get("weight") is not None and row.get("score") is not None and row["score"] > row["weight"]
        ]

    # -- 总分 -------------------------------------------------------------------------------
    @staticmethod
    def _sum(rows: list[dict], field: str) -> Decimal:
        return sum((row[field] for row in rows if row.get(field) is not None), ZERO)

    def totals(self) -> list[Problem]:
        problems = []
        for code, field, printed in (
            ("performance.total", "score", self.evaluation.get("total_score")),
            ("performance.total_weight", "weight", self.evaluation.get("total_weight")),
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


def evaluation_problems(evaluation: dict) -> list[Problem]:
    """The recomputed differences of one 绩效自评表, as warnings."""
    return EvaluationCheck(evaluation).problems()


def _identity(finding: Finding) -> tuple:
    return (finding.code, finding.table, finding.row, finding.column, finding.cell, finding.expected, finding.found)


def performance_findings_refresh(version: Version) -> list[Finding]:
    """Recompute every 绩效自评表 of the version and store the differences as warnings,
    replacing the previous performance.* findings; an explanation already given stays
    with the same finding."""
    from ..services.narrative import evaluation_data

    evaluations = version.evaluations.prefetch_related("funds", "indicators")
    findings = [
        problem.finding(version) for evaluation in evaluations for problem in evaluation_problems(evaluation_data(evaluation))
    ]
    with transaction.atomic():
        previous = version.findings.filter(code__startswith=PREFIX)
        explained = {_identity(f): f.explanation for f in previous if f.explanation}
        for finding in findings:
            finding.explanation = explained.get(_identity(finding), "")
        previous.delete()
        Finding.objects.bulk_create(findings)
    return findings
