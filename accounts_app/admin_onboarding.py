"""The admin's pages for adding organisations, for 管理员, linked from the admin index and
the 部门 list (their URLs hang under the 部门 admin, `urls`):

- 新增部门: a region (existing or new), a department, its units, its 填报人 and the
  region's 审核人 on one page, created together by services.organisations.department_onboard;
  its refusals are put next to the fields they concern;
- 导入部门和用户: a CSV of a region's departments and users (docs/admin.md): upload, a
  preview of what the import will do (the import run and rolled back), confirm. The file
  travels from preview to confirmation signed, so what is confirmed is what was previewed.

New users get an e-mail with a one-time link (at the address the administrator uses) to
set their password."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from . import access
from .models import Membership, Region, TableLayout
from .importing.organisations_csv import CSV_MAX_BYTES, SAMPLE_CSV, CsvRejected, csv_decode, organisations_csv_parse
from .services.organisations import MESSAGES, DepartmentPlan, OrganisationRefused, Person, RegionInfo, department_onboard
from .services.organisations_csv import organisations_import
from .specs import DEFAULT_TABLE_SET

# Creating departments and users is the 管理员's (access.Scope.is_admin), with these rights.
ONBOARD_PERMISSIONS = (
    "accounts_app.add_region",
    "accounts_app.add_department",
    "accounts_app.add_unit",
    "accounts_app.add_membership",
    "auth.add_user",
)
REQUIRED = "请填写此项。"
PREVIEW_SALT = "accounts_app.organisations_import"
PREVIEW_SECONDS = 3600


def may_onboard(user) -> bool:
    return access.scope_of(user).is_admin and user.has_perms(ONBOARD_PERMISSIONS)


def site_url(request) -> str:
    """The site's address as the administrator reaches it: the links in the e-mails use it."""
    return request.build_absolute_uri("/").rstrip("/")


def _lines(text: str) -> tuple[str, ...]:
    """The non-empty lines of a textarea, each stripped, in order, repeats kept (the service says so)."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


# -- 新增部门 --------------------------------------------------------------------------------


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = f"{user.username}（{user.first_name}）" if user.first_name else user.username
        membership = getattr(user, "membership", None)
        return f"{name} · {membership.region}的审核人" if membership is not None else f"{name} · 尚无角色"


def reviewer_choices():
    """Who may be chosen as the region's 审核人: a 审核人 (of this region: nothing changes;
    of another: refused, with the reason) or an active user without a role."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .filter(Q(membership__role=Membership.Role.REVIEWER) | Q(membership__isnull=True))
        .select_related("membership__region")
        .order_by("membership__region__code", "username")
    )


class PersonFields(forms.Form):
    """A user to create: username, name, e-mail (all three, or none: a blank row is skipped)."""

    username = forms.CharField(label="用户名", max_length=150, required=False, help_text="登录用，字母、数字或汉字。")
    name = forms.CharField(label="姓名", max_length=150, required=False)
    email = forms.EmailField(label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确。"})

    def has_person(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("username", "name", "email"))

    def clean(self):
        data = super().clean()
        if self.has_person():
            for name in ("username", "name", "email"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, REQUIRED)
        return data

    def person(self) -> Person:
        return Person(self.cleaned_data["username"], self.cleaned_data["name"], self.cleaned_data["email"])


AccountantFormSet = forms.formset_factory(PersonFields, extra=3, max_num=20)


class DepartmentOnboardForm(forms.Form):
    region = forms.ModelChoiceField(
        Region.objects.all(), label="已有行政区划", required=False, empty_label="（新建行政区划：填写下面几项）"
    )
    region_code = forms.CharField(label="行政区划代码", max_length=12, required=False, help_text="6 位数字，例如 410704。")
    region_name = forms.CharField(label="行政区划名称", max_length=100, required=False, help_text="例如：新乡市凤泉区。")
    region_province = forms.CharField(label="所属省份", max_length=50, required=False)
    region_finance_bureau = forms.CharField(
        label="财政部门", max_length=100, required=False, help_text="审核本地区决算的财政部门，例如：新乡市凤泉区财政局。"
    )
    region_table_set = forms.ChoiceField(label="公开表格式", required=False, help_text="本地区公开的表及其顺序、表号和标题。")
    name = forms.CharField(label="部门名称", max_length=200)
    code = forms.CharField(label="部门编码", max_length=30, required=False, help_text="财政部门给的预算单位编码（可不填）。")
    year = forms.IntegerField(
        label="首个决算年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="填写后同时建立该年度的部门决算，填报人登录后即可上传；也可以以后再建。",
    )
    main_unit = forms.CharField(
        label="本级单位", max_length=200, required=False, help_text="部门机关本级作为预算单位的名称（可不填）。"
    )
    sub_units = forms.CharField(
        label="下属单位", required=False, widget=forms.Textarea(attrs={"rows": 5, "cols": 60}), help_text="每行一个单位名称。"
    )
    reviewer = ReviewerChoiceField(
        reviewer_choices(), label="已有用户", required=False, empty_label="（不选：新建审核人，或沿用本地区已有的审核人）"
    )
    reviewer_username = forms.CharField(label="用户名", max_length=150, required=False)
    reviewer_name = forms.CharField(label="姓名", max_length=150, required=False)
    reviewer_email = forms.EmailField(label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确。"})

    NEW_REGION = ("region_code", "region_name", "region_province", "region_finance_bureau")
    NEW_REVIEWER = ("reviewer_username", "reviewer_name", "reviewer_email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_choices()
        self.fields["region_table_set"].choices = list(TableLayout.objects.values_list("key", "name"))
        self.fields["region_table_set"].initial = DEFAULT_TABLE_SET

    def clean_sub_units(self):
        units = _lines(self.cleaned_data["sub_units"])
        if any(len(unit) > 200 for unit in units):
            raise forms.ValidationError("单位名称最长 200 个字符。")
        return units

    def clean(self):
        data = super().clean()
        if data.get("region"):
            if any(data.get(name) for name in self.NEW_REGION):
                self.add_error("region", "已选择已有行政区划：新建行政区划的各项请留空。")
        else:
            for name in ("region_code", "region_name", "region_finance_bureau"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, MESSAGES["region_missing"])
        new_reviewer = [data.get(name) for name in self.NEW_REVIEWER]
        if data.get("reviewer") and any(new_reviewer):
            self.add_error("reviewer", "请选择已有用户，或填写新审核人，二者只选其一。")
        elif any(new_reviewer):
            for name in self.NEW_REVIEWER:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, REQUIRED)
        return data

    def plan(self, accountants: list[PersonFields]) -> DepartmentPlan:
        data = self.cleaned_data
        new_region = None
        if not data["region"]:
            new_region = RegionInfo(
                data["region_code"],
                data["region_name"],
                data["region_province"],
                data["region_finance_bureau"],
                data["region_table_set"] or DEFAULT_TABLE_SET,
            )
        new_reviewer = None
        if data["reviewer_username"]:
            new_reviewer = Person(data["reviewer_username"], data["reviewer_name"], data["reviewer_email"])
        return DepartmentPlan(
            name=data["name"],
            code=data["code"],
            region=data["region"],
            new_region=new_region,
            main_unit=data["main_unit"],
            sub_units=data["sub_units"],
            accountants=tuple(row.person() for row in accountants),
            reviewer=data["reviewer"],
            new_reviewer=new_reviewer,
            year=data["year"],
        )


# The form field each of the service's targets (services.organisations.Problem) concerns.
FIELD_OF_TARGET = {
    "region.code": "region_code",
    "region.name": "region_name",
    "region.finance_bureau": "region_finance_bureau",
    "department.name": "name",
    "department.code": "code",
    "units": "sub_units",
    "reviewer": "reviewer",
    "new_reviewer.username": "reviewer_username",
    "new_reviewer.name": "reviewer_name",
    "new_reviewer.email": "reviewer_email",
}


def _put_problems(problems, form: DepartmentOnboardForm, rows: list[PersonFields]) -> list[str]:
    """Each refusal next to its field; returns those of no single field (shown at the top)."""
    general = []
    for found in problems:
        parts = found.target.split(".")
        if parts[0] == "accountants" and len(parts) == 3:
            rows[int(parts[1])].add_error(parts[2], found.message)
        elif found.target in FIELD_OF_TARGET:
            form.add_error(FIELD_OF_TARGET[found.target], found.message)
        else:
            general.append(found.message)
    return general


def onboard(request, model_admin):
    if not may_onboard(request.user):
        raise PermissionDenied
    form = DepartmentOnboardForm(request.POST or None)
    accountants = AccountantFormSet(request.POST or None, prefix="accountants")
    general: list[str] = []
    if request.method == "POST":
        valid = [form.is_valid(), accountants.is_valid()]  # both, so that every error shows
        if all(valid):
            rows = [row for row in accountants.forms if row.has_person()]
            try:
                done = department_onboard(plan=form.plan(rows), site_url=site_url(request))
            except OrganisationRefused as refused:
                general = _put_problems(refused.problems, form, rows)
            else:
                messages.success(request, done.summary)
                return redirect("admin:accounts_app_department_change", done.department.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "新增部门",
        "opts": model_admin.model._meta,
        "form": form,
        "accountants": accountants,
        "general_errors": general,
        "has_errors": bool(general or form.errors or any(accountants.errors) or accountants.non_form_errors()),
    }
    return TemplateResponse(request, "admin/accounts_app/department/onboard.html", context)


# -- 导入部门和用户（CSV） -----------------------------------------------------------------------


class OrganisationsUploadForm(forms.Form):
    region = forms.ModelChoiceField(Region.objects.all(), label="行政区划", empty_label="（请选择）")
    file = forms.FileField(label="CSV 文件", help_text="列见下方说明和示例文件；UTF-8 或 GBK 编码，不超过 2 MB。")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(f"文件超过 {CSV_MAX_BYTES // (1024 * 1024)} MB。")
        return upload


def organisations_import_page(request, model_admin):
    """Upload → preview (the import run and rolled back) → confirm (the import itself)."""
    if not may_onboard(request.user):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "导入部门和用户",
        "opts": model_admin.model._meta,
        "max_mb": CSV_MAX_BYTES // (1024 * 1024),
    }
    template = "admin/accounts_app/department/import.html"
    if request.method == "POST" and "payload" in request.POST:
        try:
            payload = signing.loads(request.POST["payload"], salt=PREVIEW_SALT, max_age=PREVIEW_SECONDS)
        except signing.BadSignature:
            messages.error(request, "预览已过期或无效，请重新上传文件。")
            return redirect("admin:accounts_app_department_import")
        region = get_object_or_404(Region, pk=payload["region"])
        try:
            parsed = organisations_csv_parse(data=payload["csv"].encode("utf-8"))
        except CsvRejected as rejected:  # cannot happen to a previewed file, but say so if it does
            return TemplateResponse(request, template, {**context, "form": OrganisationsUploadForm(), "rejected": rejected.problems})
        report = organisations_import(region=region, file=parsed, site_url=site_url(request))
        (messages.warning if report.counts["refused"] else messages.success)(request, f"已导入到{region}：{report.summary}")
        return TemplateResponse(request, template, {**context, "report": report})

    form = OrganisationsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        region, data = form.cleaned_data["region"], form.cleaned_data["file"].read()
        try:
            parsed = organisations_csv_parse(data=data)
        except CsvRejected as rejected:
            context.update(form=form, rejected=rejected.problems)
            return TemplateResponse(request, template, context)
        report = organisations_import(region=region, file=parsed, site_url=site_url(request), dry_run=True)
        payload = signing.dumps({"region": region.pk, "csv": csv_decode(data)}, salt=PREVIEW_SALT, compress=True)
        context.update(report=report, payload=payload, filename=form.cleaned_data["file"].name)
        return TemplateResponse(request, template, context)
    context.update(form=form)
    return TemplateResponse(request, template, context)


def sample_csv(request):
    if not may_onboard(request.user):
        raise PermissionDenied
    response = HttpResponse(SAMPLE_CSV.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="organisations-sample.csv"'
    return response


def urls(model_admin) -> list:
    """The pages' URLs, under the 部门 admin (admin:accounts_app_department_onboard, …)."""
    wrap = model_admin.admin_site.admin_view

    def onboard_view(request):
        return onboard(request, model_admin)

    def import_view(request):
        return organisations_import_page(request, model_admin)

    return [
        path("onboard/", wrap(onboard_view), name="accounts_app_department_onboard"),
        path("import/", wrap(import_view), name="accounts_app_department_import"),
        path("import/sample.csv", wrap(sample_csv), name="accounts_app_department_import_sample"),
    ]
