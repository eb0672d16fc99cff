"""The Django admin: organisations and catalogs (editable), disclosures and their
versions (read-only: every change is a new upload), and the upload page.

Whatever belongs to an organisation (regions, departments, units, disclosures, versions,
roles, the audit log, sheet mappings) is listed, opened and offered as a choice through
`Scoped`: the user's scope cuts every queryset (access.within), as on the work pages. An
object outside it is "not found" (the admin sends back to its index)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from . import access, admin_layouts, admin_onboarding, admin_pdf_history
from .forms import WorkbookUploadForm
from .models import (
    AuditEntry,
    Department,
    Disclosure,
    EconomicSubject,
    Finding,
    FiscalYear,
    FunctionSubject,
    GlossaryTerm,
    Membership,
    Region,
    SheetMapping,
    Unit,
    Version,
    VersionTable,
)
from .admin_layouts import RegionForm
from .security import client_ip
from .services import downloads
from .services.catalogs import glossary_for, subject_delete, subject_save
from .services.organisations import user_invite
from .services.workflow import Actor, version_upload

admin.site.site_header = "部门决算公开平台 · 管理"
admin.site.site_title = "部门决算公开平台"
admin.site.index_title = "管理首页"
admin.site.index_template = "admin/portal_index.html"  # 常用操作 (新增部门, 导入) above the list


class Scoped:
    """For an admin or inline of a model in access.WITHIN: its rows, and the choices of
    its foreign keys to such models, within the user's scope."""

    def get_queryset(self, request):
        return access.within(super().get_queryset(request), access.scope_of(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if access.is_scoped(related) and "queryset" not in kwargs:
            kwargs["queryset"] = access.within(related._default_manager.all(), access.scope_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def only_related(field: str) -> tuple:
    """A list filter offering only the values the (scoped) list holds, not every region."""
    return (field, admin.RelatedOnlyFieldListFilter)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Stored versions are evidence: nobody edits or deletes them in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# -- organisations -----------------------------------------------------------------


class DepartmentInline(Scoped, admin.TabularInline):
    model = Department
    extra = 0
    fields = ("name", "code")


@admin.register(Region)
class RegionAdmin(Scoped, admin.ModelAdmin):
    form = RegionForm
    list_display = ("code", "name", "province", "finance_bureau", "table_set")
    search_fields = ("code", "name", "finance_bureau")
    inlines = [DepartmentInline]


class UnitInline(Scoped, admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Department)
class DepartmentAdmin(Scoped, admin.ModelAdmin):
    list_display = ("name", "region", "code", "first_year", "last_year")
    list_filter = (only_related("region"),)
    search_fields = ("name", "code")
    inlines = [UnitInline]
    change_list_template = "admin/accounts_app/department/change_list.html"

    def get_urls(self):
        # 新增部门 (with its region, units and people) and the CSV import: admin_onboarding
        return admin_onboarding.urls(self) + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_onboard": admin_onboarding.may_onboard(request.user)}
        return super().changelist_view(request, extra_context)


class GlossaryTermInline(admin.TabularInline):
    model = GlossaryTerm
    extra = 1
    fields = ("position", "term", "definition")


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    """A year, with its edition of the 名词解释 (第四部分): a year without terms of its own
    uses the nearest earlier year's; “建立本年度名词解释” copies that edition to edit it."""

    list_display = ("year", "glossary_edition")
    inlines = (GlossaryTermInline,)
    actions = ("glossary_copy",)

    @admin.display(description="名词解释")
    def glossary_edition(self, year):
        terms = glossary_for(year.year)
        if not terms:
            return "无"
        edition = terms[0].year.year
        return f"{len(terms)} 条" + ("" if edition == year.year else f"（沿用 {edition} 年度）")

    @admin.action(description="建立本年度名词解释（复制最近年度的条目）")
    def glossary_copy(self, request, queryset):
        for year in queryset:
            terms = glossary_for(year.year)
            if terms and terms[0].year_id != year.pk:
                GlossaryTerm.objects.bulk_create(
                    GlossaryTerm(year=year, position=t.position, term=t.term, definition=t.definition) for t in terms
                )
                self.message_user(request, f"{year}：已复制 {len(terms)} 条名词解释，可在该年度页面修改。")
            else:
                self.message_user(request, f"{year}：已有本年度名词解释或无可复制的条目。", messages.WARNING)


# -- catalogs ----------------------------------------------------------------------


class SubjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "year")
    list_filter = ("year", "level")
    search_fields = ("code", "name")
    ordering = ("-year__year", "code")
    readonly_fields = ("level", "parent")

    # A catalog change reaches the open versions' code warnings (services.catalogs).
    def save_model(self, request, obj, form, change):
        subject_save(subject=obj)

    def delete_model(self, request, obj):
        subject_delete(subjects=[obj])

    def delete_queryset(self, request, queryset):
        subject_delete(subjects=list(queryset.select_related("year")))


@admin.register(FunctionSubject)
class FunctionSubjectAdmin(SubjectAdmin):
    list_display = (*SubjectAdmin.list_display, "summary_line")
    fields = ("year", "code", "name", "level", "parent", "summary_line", "description")


@admin.register(EconomicSubject)
class EconomicSubjectAdmin(SubjectAdmin):
    fields = ("year", "code", "name", "level", "parent")


# -- disclosures and versions ------------------------------------------------------


class VersionInline(Scoped, ReadOnlyInline):
    model = Version
    fields = ("number", "status", "created_at", "created_by", "source_name", "error_count", "warning_count")
    readonly_fields = fields
    ordering = ("-number",)

    @admin.display(description="错误")
    def error_count(self, obj):
        return obj.findings.filter(severity=Finding.Severity.ERROR).count()

    @admin.display(description="提示")
    def warning_count(self, obj):
        return obj.findings.filter(severity=Finding.Severity.WARNING).count()


@admin.register(Disclosure)
class DisclosureAdmin(Scoped, admin.ModelAdmin):
    list_display = ("__str__", "department", "year", "kind", "version_count", "template_link")
    list_filter = ("year", "kind", only_related("department__region"))
    search_fields = ("department__name", "unit__name")
    list_select_related = ("department", "unit", "year", "department__region")
    inlines = [VersionInline]
    change_list_template = "admin/accounts_app/disclosure/change_list.html"

    @admin.display(description="版本数")
    def version_count(self, obj):
        return obj.versions.count()

    @admin.display(description="空白模板")
    def template_link(self, obj):
        url = reverse("admin:accounts_app_disclosure_template", args=[obj.pk])
        return format_html('<a href="{}">下载模板</a>', url)

    def get_urls(self):
        own = [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="accounts_app_disclosure_upload"),
            path(
                "<int:pk>/template/",
                self.admin_site.admin_view(self.template_view),
                name="accounts_app_disclosure_template",
            ),
        ]
        return own + super().get_urls()

    def upload_view(self, request):
        scope = access.scope_of(request.user)
        if not request.user.has_perm("accounts_app.add_version") or not scope.may(access.Action.UPLOAD):
            return TemplateResponse(request, "admin/accounts_app/upload_denied.html", status=403)
        form = WorkbookUploadForm(
            request.POST or None,
            request.FILES or None,
            disclosures=Disclosure.objects.workable_by(scope),
            departments=Department.objects.workable_by(scope),
            initial={"disclosure": request.GET.get("disclosure")},
        )
        context = {**self.admin_site.each_context(request), "title": "上传决算公开表", "form": form, "opts": self.model._meta}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["workbook"]
            with transaction.atomic():
                disclosure = form.target_disclosure()
                outcome = version_upload(
                    disclosure=disclosure,
                    data=upload.read(),
                    filename=upload.name,
                    actor=Actor(request.user, client_ip(request)),
                )
                if not outcome.accepted:
                    transaction.set_rollback(True)  # a new disclosure named for a failed upload is not kept
            context.update(outcome_context(outcome, disclosure))
            if outcome.accepted:
                messages.success(request, f"已保存为 {outcome.version}。")
            return TemplateResponse(request, "admin/accounts_app/upload_result.html", context)
        return TemplateResponse(request, "admin/accounts_app/upload.html", context)

    def template_view(self, request, pk):
        disclosure = get_object_or_404(self.get_queryset(request), pk=pk)
        return downloads.blank_template(disclosure=disclosure).response()


def outcome_context(outcome, disclosure) -> dict:
    """What the result page shows: what each sheet was read as, then the problems, errors first."""
    return {
        "disclosure": disclosure,
        "outcome": outcome,
        "problems": outcome.problems,
        "error_count": len(outcome.errors),
        "warning_count": len(outcome.warnings),
    }


class FindingInline(ReadOnlyInline):
    model = Finding
    show_change_link = False
    fields = ("severity", "table", "row", "column", "sheet", "cell", "expected", "found", "message")
    readonly_fields = fields


class VersionTableInline(ReadOnlyInline):
    model = VersionTable
    show_change_link = False
    fields = ("position", "printed_label", "printed_title", "sheet_name", "printed_entity", "printed_unit", "line_count")
    readonly_fields = fields

    @admin.display(description="行数")
    def line_count(self, obj):
        return obj.lines.count()


@admin.register(Version)
class VersionAdmin(Scoped, ReadOnlyAdmin):
    list_display = ("__str__", "status", "origin", "created_at", "created_by", "source_name")
    list_filter = ("status", "origin", "disclosure__year", only_related("disclosure__department__region"))
    search_fields = ("disclosure__department__name", "disclosure__unit__name", "source_name")
    list_select_related = ("disclosure__department", "disclosure__unit", "disclosure__year", "created_by")
    fields = (
        "disclosure", "number", "status", "origin", "original_published_on", "table_set", "created_at", "created_by",
        "source_name", "source_sha256", "source_size",
    )
    readonly_fields = fields
    inlines = [VersionTableInline, FindingInline]  # of a version in scope
    change_list_template = "admin/accounts_app/version/change_list.html"

    def get_urls(self):
        # 导入已公开的 PDF (one file, for 管理员): admin_pdf_history
        return admin_pdf_history.urls(self) + super().get_urls()


@admin.register(Membership)
class MembershipAdmin(Scoped, admin.ModelAdmin):
    list_display = ("user", "role", "department", "region")
    list_filter = ("role", only_related("region"))
    search_fields = ("user__username", "department__name", "region__name")
    autocomplete_fields = ("user",)
    actions = ("invitation_send",)

    def has_invite_permission(self, request) -> bool:
        return admin_onboarding.may_onboard(request.user)  # 管理员, as for creating the users

    @admin.action(description="向所选用户发送设置密码的邮件（链接过期或丢失时）", permissions=("invite",))
    def invitation_send(self, request, queryset):
        users = [m.user for m in queryset.select_related("user") if m.user.email and m.user.is_active]
        unsent: list[str] = []
        for user in users:  # sent at once: the admin runs outside a transaction
            user_invite(user=user, site_url=admin_onboarding.site_url(request), unsent=unsent)
        skipped = queryset.count() - len(users)
        text = f"已向 {len(users) - len(unsent)} 位用户发送设置密码的邮件"
        text += f"；{'、'.join(unsent)} 的邮件未能发出，请检查邮件设置" if unsent else ""
        text += f"；{skipped} 位没有电子邮箱或已停用，未发送" if skipped else ""
        self.message_user(request, text + "。", messages.WARNING if unsent or skipped else messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(Scoped, ReadOnlyAdmin):
    list_display = ("created_at", "actor", "address", "action", "disclosure", "version", "detail")
    list_filter = ("action", only_related("disclosure__department__region"))
    search_fields = ("detail", "actor__username", "disclosure__department__name")
    list_select_related = ("actor", "disclosure__department", "disclosure__unit", "disclosure__year", "version")


# Registered by admin_layouts with the rest of the table-set pages; scoped here, with the
# other models of an organisation.
admin.site.unregister(SheetMapping)


@admin.register(SheetMapping)
class SheetMappingAdmin(Scoped, admin_layouts.SheetMappingAdmin):
    list_filter = (only_related("department__region"),)
