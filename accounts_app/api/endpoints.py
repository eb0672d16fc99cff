"""The JSON endpoints: lists, a disclosure with its versions, a version's tables, a
table's rows and flat figures. GET only, published data only."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.errors import HttpError, ValidationError

from ..dataset import display_title
from ..selectors import disclosures_listed, listed_count
from ..models import Disclosure, Version, VersionTable
from ..specs import TableSpec, specs_for_year
from ..specs.key_figures import KEY_LABELS
from . import queries
from .schemas import (
    COMMON_ERRORS,
    ID_RANGE,
    TABLE_KEY,
    DisclosureDetailOut,
    DisclosureFilters,
    DisclosurePage,
    FigureFilters,
    FigurePage,
    FigurePageQuery,
    Page,
    TableOut,
    VersionOut,
    amount_text,
    described,
    error_schemas,
)

DISCLOSURE_NOT_FOUND = "没有找到该决算公开：编号不存在，或尚未公开。"
VERSION_NOT_FOUND = "没有找到该版本：编号不存在，或尚未公开。"
TABLE_NOT_FOUND = "该版本中没有这张表。"
FIGURES_UNBOUNDED = (
    "按科目编码（code）或栏（column）筛选时，请同时指定部门（department），或同时指定年度和地区（year 与 region）。"
    "一年的全部数据可下载 /api/years/{year}/figures.csv。"
)

FIGURES_OFFSET_TOO_DEEP = "offset 至多为 {limit}。请改用上一页返回的 next 游标（cursor 参数）继续翻页。"
CURSOR_INVALID = "cursor 不正确：请使用上一页返回的 next 的值。"

VERSION_ID = Path(..., **ID_RANGE, description="版本编号（见 version_id 或 versions[].id）")

router = Router(tags=["公开数据"])


def get(path: str, schema, *errors: int, summary: str, description: str):
    """Register a GET endpoint: its schema, its error responses (`errors`, and those every
    operation can give: COMMON_ERRORS) with their bodies, Chinese descriptions, and the
    view's name as operation id."""
    statuses = sorted({*errors, *COMMON_ERRORS})

    def register(view):
        return router.get(
            path,
            response={200: schema, **error_schemas(*statuses)},
            operation_id=view.__name__,
            openapi_extra=described(200, *statuses),
            summary=summary,
            description=description,
        )(view)

    return register


# -- shaping -------------------------------------------------------------------------


def _entity(disclosure: Disclosure) -> dict:
    """Whose disclosure, from its listing columns (every published disclosure is listed, and
    services.listing keeps them those of its rows): the lists read no other row."""
    return {
        "year": disclosure.listed_year,
        "region": {"code": disclosure.listed_region, "name": disclosure.listed_region_name},
        "department": {"id": disclosure.department_id, "name": disclosure.listed_department},
        "unit": disclosure.listed_unit or None,
        "kind": disclosure.kind,
        "kind_label": disclosure.get_kind_display(),
    }


def _key_figures(version: Version) -> dict:
    return {key: amount_text(version.summary.get(key)) for key in KEY_LABELS}


def _version_brief(version: Version) -> dict:
    return {
        "id": version.pk,
        "number": version.number,
        "published_at": version.published_at,
        "correction_note": version.correction_note,
        "is_current": version.disclosure.current_version_id == version.pk,
    }


def _disclosure(current: Version) -> dict:
    disclosure = current.disclosure
    return {
        **_entity(disclosure),
        "id": disclosure.pk,
        "version_id": current.pk,
        "version": current.number,
        "published_at": current.published_at,
        "figures": _key_figures(current),
    }


def _spec(year: int, table: str) -> TableSpec | None:
    """The table's spec, None for a table no spec of the year knows any more."""
    return specs_for_year(year).get(table)


def _title(spec: TableSpec | None, stored: VersionTable) -> str:
    """The title as the department printed it (its region's wording), else the spec's."""
    return display_title(stored.printed_title) or (spec.title if spec else "")


def _heading(spec: TableSpec | None, column: str) -> str:
    found = next((c for c in spec.stored_columns if c.key == column), None) if spec else None
    return found.heading if found else column


def _published_version(request: HttpRequest, version_id: int) -> Version:
    version = queries.published(request.user).filter(pk=version_id).first()
    if version is None:
        raise HttpError(404, VERSION_NOT_FOUND)
    return version


def _answer(count: int, found, page: Page, shape) -> dict:
    """The answer of a list: the count of all matches and the rows of the page, shaped."""
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": [shape(row) for row in found]}


# -- endpoints -----------------------------------------------------------------------


@get(
    "/disclosures", DisclosurePage,
    summary="决算公开列表",
    description="已公开的部门决算和单位决算，每项带现行版本的主要数据。可按年度、地区、部门、类型和名称关键词筛选，分页返回。",
)
def disclosure_list(request: HttpRequest, filters: Query[DisclosureFilters], page: Query[Page]):
    chosen = filters.model_dump()
    disclosures = disclosures_listed(**chosen)
    counted = listed_count(disclosures, **chosen)
    found = disclosures.order_by(*queries.LIST_ORDER)[page.offset : page.offset + page.limit]
    return {**_answer(counted.value, [_as_current(d) for d in found], page, _disclosure), "count_exact": counted.exact}


def _as_current(disclosure: Disclosure) -> Version:
    """The current version of a listed disclosure (read with it), as the shaping takes it."""
    version = disclosure.current_version
    version.disclosure = disclosure
    return version


@get(
    "/disclosures/{disclosure_id}", DisclosureDetailOut, 404,
    summary="一项决算公开及其全部公开版本",
    description="现行版本的主要数据，以及全部已公开版本（版本号、公开时间、更正说明、是否现行）。",
)
def disclosure_detail(request: HttpRequest, disclosure_id: int = Path(..., **ID_RANGE, description="决算公开编号")):
    history = queries.version_history(request.user, disclosure_id)
    current = next((v for v in history if v.disclosure.current_version_id == v.pk), None)
    if current is None:
        raise HttpError(404, DISCLOSURE_NOT_FOUND)
    return {**_disclosure(current), "versions": [_version_brief(version) for version in history]}


@get(
    "/versions/{version_id}", VersionOut, 404,
    summary="一个公开版本及其决算表",
    description="已公开的版本（现行或已被更正的旧版本）：主要数据和表的清单（表键、表名、表号、行数）。",
)
def version_detail(request: HttpRequest, version_id: int = VERSION_ID):
    version = _published_version(request, version_id)
    year = version.disclosure.year.year
    tables = [
        {"key": t.table, "title": _title(_spec(year, t.table), t), "label": t.label or t.printed_label, "rows": t.row_count}
        for t in queries.version_tables(version)
    ]
    return {
        **_entity(version.disclosure),
        **_version_brief(version),
        "disclosure_id": version.disclosure_id,
        "figures": _key_figures(version),
        "tables": tables,
    }


@get(
    "/versions/{version_id}/tables/{table}", TableOut, 404,
    summary="一张决算表的全部行",
    description="按表中顺序的各行：行键、名称和各栏金额（两位小数的字符串；null 为“——”，空白单元格不出现），以及表的栏。",
)
def table_detail(
    request: HttpRequest, version_id: int = VERSION_ID, table: str = Path(..., pattern=TABLE_KEY, description="表键，如 expense")
):
    version = _published_version(request, version_id)
    stored = queries.version_tables(version).filter(table=table).first()
    if stored is None:
        raise HttpError(404, TABLE_NOT_FOUND)
    rows: dict[str, dict] = {}
    for key, label, column, amount in queries.table_cells(stored):
        row = rows.setdefault(key, {"key": key, "label": label, "cells": {}})
        if column is not None:
            row["cells"][column] = amount_text(amount)
    spec = _spec(version.disclosure.year.year, table)
    columns = spec.stored_columns if spec else ()
    return {
        "version_id": version.pk,
        "key": stored.table,
        "title": _title(spec, stored),
        "label": stored.label or stored.printed_label,
        "note": stored.note,
        "columns": [{"key": c.key, "label": c.label, "heading": c.heading} for c in columns],
        "rows": list(rows.values()),
    }


def figure_item(row: dict) -> dict:
    """A figure row (queries.PAGE_FIELDS) with its table title and column heading."""
    spec = _spec(row["year"], row["table"])
    return {
        **row,
        "table_title": spec.title if spec else row["table"],
        "column_heading": _heading(spec, row["column"]),
        "amount": amount_text(row["amount"]),
    }


@get(
    "/figures", FigurePage, 400,
    summary="数据明细（现行公开版本）",
    description=(
        "现行公开版本中的每个数据一行。可按年度、地区、部门、类型、表、行键（科目编码或行次）和栏筛选；"
        "code_prefix=true 时按编码前缀匹配（208 → 208、20805、2080501）；按编码或栏筛选时须同时指定部门，或年度和地区。"
        "按版本存入的先后、表中顺序排列，分页返回：翻页请用每页返回的 next（作为下一次请求的 cursor），"
        "offset 只用于前 {limit} 条，更深的 offset 答 400。按编码或栏筛选时，count 至多数到计数上限（count_exact 为 false）。"
    ).format(limit=queries.figure_offset_max()),
)
def figure_list(request: HttpRequest, filters: Query[FigureFilters], page: Query[FigurePageQuery]):
    if not queries.figure_filters_bounded(**filters.model_dump(include={"code", "column", "department", "region", "year"})):
        raise ValidationError([{"loc": ["query", "code" if filters.code else "column"], "msg": FIGURES_UNBOUNDED}])
    cursor = None
    if page.cursor:
        try:
            cursor = queries.FigureCursor.parse(page.cursor)
        except ValueError:
            raise ValidationError([{"loc": ["query", "cursor"], "msg": CURSOR_INVALID}]) from None
    elif page.offset > queries.figure_offset_max():
        raise HttpError(400, FIGURES_OFFSET_TOO_DEEP.format(limit=queries.figure_offset_max()))
    found = queries.figure_page(
        scope=filters.model_dump(include={"year", "region", "department", "kind"}),
        limit=page.limit,
        offset=0 if cursor else page.offset,
        cursor=cursor,
        **filters.model_dump(include={"table", "code", "code_prefix", "column"}),
    )
    return {
        **_answer(found.count.value, found.rows, page, figure_item),
        "count_exact": found.count.exact,
        "next": str(found.next) if found.next else None,
    }
