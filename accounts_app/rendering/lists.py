"""The public lists as django-tables2 tables: sortable, paginated, formatted here."""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from ..numbers import money
from ..specs.key_figures import COMPARED, EXPENSE_PARTS, KEY_LABELS


def _amount(value) -> str:
    return "" if value in (None, "") else money(Decimal(value))


class DisclosureTable(tables.Table):
    year = tables.Column(accessor="year__year", verbose_name="年度")
    region = tables.Column(accessor="department__region__name", verbose_name="地区", order_by="department__region__code")
    entity = tables.Column(accessor="department__name", verbose_name="部门/单位", order_by=("department__name", "unit__name"))
    kind = tables.Column(verbose_name="类型")
    published = tables.DateTimeColumn(accessor="current_version__published_at", verbose_name="公开时间", format="Y-m-d")
    version = tables.Column(accessor="current_version__number", verbose_name="版本", orderable=False)

    class Meta:
        template_name = "tables/list.html"
        attrs = {"class": "list", "id": "disclosure-list"}
        order_by = ("-year", "region", "entity")
        empty_text = "没有符合条件的决算。"

    def render_entity(self, record):
        url = reverse("disclosure", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.entity_name)

    def render_version(self, value):
        return f"第 {value} 版"


class CompareTable(tables.Table):
    """One year, the departments of a region side by side (rows are dicts); the amounts are
    right-aligned by the table's class `numbers`."""

    entity = tables.Column(verbose_name="部门")
    income_grand = tables.Column()  # labelled from specs.key_figures below
    expense_grand = tables.Column()  # labelled from specs.key_figures below
    fiscal_income = tables.Column()  # labelled from specs.key_figures below
    basic = tables.Column()  # labelled from specs.key_figures below
    basic_share = tables.Column()
    project = tables.Column()  # labelled from specs.key_figures below
    project_share = tables.Column()
    three_public = tables.Column()  # labelled from specs.key_figures below
    operating = tables.Column(verbose_name="机关运行经费", orderable=False)

    class Meta:
        template_name = "tables/list.html"
        attrs = {"class": "list numbers", "id": "compare"}
        order_by = ("-expense_grand",)
        empty_text = "该年度本地区还没有已公开的部门决算。"

    def render_entity(self, record):
        if record.get("pk") is None:
            return format_html("<strong>{}</strong>", record["entity"])
        return format_html('<a href="{}">{}</a>', reverse("disclosure", args=[record["pk"]]), record["entity"])

    def render_income_grand(self, value):
        return _amount(value)

    render_expense_grand = render_fiscal_income = render_basic = render_project = render_three_public = render_income_grand

    def render_basic_share(self, value):
        return "" if value is None else f"{value:.2f}"

    render_project_share = render_basic_share

    def render_operating(self, value):
        return _amount(value) if value is not None else "—"


for _key in COMPARED:  # the compared key figures, named as specs.key_figures names them
    CompareTable.base_columns[_key].verbose_name = KEY_LABELS[_key]
for _key in EXPENSE_PARTS:
    CompareTable.base_columns[f"{_key}_share"].verbose_name = f"{KEY_LABELS[_key]}占比%"
