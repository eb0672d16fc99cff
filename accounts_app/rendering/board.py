"""The public timeliness and quality board as a django-tables2 table over the board's rows (the
rows of services.board.board_rows, read as a queryset, whose records are BoardRow): its
columns give the headers, the sorting (each column's order_by names the statement's sort keys,
so that the database sorts) and the pagination (the database pages, the number of rows counted
with the summary); the body of the page shown is built in one pass from the page's records only
(rendering.lists OnePassRows, as the home list), and the CSV takes its values from the same
rows, in the table's order."""

from __future__ import annotations

from collections.abc import Iterator

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import escape, format_html

from .lists import OnePassRows

NONE = "—"

# (heading, attribute of the row) of each CSV column: the page's, with the region, the year
# and the days late, which the page shows in its heading and its status column.
EXPORT = (
    ("地区", "region"),
    ("年度", "year"),
    ("部门", "department"),
    ("公开主体", "entity"),
    ("类型", "kind_label"),
    ("批复日期", "approval_text"),
    ("截止日期", "deadline_text"),
    ("公开日期", "published_text"),
    ("公开情况", "status_label"),
    ("逾期天数", "days_late"),
    ("所属单位公开", "coverage_label"),
    ("公开质量", "score_text"),
    ("等级", "grade"),
)
HEADINGS = {attribute: heading for heading, attribute in EXPORT}
# The default order (services.board's too), every sort's last keys: each department by name,
# then its units, the main unit (本级) first, then by name (services.board_sql's columns).
# Descending sorts reverse them too, as a reversed sort of the rows would.
POSITION = ("position_department", "position_group", "position_entity")


def _column(attribute: str, *order_by: str) -> tables.Column:
    """The column printing the row's `attribute`, sorted by the query's columns `order_by`."""
    return tables.Column(accessor=attribute, verbose_name=HEADINGS[attribute], order_by=(*order_by, *POSITION))


class BoardTable(OnePassRows, tables.Table):
    department = _column("department", "department_name")
    entity = _column("entity", "entity_name")
    kind = _column("kind_label", "kind")
    approval_date = _column("approval_text", "approval_rank")
    deadline = _column("deadline_text", "approval_rank")
    published = _column("published_text", "published_rank")
    status = _column("status_label", "status_rank", "status_days")
    coverage = _column("coverage_label", "coverage_rank")
    score = _column("score_text", "score_rank")
    grade = _column("grade", "score_rank")

    class Meta:
        template_name = "tables/rows.html"
        attrs = {"class": "list", "id": "board"}
        order_by = ("department",)
        empty_text = "没有符合条件的部门或单位。"

    def cells(self, record) -> tuple[str, ...]:
        if record.disclosure_id and record.is_published:
            entity = format_html('<a href="{}">{}</a>', reverse("disclosure", args=[record.disclosure_id]), record.entity)
        else:
            entity = escape(record.entity)
        label = record.status_label
        status = format_html('<span class="urgency-overdue">{}</span>', label) if record.days_late else escape(label)
        return (
            escape(record.department), entity, escape(record.kind_label), record.approval_text, record.deadline_text,
            record.published_text, status, escape(record.coverage_label or NONE), record.score_text or NONE,
            escape(record.grade or NONE),
        )


def board_values(table: BoardTable) -> Iterator[list]:
    """The CSV: the headings, then every row in the table's order ("" for nothing)."""
    yield [heading for heading, _ in EXPORT]
    for record in table.data:
        yield ["" if (value := getattr(record, attribute)) is None else value for _, attribute in EXPORT]
