"""A year's current published figures as one CSV, streamed in constant memory:
one query read through a cursor, written row by row through exporting.cells (UTF-8 with
BOM so Excel opens it; names a spreadsheet would run as a formula defused, amounts
written as numbers)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Path, Router

from ..exporting.cells import BOM, csv_lines
from . import queries
from .endpoints import figure_item
from .schemas import COMMON_ERRORS, YEAR_RANGE, described, error_schemas

__all__ = ["BOM", "CSV_COLUMNS", "figures_csv", "router"]

CHUNK = 2000

# (header as printed: 中文名 + English key, field of `figure_item`)
CSV_COLUMNS = (
    ("年度 year", "year"),
    ("行政区划代码 region_code", "region"),
    ("行政区划 region", "region_name"),
    ("部门 department", "department"),
    ("单位 unit", "unit"),
    ("类型 kind", "kind"),
    ("决算公开编号 disclosure_id", "disclosure_id"),
    ("版本编号 version_id", "version_id"),
    ("表键 table", "table"),
    ("表名 table_title", "table_title"),
    ("行键 row_code", "row"),
    ("项目/科目名称 row_name", "label"),
    ("栏键 column", "column"),
    ("栏名 column_heading", "column_heading"),
    ("金额 amount", "amount"),
)

router = Router(tags=["批量下载"])
ERRORS = sorted({404, *COMMON_ERRORS})  # 404: a year that is no number's address ("/years/a%2Fb/…")


def _values(row: dict) -> list:
    """A figure's cells: its place as `figure_item` names it, its amount as the stored number."""
    item = {**figure_item(row), "amount": row["amount"]}
    return [item[field] for _, field in CSV_COLUMNS]


def _table(rows: QuerySet) -> Iterator[list]:
    """The header, then a row per figure (`rows`: tuples of queries.PAGE_FIELDS)."""
    yield [header for header, _ in CSV_COLUMNS]
    for row in rows.iterator(chunk_size=CHUNK):
        yield _values(dict(zip(queries.PAGE_FIELDS, row)))


def figures_csv(rows: QuerySet) -> Iterator[str]:
    return csv_lines(_table(rows))


@router.get(
    "/years/{year}/figures.csv",
    summary="一个年度全部数据的 CSV",
    operation_id="year_figures_csv",
    response=error_schemas(*ERRORS),
    description=(
        "该年度所有现行公开版本的全部数据，一个数据一行（UTF-8 带 BOM，可直接用 Excel 打开）。"
        "表头为中文名加英文键；金额为两位小数，空值表示“——”（不适用）；空白单元格不输出。"
    ),
    openapi_extra={
        "responses": {
            **described(*ERRORS)["responses"],
            200: {
                "description": "CSV 文件：" + "，".join(header for header, _ in CSV_COLUMNS),
                "content": {"text/csv": {"schema": {"type": "string"}}},
            },
        }
    },
)
def year_figures_csv(request: HttpRequest, year: int = Path(..., **YEAR_RANGE, description="年度，如 2023")):
    response = StreamingHttpResponse(figures_csv(queries.figure_rows(year=year)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="figures-{year}.csv"'
    return response
