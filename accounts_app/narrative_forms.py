"""The forms of the text parts: 概况, 补充数据 (built from specs.facts), the written parts of
情况说明 (built from the drafted sections), optional sections and 绩效自评表. Every box for
text people write is a paragraph high (rows ≥ 5; static/css/work.css gives it its column's width)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from .numbers import AMOUNT_LIMIT, NotANumber, parse_number
from .models import ExtraSection, PerformanceEvaluation, PerformanceFund, PerformanceIndicator, Profile, Version
from .selectors import version_dataset
from .narrative.requirements import FACTS_TABLE, PROFILE_TABLE
from .specs.facts import CODE_LISTS, FACTS, GROUPS, NIL
from .specs.tables.subject_tables import GPB_EXPENSE


class LinesField(forms.CharField):
    """A list of strings edited as one line each (职责, 内设机构, 单位)."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ProfileForm(forms.ModelForm):
    duties = LinesField(label="部门职责（每行一条，按顺序）", required=False)
    internal_bodies = LinesField(label="内设机构（每行一个）", required=False)
    units = LinesField(label="决算单位构成（每行一个单位，本级在前）", required=False)

    class Meta:
        model = Profile
        fields = (
            "duties", "organisation", "internal_bodies", "units",
            "staff_in_service", "staff_retired", "staff_other", "staff_notes",
        )
        widgets = {
            "organisation": forms.Textarea(attrs={"rows": 5}),
            "staff_notes": forms.Textarea(attrs={"rows": 5}),
        }


def fact_codes(version: Version, per: str) -> list[tuple[str, str]]:
    """The codes a per-code fact is entered for: the 项 of the version's 一般公共预算
    财政拨款支出决算表, or a fixed list of specs.facts."""
    if per == "subject_items":
        table = version_dataset(version).get(GPB_EXPENSE)
        if table is None:
            return []
        return [(code, f"{code} {line.label}") for code, line in table.lines.items() if len(code) == 7]
    return list(CODE_LISTS[per])


def fact_field_name(key: str, code: str) -> str:
    return f"{key}__{code}" if code else key


class FactField(forms.Field):
    """A figure, or 「无」 (NIL); empty means not entered. Counts are whole numbers."""

    widget = forms.TextInput

    def __init__(self, *, amount: bool, **kwargs):
        self.amount = amount
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "placeholder": "数字，没有的填“无”", "size": 14, "maxlength": 30})

    def prepare_value(self, value):
        if value is None or value == "":
            return ""
        if value == NIL:
            return NIL
        return value if self.amount else int(value)

    def to_python(self, value):
        text = str(value or "").strip()[:30]
        if not text:
            return None
        if text in (NIL, "没有", "不适用"):
            return NIL
        try:
            number = parse_number(text)  # the importer's parser: its characters, its range
        except NotANumber as refused:
            if refused.code == "number.out_of_range":
                raise forms.ValidationError(f"数字过大：应小于 {AMOUNT_LIMIT:,.0f}。") from None
            raise forms.ValidationError("请填写数字，没有的请填“无”。") from None
        if number < 0:
            raise forms.ValidationError("请填写不小于 0 的数字。")
        if self.amount:
            if number != number.quantize(Decimal("0.01")):
                raise forms.ValidationError("金额以万元为单位，最多两位小数。")
            return number.quantize(Decimal("0.01"))
        if number != number.to_integral_value():
            raise forms.ValidationError("数量须为整数。")
        return number.quantize(Decimal(1))


class FactsForm(forms.Form):
    """One field per fact (and per code): a figure, 「无」, or empty (not entered)."""

    def __init__(self, *args, version: Version, initial_facts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: dict[str, tuple[str, str]] = {}
        self.groups: list[tuple[str, list[str]]] = [(group, []) for group in GROUPS]
        names_of = dict(self.groups)
        for fact in FACTS:
            codes = fact_codes(version, fact.per) if fact.per else [("", "")]
            for code, code_label in codes:
                name = fact_field_name(fact.key, code)
                label = f"{fact.label}：{code_label}" if code else fact.label
                unit = "万元" if fact.is_amount else fact.unit
                common = {"label": f"{label}（{unit}）", "required": False, "help_text": fact.help}
                field = FactField(amount=fact.is_amount, **common)
                key = (fact.key, code)
                field.initial = (NIL if initial_facts[key] is None else initial_facts[key]) if key in initial_facts else None
                self.fields[name] = field
                self.keys[name] = (fact.key, code)
                names_of[fact.group].append(name)
        self.groups = [(group, [self[name] for name in names]) for group, names in self.groups if names]

    def facts(self) -> dict:
        """The facts submitted (a field the request did not carry is left as it is)."""
        return {self.keys[name]: value for name, value in self.cleaned_data.items() if name in self.data}


class WrittenForm(forms.Form):
    """The parts people write, one field per (section, field) of the drafted sections."""

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: dict[str, tuple[str, str]] = {}
        self.sections = []
        for section, written in pairs:
            name = f"{section.key}__{written.key}"
            self.fields[name] = forms.CharField(
                label=written.label + ("（须说明）" if written.required else ""), required=False, initial=written.text,
                max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
            )
            self.keys[name] = (section.key, written.key)
            if not self.sections or self.sections[-1][0] is not section:
                self.sections.append((section, []))
            self.sections[-1][1].append(self[name])

    def texts(self) -> dict:
        """The parts submitted (a part the request did not carry is left as it is)."""
        return {self.keys[name]: value for name, value in self.cleaned_data.items() if name in self.data}


class TableTextField(forms.CharField):
    """A simple table typed as lines of cells separated by “|” or tabs (first line: header)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        return "\n".join(" | ".join(row) for row in value) if isinstance(value, list) else value

    def to_python(self, value):
        rows = []
        for line in (value or "").splitlines():
            if line.strip():
                rows.append([cell.strip() for cell in line.replace("\t", "|").split("|")])
        return rows


class ExtraSectionForm(forms.ModelForm):
    table = TableTextField(label="表格（可选：每行一行，单元格以“|”分隔，第一行为表头）", required=False)

    class Meta:
        model = ExtraSection
        fields = ("title", "body", "table")
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


ExtraSectionFormSet = forms.modelformset_factory(ExtraSection, form=ExtraSectionForm, extra=1, can_delete=True)


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = PerformanceEvaluation
        fields = ("kind", "name", "department", "implementer", "goal_expected", "goal_actual", "total_weight", "total_score")
        widgets = {"goal_expected": forms.Textarea(attrs={"rows": 5}), "goal_actual": forms.Textarea(attrs={"rows": 5})}


FundFormSet = forms.inlineformset_factory(
    PerformanceEvaluation, PerformanceFund,
    fields=("label", "initial_budget", "full_budget", "executed", "weight", "rate", "score"),
    extra=2, can_delete=True,
)
IndicatorFormSet = forms.inlineformset_factory(
    PerformanceEvaluation, PerformanceIndicator,
    fields=("group", "level1", "level2", "level3", "target", "actual", "weight", "score", "deviation", "reason"),
    widgets={"reason": forms.Textarea(attrs={"rows": 5})},
    extra=3, can_delete=True,
)


def where_stated(finding) -> tuple[str, str]:
    """(url name, field id) of the form where a 待填写 finding (narrative.requirements) is filled in."""
    if finding.table == FACTS_TABLE:
        return "work:narrative_facts", f"id_{fact_field_name(finding.row, finding.column)}"
    if finding.table == PROFILE_TABLE:
        return "work:narrative_profile", f"id_{finding.row}"
    return "work:narrative_text", f"id_{finding.row}__{finding.column}"
