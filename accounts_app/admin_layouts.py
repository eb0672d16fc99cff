"""Admin pages for the regions' table sets (order, numbers, titles) and the sheet mappings
departments made. Imported by admin.py. Saving a table set rebuilds every cached page, so
the public pages show the new numbers and titles at once.

Also the admin pages of the other apps (axes' login records, django_tasks_db's results)
with their labels in Chinese: see "the admin in Chinese" below."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import caching
from .models import Region, SheetMapping, TableLayout, TableLayoutEntry


class TableLayoutEntryInline(admin.TabularInline):
    model = TableLayoutEntry
    extra = 0
    fields = ("position", "family", "form", "label", "title")


@admin.register(TableLayout)
class TableLayoutAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "label_format", "line_numbers", "outline", "updated_at")
    search_fields = ("key", "name")
    inlines = [TableLayoutEntryInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        caching.forget_all_pages()


class RegionForm(forms.ModelForm):
    """The region's 公开表格式 chosen among the table sets kept in the admin."""

    table_set = forms.ChoiceField(label="公开表格式", help_text=Region._meta.get_field("table_set").help_text)

    class Meta:
        model = Region
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table_set"].choices = list(TableLayout.objects.values_list("key", "name"))


@admin.register(SheetMapping)
class SheetMappingAdmin(admin.ModelAdmin):
    list_display = ("department", "sheet_name", "table", "created_by", "created_at")
    list_filter = ("department__region",)
    search_fields = ("department__name", "sheet_name")


# -- the admin in Chinese ------------------------------------------------------------------
# Django's own apps are translated (zh-hans). The other apps' model and field names are
# translated in accounts_app/locale (axes; django_tasks_db); what no catalog can reach is
# set here: the names of those two apps (constants in their AppConfig, not translatable)
# and the list columns they label with method or field names. tests/test_admin_chinese.py
# fetches the index and every list and fails on any English label left.

APP_NAMES = {"axes": "登录防护", "django_tasks_database": "后台任务"}
for _label, _name in APP_NAMES.items():
    apps.get_app_config(_label).verbose_name = _name


def _reregister(model, admin_class) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, admin_class)


class LoginAttemptAdmin(AccessAttemptAdmin):
    """Axes' list of recent failed attempts, with its computed columns named in Chinese."""

    @admin.display(description="过期时间")
    def expiration(self, obj):
        return obj.expiration.expires_at if hasattr(obj, "expiration") else "未设置"

    @admin.display(description="状态")
    def status(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"还可尝试 {left} 次" if left > 0 else "已锁定"

    @admin.action(description="清理已过期的记录")
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"已清理 {count} 条过期的登录尝试记录。")


class TaskResultAdmin(DBTaskResultAdmin):
    """django_tasks_db's results (the PDF and downloads generated after publication)."""

    list_display = ("short_id", "task", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name")

    @admin.display(description="编号")
    def short_id(self, obj):
        return str(obj.id)[:8]

    @admin.display(description="任务")
    def task(self, obj):
        return obj.task_name

    def get_readonly_fields(self, request, obj=None):
        return ["task_id" if name == "id" else name for name in super().get_readonly_fields(request, obj)]

    @admin.display(description="任务编号")
    def task_id(self, obj):
        return str(obj.id)

    @admin.display(description="错误追踪")
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description="最早执行时间")
    def display_run_after(self, obj):
        return super().display_run_after(obj)


_reregister(AccessAttempt, LoginAttemptAdmin)
_reregister(DBTaskResult, TaskResultAdmin)
