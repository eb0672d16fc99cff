"""The public lists as django-tables2 tables: sortable, paginated, formatted here.

An unknown figure shows 「—」 (the tables' default), a known zero 0.00."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ..numbers import money
from ..specs.key_figures import COMPARED, EXPENSE_PARTS, KEY_LABELS


UNKNOWN = "—"

# The home list's filters the API's list takes under the same names (docs/api.md), each with
# what a value must look like to be passed on (anything else is left out of the link).
API_LIST_FILTERS = {
    "year": re.compile(r"[0-9]{4}"),
    "region": re.compile(r"[0-9]{1,12}"),
    "kind": re.compile(r"department|unit"),
    "q": re.compile(r"[^\x00]{1,100}"),
}


def _amount(value) -> str:
    return UNKNOWN if value in (None, "") else money(Decimal(value))


def api_list_query(params) -> dict[str, str]:
    """The filters of a list's query string (`params`: request.GET) that the API's list of
    disclosures answers the same way, stripped, in a fixed order; invalid ones left out."""
    found = {}
    for name, pattern in API_LIST_FILTERS.items():
        value = (params.get(name) or "").strip()
        if value and pattern.fullmatch(value):
            found[name] = value
    return found


class OnePassRows:
    """A django-tables2 table whose body is built in one pass over the records of the page
    shown: `cells(record)` gives each row's cells as HTML, in the order of the columns. The
    per-cell rendering of django-tables2 (an accessor, a signature inspected, a template per
    date) took more than half of a list page's time; its header, sorting and pagination stay."""

    def cells(self, record) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def body_html(self) -> SafeString:
        """The rows of the page shown (all rows when not paginated) as <tr> markup; "" when
        there are none (the template says so): the page's rows only, nothing counted."""
        page = getattr(self, "page", None)
        records = [row.record for row in page.object_list] if page else list(self.data)
        rows = ("<tr>" + "".join(f"<td>{cell}</td>" for cell in self.cells(record)) + "</tr>" for record in records)
        return mark_safe("".join(rows))


class DisclosureTable(OnePassRows, tables.Table):
    """The public list of disclosures (selectors.disclosures_listed): its listing columns."""

    year = tables.Column(accessor="listed_year", verbose_name="年度")
    region = tables.Column(accessor="listed_region_name", verbose_name="地区", order_by="listed_region")
    entity = tables.Column(accessor="listed_name", verbose_name="部门/单位", order_by=("listed_department", "listed_unit"))
    kind = tables.Column(verbose_name="类型")
    published = tables.DateTimeColumn(accessor="current_version__published_at", verbose_name="公开时间", format="Y-m-d")
    version = tables.Column(accessor="current_version__number", verbose_name="版本", orderable=False)

    class Meta:
        template_name = "tables/rows.html"
        attrs = {"class": "list", "id": "disclosure-list"}
        order_by = ("-year", "region", "entity")
        empty_text = "没有符合条件的决算。"

    @property
    def api_filters(self) -> dict[str, str]:
        """The list's filters as the API takes them (set once RequestConfig gave the request)."""
        request = getattr(self, "request", None)
        return api_list_query(request.GET) if request is not None else {}

    @property
    def api_url(self) -> str:
        """This list as JSON: /api/disclosures with the same filters."""
        query = urlencode(self.api_filters)
        return reverse("api:disclosure_list") + (f"?{query}" if query else "")

    @property
    def filtered_year(self) -> int | None:
        """The year the list is filtered to, if any (its bulk CSV is that year's)."""
        year = self.api_filters.get("year")
        return int(year) if year else None

    def cells(self, record) -> tuple[str, ...]:
        version = record.current_version
        published = timezone.localtime(version.published_at).strftime("%Y-%m-%d") if version.published_at else UNKNOWN
        return (
            str(record.listed_year),
            escape(record.listed_region_name),
            format_html('<a href="{}">{}</a>', reverse("disclosure", args=[record.pk]), record.listed_name),
            escape(record.get_kind_display()),
            published,
            f"第 {version.number} 版",
        )


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
        default = UNKNOWN  # a figure the department's tables do not hold
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
        return _amount(value)


for _key in COMPARED:  # the compared key figures, named as specs.key_figures names them
    CompareTable.base_columns[_key].verbose_name = KEY_LABELS[_key]
for _key in EXPENSE_PARTS:
    CompareTable.base_columns[f"{_key}_share"].verbose_name = f"{KEY_LABELS[_key]}占比%"
