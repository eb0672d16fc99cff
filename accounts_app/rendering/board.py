"""The public timeliness and quality board as a django-tables2 table over the board's rows (the
queryset of services.board.board_rows, whose records are BoardRow): its columns give the
headers, the sorting (each column's order_by names the query's sort keys, never NULL, so that
the database sorts) and the pagination (the database pages, the number of rows counted with the
summary); the body of the page shown is built here in one pass from the page's records only,
as rendering.tables does for the disclosure tables (a cell-by-cell render costs more than the
rest of the page), and the CSV takes its values from the same rows, in the table's order."""

from __future__ import annotations

from collections.abc import Iterator

import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.functional import cached_property
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
# The default order, every sort's last keys (services.board.POSITION): each department, then its
# units (本级 first). Descending sorts reverse them too, as a reversed sort of the rows would.
POSITION = ("position_department", "position_group", "position_entity")


def _column(attribute: str, *order_by: str) -> tables.Column:
    """The column printing the row's `attribute`, sorted by the query's columns `order_by`."""
    return tables.Column(accessor=attribute, verbose_name=HEADINGS[attribute], order_by=(*order_by, *POSITION))


class CountedPaginator(Paginator):
    """The board's pages: its rows are counted with its summary (services.board.board_counts),
    not once more by the paginator."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted = count

    @cached_property
    def count(self) -> int:
        return self.counted


class BoardTable(tables.Table):
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
        template_name = "tables/board.html"
        attrs = {"class": "list", "id": "board"}
        order_by = ("department",)
        empty_text = "没有符合条件的部门或单位。"

    @property
    def has_rows(self) -> bool:
        """Whether the page shown (the table, when not paginated) has rows: the page's own rows,
        fetched once for the body too, rather than a count of the table's."""
        page = getattr(self, "page", None)
        return bool(page.object_list) if page else bool(len(self.data))

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
