"""The reviewer's side of the workspace: return, approve, publish, comments on the rows of
a version's tables, and the audit log (filtered by action, person and dates, paged). Thin
like views.work, whose access helpers it uses; the work is done by services.workflow."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from .. import access
from ..access import Action
from ..filters import AuditFilter
from ..forms import PublishForm
from ..models import AuditEntry, Version
from ..services import publication, workflow
from ..services.audit import action_label
from .work import actor, transition_view

Status = Version.Status
AUDIT_PAGE = 50  # entries per page of the audit log


def _return(request, version):
    workflow.version_return(version=version, actor=actor(request), reason=request.POST.get("reason", ""))
    return "已退回填报人。"


def _approve(request, version):
    workflow.version_approve(version=version, actor=actor(request))
    return "已审核通过，可以公开。"


def _publish(request, version):
    form = PublishForm(request.POST)
    if not form.is_valid():
        raise workflow.TransitionRefused("定时公开时间格式不正确。")
    version = workflow.version_publish(version=version, actor=actor(request), at=form.cleaned_data["at"])
    if version.status == Status.PUBLISHED:
        return "已公开。"
    if version.status == Status.PUBLISHING:
        return "已决定公开，正在生成 PDF 和下载文件；生成后自动公开，本页会显示进度。"
    return f"将于 {timezone.localtime(version.publish_at):%Y-%m-%d %H:%M} 公开。"


def _regenerate(request, version):
    try:
        publication.version_files_retry(version=version, actor=actor(request))
    except publication.FilesRefused as refused:
        raise workflow.TransitionRefused(str(refused)) from None
    return "已重新开始生成公开文件。"


def _comment(request, version):
    """target "table:row" (the select of rows, filled by clicking a row), or table and row."""
    table, _, row = request.POST.get("target", "").partition(":")
    table, row = table or request.POST.get("table", ""), row or request.POST.get("row", "")
    workflow.comment_add(version=version, actor=actor(request), text=request.POST.get("text", ""), table=table, row=row)
    return "意见已保存。"


return_version = transition_view(Action.RETURN, _return, keep=("reason",))
approve = transition_view(Action.APPROVE, _approve)
publish = transition_view(Action.PUBLISH, _publish, keep=("at",))
regenerate = transition_view(Action.REGENERATE, _regenerate)
comment = transition_view(Action.COMMENT, _comment, keep=("text", "target"))


# -- the audit log --------------------------------------------------------------------------


class AuditTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i:s")
    actor = tables.Column(verbose_name="操作人", default="系统")
    address = tables.Column(verbose_name="来源地址", default="")
    action = tables.Column(verbose_name="操作")
    disclosure = tables.Column(verbose_name="决算")
    version = tables.Column(verbose_name="版本", default="")
    detail = tables.Column(verbose_name="内容", default="")

    class Meta:
        model = AuditEntry
        fields = ("created_at", "actor", "address", "action", "disclosure", "version", "detail")
        orderable = False
        attrs = {"class": "list", "id": "audit"}
        empty_text = "没有符合条件的记录。"

    def render_action(self, record) -> str:
        return action_label(record.action)

    def render_version(self, value) -> str:
        return f"第 {value.number} 版"


@login_required
def audit_log(request):
    scope = access.scope_of(request.user)
    if not scope.reads_audit_log:
        raise PermissionDenied
    chosen = AuditFilter(request.GET or None, queryset=AuditEntry.objects.visible_to(scope))
    table = AuditTable(chosen.qs)
    RequestConfig(request, paginate={"per_page": AUDIT_PAGE}).configure(table)
    return render(request, "work/audit.html", {"filter": chosen, "table": table})
