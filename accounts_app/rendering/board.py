"""The public timeliness and quality board as a django-tables2 table over the board's rows
(services.board.BoardRow): its columns give the headers, the sorting (on keys that are never
None) and the pagination; the body of the page shown is built here in one pass, as
rendering.tables does for the disclosure tables (a cell-by-cell render costs more than the
rest of the page), and the CSV takes its values from the same rows, in the table's order."""

from __future__ import annotations

from collections.abc import Iterator

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

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


def _column(attribute: str, *order_by: str) -> tables.Column:
    return tables.Column(accessor=attribute, verbose_name=HEADINGS[attribute], order_by=(*order_by, "position"))


class BoardTable(tables.Table):
    department = _column("department", "department")
    entity = _column("entity", "entity")
    kind = _column("kind_label", "kind")
    approval_date = _column("approval_text", "approval_rank")
    deadline = _column("deadline_text", "approval_rank")
    published = _column("published_text", "published_rank")
    status = _column("status_label", "status_rank")
    coverage = _column("coverage_label", "coverage_rank")
    score = _column("score_text", "score_rank")
    grade = _column("grade", "score_rank")

    class Meta:
        template_name = "tables/board.html"
        attrs = {"class": "list", "id": "board"}
        order_by = ("department",)
        empty_text = "没有符合条件的部门或单位。"

    @property
    def body_html(self) -> SafeString:
        """The rows of the page shown (all rows when not paginated), as <tr> markup."""
        page = getattr(self, "page", None)
        records = [row.record for row in page.object_list] if page else self.data
        return mark_safe("".join(_row_html(record) for record in records))


def _row_html(row) -> str:
    if row.disclosure_id and row.is_published:
        entity = format_html('<a href="{}">{}</a>', reverse("disclosure", args=[row.disclosure_id]), row.entity)
    else:
        entity = escape(row.entity)
    status = format_html('<span class="urgency-overdue">{}</span>', row.status_label) if row.days_late else escape(row.status_label)
    cells = (
        escape(row.department), entity, escape(row.kind_label), row.approval_text, row.deadline_text, row.published_text,
        status, escape(row.coverage_label or NONE), row.score_text or NONE, escape(row.grade or NONE),
    )
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def board_values(table: BoardTable) -> Iterator[list]:
    """The CSV: the headings, then every row in the table's order ("" for nothing)."""
    yield [heading for heading, _ in EXPORT]
    for record in table.data:
        yield ["" if (value := getattr(record, attribute)) is None else value for _, attribute in EXPORT]
