"""Who may do what (roles), and the record of what was done: comments on a version,
the audit log and notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .disclosure import Disclosure, Version
from .organisation import Department, Region, covered


class Membership(models.Model):
    """A user's role and the organisation it covers. Superusers are 管理员 without one."""

    class Role(models.TextChoices):
        ACCOUNTANT = "accountant", "填报人"
        REVIEWER = "reviewer", "审核人"
        ADMIN = "admin", "管理员"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name="用户")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name="部门",
        help_text="填报人填写：可填报本部门及其单位的决算。",
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name="行政区划",
        help_text="审核人填写：审核本地区各部门的决算。",
    )

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="accountant", department__isnull=False, region__isnull=True)
                    | models.Q(role="reviewer", region__isnull=False, department__isnull=True)
                    | models.Q(role="admin", region__isnull=True, department__isnull=True)
                ),
                name="membership_scope_matches_role",
            )
        ]

    def __str__(self):
        scope = self.department or self.region or "全部"
        return f"{self.user} · {self.get_role_display()}（{scope}）"


class Comment(models.Model):
    """A reviewer's (or accountant's) remark on a whole version or on one row of a table."""

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="comments", verbose_name="版本")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="作者")
    table = models.CharField("表", max_length=40, blank=True)
    row = models.CharField("行", max_length=30, blank=True)
    text = models.TextField("意见")
    is_return_reason = models.BooleanField("退回理由", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:50]


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, scope) -> "AuditEntryQuerySet":
        """The log a scope (access.Scope) reads: 审核人 their region's, 管理员 all, the
        others none (`scope.reads_audit_log`); with the names the log shows."""
        entries = self.select_related("actor", "disclosure__department", "disclosure__unit", "disclosure__year", "version")
        if not scope.reads_audit_log:
            return entries.none()
        condition = covered(scope, "disclosure__department")
        return entries if condition is None else entries.filter(condition)


class AuditEntry(models.Model):
    """Who did what, when and from where. Written by the services, never edited."""

    class Action(models.TextChoices):
        UPLOAD = "upload", "上传"
        SUBMIT = "submit", "提交审核"
        RETURN = "return", "退回"
        APPROVE = "approve", "审核通过"
        SCHEDULE = "schedule", "定时公开"
        PUBLISH = "publish", "公开"
        COMMENT = "comment", "审核意见"
        EXPLAIN = "explain", "说明提示"
        DEADLINE = "deadline", "登记批复日期"
        MAP = "map", "指定工作表"
        DISCARD = "discard", "作废草稿"
        IMPORT_PDF = "import_pdf", "导入已公开 PDF"

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="audit_entries", verbose_name="决算公开")
    version = models.ForeignKey(
        Version, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries", verbose_name="版本"
    )
    detail = models.TextField("内容", blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor or '系统'} {self.get_action_display()} {self.disclosure}"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="notifications", verbose_name="版本")
    message = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.message
