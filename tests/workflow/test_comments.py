"""Comments on the rows of a version's tables: named by the printed table and row (never the
internal keys), accepted only for rows the version prints, shown on that row to the
reviewer and to the accountant."""

from __future__ import annotations

import re

import pytest

from accounts_app.models import AuditEntry, Comment
from accounts_app.rendering.tables import render_dataset
from accounts_app.selectors import version_dataset
from accounts_app.services import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(seed000):
    version = seed000.upload()
    Comment.objects.all().delete()
    version.status = version.Status.SUBMITTED
    version.save(update_fields=["status"])
    return version


def _row_html(html: str, table: str, code: str) -> str:
    start = html.index(f'id="table-{table}"')
    row = html.index(f'data-rows="{code}"', start)
    return html[row : html.index("</tr>", row)]


def test_every_printed_row_is_a_target_named_as_printed(submitted):
    targets = workflow.comment_targets(render_dataset(version_dataset(submitted)))
    assert targets[("expense", "2080505")].label == "公开03表「支出决算表」 2080505 机关事业单位基本养老保险缴费支出"
    assert targets[("expense", "total")].label == "公开03表「支出决算表」 合计"
    assert targets[("income_expense", "32")].label == "公开01表「收入支出决算总表」 第 32 行 一、一般公共服务支出"
    assert targets[("gpb_basic", "30101")].row_label == "30101 基本工资"
    assert targets[("expense", "")].label == "公开03表「支出决算表」"
    assert ("income_expense", "9") not in targets  # a blank numbered line (行9–26) is not a row to discuss


def test_a_comment_on_a_row_is_labelled_and_shown_on_that_row(client, seed000, submitted):
    client.force_login(seed000.reviewer)
    response = client.post(
        f"/work/versions/{submitted.pk}/comment/", {"target": "expense:2080505", "text": "缴费支出请与表05核对"}, follow=True
    )
    html = response.content.decode()
    assert "意见已保存。" in html
    comments = html[html.index('id="comments"') : html.index("</ul>", html.index('id="comments"'))]
    assert "〔公开03表「支出决算表」 2080505 机关事业单位基本养老保险缴费支出〕：缴费支出请与表05核对" in comments
    assert "expense" not in comments
    row = _row_html(html, "expense", "2080505")
    assert "缴费支出请与表05核对" in row and 'data-target="expense:2080505"' in row
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.COMMENT).get()
    assert entry.detail == "〔公开03表「支出决算表」 2080505 机关事业单位基本养老保险缴费支出〕缴费支出请与表05核对"
    # the accountant reads it on the row too, without the control
    client.force_login(seed000.accountant)
    html = client.get(f"/work/versions/{submitted.pk}/").content.decode()
    row = _row_html(html, "expense", "2080505")
    assert "缴费支出请与表05核对" in row and "row-comment-link" not in row


@pytest.mark.parametrize(
    "target, message",
    [
        ("expense:9999999", "公开03表「支出决算表」中没有「9999999」这一行。请在决算表中点选要提意见的行。"),
        ("nosuch:208", "本版本没有这张表：nosuch。请在决算表中点选要提意见的行。"),
        (":208", "本版本没有这张表：（未选择）。请在决算表中点选要提意见的行。"),
    ],
)
def test_a_row_that_does_not_exist_is_refused(client, seed000, submitted, target, message):
    client.force_login(seed000.reviewer)
    response = client.post(f"/work/versions/{submitted.pk}/comment/", {"target": target, "text": "请核对"}, follow=True)
    assert message in response.content.decode()
    assert not Comment.objects.filter(version=submitted).exists()
    with pytest.raises(workflow.TransitionRefused) as refused:
        table, _, row = target.partition(":")
        workflow.comment_add(version=submitted, actor=workflow.Actor(seed000.reviewer), text="请核对", table=table, row=row)
    assert str(refused.value) == message


def test_comments_on_the_version_and_on_a_table(client, seed000, submitted):
    client.force_login(seed000.reviewer)
    client.post(f"/work/versions/{submitted.pk}/comment/", {"target": "", "text": "整体情况良好"})
    client.post(f"/work/versions/{submitted.pk}/comment/", {"target": "gpb_basic:", "text": "基本支出明细请补全"})
    html = client.get(f"/work/versions/{submitted.pk}/").content.decode()
    assert "shenhe：整体情况良好" in html
    assert "〔公开06表「一般公共预算财政拨款基本支出决算明细表」〕：基本支出明细请补全" in html


def test_without_javascript_a_rows_link_chooses_it_in_the_form(client, seed000, submitted):
    client.force_login(seed000.reviewer)
    html = client.get(f"/work/versions/{submitted.pk}/?row=expense:2080505").content.decode()
    chosen = re.search(r'<option value="expense:2080505"([^>]*)>([^<]*)</option>', html)
    assert chosen and "selected" in chosen.group(1) and chosen.group(2) == "2080505 机关事业单位基本养老保险缴费支出"
    assert '<optgroup label="公开03表「支出决算表」">' in html
    row = _row_html(html, "expense", "2080505")
    assert 'href="?row=expense:2080505#comment-form"' in row
