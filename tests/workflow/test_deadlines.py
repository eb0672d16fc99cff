"""The 20-day limit (预算法 第十四条) on the reviewers' dashboard, around its edges."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts_app.models import Version
from accounts_app.services.deadlines import deadline_rows
from accounts_app.services.organisations import disclosure_ensure
from tests.workflow.conftest import make_version

pytestmark = pytest.mark.django_db
S = Version.Status


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@pytest.fixture
def board(world):
    today = timezone.localdate()
    region = world.a.department.region

    def disclosure(name, approved_days_ago, published_days_after=None, status=None):
        d = disclosure_ensure(region=region, entity=name, year=2023, kind="department")
        d.approval_date = today - timedelta(days=approved_days_ago) if approved_days_ago is not None else None
        d.save()
        if published_days_after is not None:
            make_version(d, S.PUBLISHED, published_at=_at(d.approval_date + timedelta(days=published_days_after)))
        elif status:
            make_version(d, status)
        return d

    return {
        "overdue": disclosure("逾期一天局", 21),  # deadline was yesterday
        "last_day": disclosure("今天截止局", 20, status=S.SUBMITTED),  # 0 days left
        "five_left": disclosure("剩五天局", 15),
        "six_left": disclosure("剩六天局", 14, status=S.DRAFT),
        "late": disclosure("逾期公开局", 30, published_days_after=21),
        "on_time": disclosure("按期公开局", 30, published_days_after=20),
        "no_date": disclosure("未登记局", None),
    }


def test_deadline_categories_at_the_edges(board, world):
    rows = {row.disclosure.pk: row for row in deadline_rows(world.a.__class__.objects.all())}
    expect = {
        "overdue": ("overdue", "not_submitted", -1),
        "last_day": ("at_risk", "under_review", 0),
        "five_left": ("at_risk", "not_submitted", 5),
        "six_left": ("on_track", "not_submitted", 6),
        "late": ("published_late", "published", None),
        "on_time": ("published_on_time", "published", None),
        "no_date": ("no_date", "not_submitted", None),
    }
    for name, (urgency, stage, days_left) in expect.items():
        row = rows[board[name].pk]
        assert (row.urgency, row.stage) == (urgency, stage), name
        if days_left is not None:
            assert row.days_left == days_left, name


def test_dashboard_shows_the_counts_to_reviewers(client, board, world):
    client.force_login(world.users["reviewer_1"])
    html = client.get("/work/").content.decode()
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    # region 1 also holds disclosures A and B of the world (no 批复 date, nothing submitted)
    assert counts == {"not_submitted": "6", "under_review": "1", "overdue": "1", "at_risk": "2", "published_late": "1"}
    overdue_row = html.index(f'data-disclosure="{board["overdue"].pk}"')
    assert "已逾期" in html[overdue_row : overdue_row + 800]
    # most urgent first
    assert html.index(f'data-disclosure="{board["overdue"].pk}"') < html.index(f'data-disclosure="{board["six_left"].pk}"')


def test_reviewer_of_another_region_does_not_see_them(client, board, world):
    client.force_login(world.users["reviewer_2"])
    html = client.get("/work/").content.decode()
    assert "逾期一天局" not in html
    assert dict(re.findall(r'data-count="(\w+)">(\d+)<', html))["overdue"] == "0"


def test_accountants_get_no_deadline_board(client, board, world):
    client.force_login(world.users["accountant_a"])
    html = client.get("/work/").content.decode()
    assert "data-count" not in html


def test_a_correction_under_review_counts_as_under_review(client, world):
    """A disclosure published on time whose correction is in review: 审核中 on the board (its
    urgency still that of its first publication), until the correction is public."""
    today = timezone.localdate()
    world.a.approval_date = today - timedelta(days=30)
    world.a.save()
    make_version(world.a, S.PUBLISHED, published_at=_at(today - timedelta(days=20)))
    correction = make_version(world.a, S.SUBMITTED)
    client.force_login(world.users["reviewer_1"])
    for status in (S.SUBMITTED, S.APPROVED, S.PUBLISHING):  # models.disclosure.UNDER_REVIEW
        Version.objects.filter(pk=correction.pk).update(status=status)
        [row] = deadline_rows(world.a.__class__.objects.filter(pk=world.a.pk))
        assert (row.stage, row.urgency, row.correcting, row.stage_label) == ("under_review", "published_on_time", True, "更正审核中")
        html = client.get("/work/").content.decode()
        assert dict(re.findall(r'data-count="(\w+)">(\d+)<', html))["under_review"] == "1", status
        line = html[html.index(f'data-disclosure="{world.a.pk}"') :]
        line = line[: line.index("</tr>")]
        assert "更正审核中（首次公开" in line and "<td></td>" in line  # no days left once published
    Version.objects.filter(pk=correction.pk).update(status=S.PUBLISHED)
    [row] = deadline_rows(world.a.__class__.objects.filter(pk=world.a.pk))
    assert (row.stage, row.correcting, row.stage_label) == ("published", False, "已公开")
