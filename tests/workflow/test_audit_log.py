"""The audit log page: filtered by action, person and date range, paged, and showing the
text edits (logged by services.narrative) by their name."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts_app.models import AuditEntry
from accounts_app.services.audit import EDIT, Actor, audit
from accounts_app.views.review import AUDIT_PAGE

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action


def _rows(html: str) -> list[str]:
    body = html[html.index('id="audit"') :]
    body = body[body.index("<tbody") : body.index("</tbody>")]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


@pytest.fixture
def logged(world):
    accountant, reviewer = world.users["accountant_a"], world.users["reviewer_1"]
    entries = [audit(Actor(accountant), Action.EXPLAIN, world.a, detail=f"说明第 {n} 条") for n in range(AUDIT_PAGE + 5)]
    entries.append(audit(Actor(accountant), EDIT, world.a, detail="修改补充数据：机关运行经费支出 76.23"))
    entries.append(audit(Actor(reviewer), Action.COMMENT, world.a, detail="请核对表03"))
    old = audit(Actor(reviewer), Action.RETURN, world.b, detail="上月退回")
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    audit(Actor(world.users["accountant_c"]), Action.UPLOAD, world.c, detail="另一地区")
    return entries


def test_the_log_is_paged(client, world, logged):
    client.force_login(world.users["reviewer_1"])
    html = client.get("/work/audit/").content.decode()
    assert len(_rows(html)) == AUDIT_PAGE
    assert f"共 {AUDIT_PAGE + 8} 条记录，第 1 / 2 页。" in html
    second = client.get("/work/audit/?page=2").content.decode()
    assert len(_rows(second)) == 8
    assert "上月退回" in second and "另一地区" not in second  # region 2 is not the reviewer's


def test_filters_by_action_person_and_dates(client, world, logged):
    client.force_login(world.users["reviewer_1"])
    html = client.get("/work/audit/?action=edit").content.decode()
    [row] = _rows(html)
    assert "修改文字部分" in row and "修改补充数据：机关运行经费支出 76.23" in row
    reviewer = world.users["reviewer_1"]
    rows = _rows(client.get(f"/work/audit/?actor={reviewer.pk}").content.decode())
    assert len(rows) == 2 and all("rev_1" in row for row in rows)
    today = timezone.localdate()
    recent = client.get(f"/work/audit/?since={today - timedelta(days=7):%Y-%m-%d}&until={today:%Y-%m-%d}").content.decode()
    assert f"共 {AUDIT_PAGE + 7} 条记录" in recent and "上月退回" not in recent
    older = _rows(client.get(f"/work/audit/?until={today - timedelta(days=30):%Y-%m-%d}").content.decode())
    assert len(older) == 1 and "上月退回" in older[0]
    both = _rows(client.get(f"/work/audit/?action=comment&actor={reviewer.pk}").content.decode())
    assert len(both) == 1 and "请核对表03" in both[0]
    # the filters keep their values, and the page links keep the filters
    page = client.get("/work/audit/?action=explain").content.decode()
    assert '<option value="explain" selected>说明提示</option>' in page
    assert "?action=explain&amp;page=2" in page or "?page=2&amp;action=explain" in page


def test_one_disclosures_log_and_nonsense_filters(client, world, logged):
    client.force_login(world.users["reviewer_1"])
    rows = _rows(client.get(f"/work/audit/?disclosure={world.b.pk}").content.decode())
    assert len(rows) == 1 and "上月退回" in rows[0]
    html = client.get("/work/audit/?since=not-a-date&action=nothing&page=99").content.decode()
    assert "输入一个有效的日期" in html and "不在可用的选项中" in html  # said, and the rest of the log shown
    assert "第 2 / 2 页" in html


def test_accountants_do_not_read_the_log(client, world, logged):
    client.force_login(world.users["accountant_a"])
    assert client.get("/work/audit/?action=edit").status_code == 403
