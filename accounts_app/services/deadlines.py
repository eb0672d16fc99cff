"""The statutory deadline: publication within 20 days of the finance bureau's 批复
(预算法 第十四条). Counted in calendar days; the 20th day after 批复 is the last one.

A disclosure's stage is where its work stands: a version in review (UNDER_REVIEW) makes it
审核中 — also when an earlier version is public and this one corrects it (its deadline was
met or missed by the first publication, which still decides the urgency)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Min, Q
from django.utils import timezone

from ..models import Disclosure, Version
from ..models.disclosure import UNDER_REVIEW

LIMIT_DAYS = 20
AT_RISK_DAYS = 5

Status = Version.Status


@dataclass
class DeadlineRow:
    disclosure: Disclosure
    deadline: date | None
    days_left: int | None
    first_published: date | None
    stage: str  # not_submitted / under_review / published
    urgency: str  # overdue / at_risk / on_track / published_late / published_on_time / no_date
    correcting: bool = False  # published, and a correction is under review

    STAGES = {"not_submitted": "未提交", "under_review": "审核中", "published": "已公开"}
    URGENCIES = {
        "overdue": "已逾期",
        "at_risk": "即将到期",
        "on_track": "期限内",
        "published_late": "逾期公开",
        "published_on_time": "按期公开",
        "no_date": "未登记批复日期",
    }

    @property
    def stage_label(self) -> str:
        return "更正审核中" if self.correcting else self.STAGES[self.stage]

    @property
    def urgency_label(self) -> str:
        return self.URGENCIES[self.urgency]


def deadline_of(approval_date: date | None) -> date | None:
    return approval_date + timedelta(days=LIMIT_DAYS) if approval_date else None


def deadline_rows(disclosures, today: date | None = None) -> list[DeadlineRow]:
    """One row per disclosure, in two queries, most urgent first."""
    today = today or timezone.localdate()
    annotated = disclosures.annotate(
        first_published=Min("versions__published_at", filter=Q(versions__status=Status.PUBLISHED)),
        under_review=Min("versions__id", filter=Q(versions__status__in=UNDER_REVIEW)),
    )
    rows = []
    for disclosure in annotated:
        deadline = deadline_of(disclosure.approval_date)
        published = timezone.localtime(disclosure.first_published).date() if disclosure.first_published else None
        days_left = (deadline - today).days if deadline else None
        if published:
            stage = "under_review" if disclosure.under_review else "published"
            urgency = "no_date" if not deadline else ("published_late" if published > deadline else "published_on_time")
        else:
            stage = "under_review" if disclosure.under_review else "not_submitted"
            if deadline is None:
                urgency = "no_date"
            elif days_left < 0:
                urgency = "overdue"
            elif days_left <= AT_RISK_DAYS:
                urgency = "at_risk"
            else:
                urgency = "on_track"
        correcting = bool(published and disclosure.under_review)
        rows.append(DeadlineRow(disclosure, deadline, days_left, published, stage, urgency, correcting))
    order = ["overdue", "at_risk", "on_track", "no_date", "published_late", "published_on_time"]
    rows.sort(key=lambda row: (order.index(row.urgency), row.days_left if row.days_left is not None else 10**6))
    return rows


def deadline_counts(rows: list[DeadlineRow]) -> dict[str, int]:
    return {
        "not_submitted": sum(row.stage == "not_submitted" for row in rows),
        "under_review": sum(row.stage == "under_review" for row in rows),
        "overdue": sum(row.urgency == "overdue" for row in rows),
        "at_risk": sum(row.urgency == "at_risk" for row in rows),
        "published_late": sum(row.urgency == "published_late" for row in rows),
    }
