"""Forms of the upload page: which disclosure, and the workbook."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .models import Department, Disclosure, FiscalYear, Unit
from .services.organisations import disclosure_ensure

XLSX_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
    "application/zip",
}


class WorkbookField(forms.FileField):
    """An .xlsx file no larger than WORKBOOK_MAX_UPLOAD_BYTES; its content is checked by the importer."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        limit = settings.WORKBOOK_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"文件过大：{filesizeformat(upload.size)}，上限为 {filesizeformat(limit)}。", code="too_large"
            )
        if not upload.name.lower().endswith((".xlsx", ".xlsm")):
            raise forms.ValidationError(
                f"只接受 Excel 工作簿（.xlsx）；上传的是「{upload.name}」。如为 .xls 格式，请在 Excel 中另存为 .xlsx。",
                code="extension",
            )
        return upload


class WorkbookUploadForm(forms.Form):
    """Choose an existing disclosure, or name a new one (department, year, kind), and upload."""

    disclosure = forms.ModelChoiceField(
        label="已有的决算公开",
        queryset=Disclosure.objects.none(),
        required=False,
        empty_label="（新建）",
    )
    department = forms.ModelChoiceField(label="部门", queryset=Department.objects.none(), required=False)
    kind = forms.ChoiceField(label="类型", choices=Disclosure.Kind.choices, initial=Disclosure.Kind.DEPARTMENT)
    unit = forms.ModelChoiceField(
        label="单位（单位决算）", queryset=Unit.objects.none(), required=False, help_text="部门决算留空。"
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)
    workbook = WorkbookField(label="决算公开表工作簿（.xlsx）")

    def __init__(self, *args, disclosures, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disclosure"].queryset = disclosures.select_related("department", "unit", "year")
        self.fields["department"].queryset = departments
        self.fields["unit"].queryset = Unit.objects.filter(department__in=departments).select_related("department")

    def clean(self):
        data = super().clean()
        if data.get("disclosure"):
            return data
        department, kind, unit, year = (data.get(k) for k in ("department", "kind", "unit", "year"))
        if not department:
            self.add_error("department", "请选择已有的决算公开，或选择部门以新建。")
        if not year:
            self.add_error("year", "新建决算公开须填写年度。")
        if kind == Disclosure.Kind.UNIT and not unit:
            self.add_error("unit", "单位决算须选择单位。")
        if kind == Disclosure.Kind.DEPARTMENT and unit:
            self.add_error("unit", "部门决算不选择单位。")
        if unit and department and unit.department_id != department.pk:
            self.add_error("unit", f"「{unit.name}」不属于「{department.name}」。")
        return data

    def target_disclosure(self) -> Disclosure:
        """The chosen disclosure, or the one named by department/unit/year/kind (created if new)."""
        data = self.cleaned_data
        if data.get("disclosure"):
            return data["disclosure"]
        department, unit = data["department"], data.get("unit")
        existing = Disclosure.objects.filter(
            department=department, unit=unit, year__year=data["year"], kind=data["kind"]
        ).first()
        if existing:
            return existing
        FiscalYear.objects.get_or_create(year=data["year"])
        return disclosure_ensure(
            region=department.region,
            entity=unit.name if unit else department.name,
            department=department.name,
            year=data["year"],
            kind=data["kind"],
        )


class UploadForm(forms.Form):
    workbook = WorkbookField(label="决算公开表工作簿（.xlsx）")


# -- the workspace's review forms ---------------------------------------------------------------
# Every text a person writes gets a box for a paragraph (rows ≥ 5; work.css gives it the column's width).

PARAGRAPH = {"rows": 5}


class ApprovalDateForm(forms.Form):
    approval_date = forms.DateField(label="批复日期", widget=forms.DateInput(attrs={"type": "date"}))


class CorrectionNoteForm(forms.Form):
    correction_note = forms.CharField(
        label="更正说明（公开展示：更正了什么、为什么）", required=False, widget=forms.Textarea(attrs=PARAGRAPH)
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs=PARAGRAPH))


class CommentForm(forms.Form):
    """A comment on the whole version, one table or one row: `target` is "table:row" (a
    services.workflow.RowTarget's value; "" for the whole version), chosen in a select of the
    rows grouped by table (or filled by clicking a row). services.workflow.comment_add says
    whether the row exists."""

    target = forms.ChoiceField(label="针对", required=False)
    text = forms.CharField(label="意见", widget=forms.Textarea(attrs=PARAGRAPH))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "（整个版本）")]
        groups: dict[str, list] = {}
        for target in targets:
            groups.setdefault(target.table_label, []).append((target.value, target.row_label if target.row else "（整张表）"))
        self.fields["target"].choices = choices + list(groups.items())


class ExplainAllForm(forms.Form):
    explanation = forms.CharField(label="说明", widget=forms.Textarea(attrs=PARAGRAPH))
    replace = forms.BooleanField(label="已有说明的也改为此说明", required=False)


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label="定时公开（留空则立即公开）",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
