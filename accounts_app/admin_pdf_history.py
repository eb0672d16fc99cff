"""The admin's page for importing one published PDF as history (services.pdf_history), for
管理员: the region, optionally the disclosure (else the PDF's cover names it), the date the
department published it, the file. The result shows what was imported, or why not, with the
problems found. Linked from the 版本 list; its URL hangs under the 版本 admin (`urls`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from . import access
from .importing.workbook import MAX_FILE_BYTES, human_size
from .models import Disclosure, Region
from .services.pdf_history import ORIGIN_LABEL, Result, published_pdf_import


class PdfImportForm(forms.Form):
    region = forms.ModelChoiceField(Region.objects.order_by("code"), label="行政区划")
    disclosure = forms.ModelChoiceField(
        Disclosure.objects.select_related("department", "unit", "year").order_by("-year__year", "department__name"),
        label="决算公开", required=False, help_text="留空：按 PDF 封面上的部门（单位）名称和年度匹配。",
    )
    published_on = forms.DateField(
        label="原公开日期", widget=forms.DateInput(attrs={"type": "date"}), help_text="部门当年在网上公开这份 PDF 的日期。"
    )
    pdf = forms.FileField(label="已公开的 PDF", help_text=f"由 Word、WPS 或决算软件导出的 PDF，不超过 {human_size(MAX_FILE_BYTES)}。")

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"文件过大（{human_size(upload.size)}），上限为 {human_size(MAX_FILE_BYTES)}。")
        return upload

    def clean(self):
        cleaned = super().clean()
        disclosure, region = cleaned.get("disclosure"), cleaned.get("region")
        if disclosure is not None and region is not None and disclosure.department.region_id != region.pk:
            self.add_error("disclosure", "所选决算公开不属于所选行政区划。")
        return cleaned


def import_pdf_page(request, model_admin):
    if not access.scope_of(request.user).is_admin:
        raise PermissionDenied
    form = PdfImportForm(request.POST or None, request.FILES or None)
    context = {
        **model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "form": form,
        "title": f"导入已公开的 PDF（{ORIGIN_LABEL}）",
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["pdf"]
        outcome = published_pdf_import(
            region=form.cleaned_data["region"], data=upload.read(), filename=upload.name,
            published_on=form.cleaned_data["published_on"], user=request.user,
            disclosure=form.cleaned_data["disclosure"],
        )
        context.update(outcome=outcome, imported=outcome.result in (Result.IMPORTED, Result.ALREADY))
    return TemplateResponse(request, "admin/accounts_app/version/import_pdf.html", context)


def urls(model_admin) -> list:
    def view(request):
        return import_pdf_page(request, model_admin)

    return [path("import-pdf/", model_admin.admin_site.admin_view(view), name="accounts_app_version_import_pdf")]
