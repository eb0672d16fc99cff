"""What the public API accepts and returns, described in Chinese for the OpenAPI document.

Amounts travel as strings with exactly two decimals ("1085.68"), never as floats;
null stands for "——" (not applicable); a blank cell is simply absent.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import create_model

from ..numbers import CENT
from ..selectors import count_cap
from ..specs import DEFAULT_TABLE_SET, get_table_set, template_specs
from ..specs.key_figures import KEY_LABELS
from .queries import figure_offset_max

AMOUNT = "金额（万元；数量类为个、人、辆等），两位小数的字符串，如 \"1085.68\"；null 表示“——”（不适用）"
KIND = "类型：department 部门决算，unit 单位决算"
# The examples the descriptions give: the first two tables of the national order.
_FIRST, _SECOND = template_specs(get_table_set(DEFAULT_TABLE_SET), 2023)[:2]
_EXAMPLE_LABEL = get_table_set(DEFAULT_TABLE_SET).label_of(_FIRST.family)
UNIT = "单位名称；部门决算为 null"
ROW_KEY = "行键：科目编码、行次，或 total（合计行）"

Amount = Annotated[str, Field(pattern=r"^-?\d+\.\d{2}$")]
Kind = Literal["department", "unit"]
# Text parameters: anything but NUL, which the site refuses in any address (400,
# accounts_app.middleware). Table keys: those of the specs.
NO_NUL = r"^[^\x00]*$"
TABLE_KEY = r"^[a-z0-9_]{1,40}$"
OFFSET_MAX = 100_000_000
# Numbers the database can compare (a larger id overflowed SQLite's integer: a 500).
ID_RANGE = {"ge": 1, "le": 2**63 - 1}
YEAR_RANGE = {"ge": 1900, "le": 9999}

RESPONSES = {
    200: "成功",
    400: "请求地址或参数中含有不允许的字符（NUL，%00）",
    404: "不存在或尚未公开，或没有这个接口地址",
    414: "请求地址过长：由 Web 服务器（gunicorn 或 nginx，请求行超过约 4 KB）拒绝，正文为其 HTML 页面",
    422: "查询参数不正确",
}
# Every operation can answer these: any address may carry NUL or be too long, and every
# operation takes a parameter that can be malformed.
COMMON_ERRORS = (400, 414, 422)
_HTML_PAGE = {"text/html": {"schema": {"type": "string"}}}


def described(*statuses: int) -> dict:
    """openapi_extra giving the listed responses their Chinese descriptions (and 414, which
    the web server in front answers with its own page, its content)."""
    return {
        "responses": {
            status: {"description": RESPONSES[status], **({"content": _HTML_PAGE} if status == 414 else {})}
            for status in statuses
        }
    }


def error_schemas(*statuses: int) -> dict:
    """The bodies of the errors the application itself answers (400, 404, 422)."""
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in statuses if status != 414}


def amount_text(value) -> str | None:
    """A stored amount (Decimal, or the string kept in a summary) as "1085.68"; None stays None."""
    if value is None:
        return None
    return f"{Decimal(str(value)).quantize(CENT):.2f}"


# -- query parameters ----------------------------------------------------------------


class Page(Schema):
    limit: int = Field(100, ge=1, le=1000, description="每页条数，1–1000，默认 100")
    offset: int = Field(0, ge=0, le=OFFSET_MAX, description=f"跳过的条数（从 0 开始，至多 {OFFSET_MAX}），默认 0")


# A cursor of /api/figures (queries.FigureCursor): four numbers, each within what the
# database compares (18 digits < 2⁶³).
CURSOR = r"^\d{1,18}(\.\d{1,18}){3}$"


class FigurePageQuery(Page):
    offset: int = Field(
        0, ge=0, le=OFFSET_MAX,
        description=f"跳过的条数（从 0 开始），默认 0；至多 {figure_offset_max()}（见 400），更深的页请用 cursor",
    )
    cursor: str | None = Field(
        None, pattern=CURSOR,
        description="翻页游标：上一页返回的 next 的值，从该页之后继续（与 offset 同时给出时不看 offset）；不给出时从 offset 开始",
    )


class ScopeFilters(Schema):
    year: int | None = Field(None, **YEAR_RANGE, description="年度，如 2023")
    region: str | None = Field(None, pattern=NO_NUL, description="行政区划代码，如 410704")
    department: int | None = Field(None, **ID_RANGE, description="部门编号（见 department.id）")
    kind: Kind | None = Field(None, description=KIND)


class DisclosureFilters(ScopeFilters):
    q: str | None = Field(None, pattern=NO_NUL, description="关键词：部门或单位名称中包含的文字")


class FigureFilters(ScopeFilters):
    table: str | None = Field(
        None, pattern=TABLE_KEY, description=f"表键，如 {_SECOND.key}（{_SECOND.title}）；见 /api/versions/{{id}} 的 tables.key"
    )
    code: str | None = Field(None, pattern=NO_NUL, description="行键：科目编码（如 2080501）、行次（如 27）或 total（合计行）")
    code_prefix: bool = Field(
        False, description="为 true 时 code 按前缀匹配：code=208 得到 208、20805、2080501 等类、款、项；默认精确匹配"
    )
    column: str | None = Field(None, pattern=NO_NUL, description="栏键，如 basic（基本支出）；见表的 columns.key")


# What queries.figure_filters_bounded asks of FigureFilters, as JSON Schema for the OpenAPI
# description (api.openapi): no code or column filter (absent or empty), or a department,
# or a region and a year. tests/api/test_schema.py checks that both say the same.
FIGURE_SCOPE = {
    "anyOf": [
        {"properties": {"code": {"maxLength": 0}, "column": {"maxLength": 0}}},
        {"required": ["department"]},
        {"required": ["region", "year"], "properties": {"region": {"minLength": 1}}},
    ]
}
FIGURE_SCOPE_TEXT = "按科目编码（code）或栏（column）筛选时，须同时指定部门（department），或同时指定年度和地区（year 与 region）"


# -- responses -----------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="错误说明")


class ValidationErrorOut(Schema):
    detail: str = Field(description="错误说明")
    errors: list[dict] = Field(description="逐项的参数错误（位置 loc、说明 msg）")


class RegionOut(Schema):
    code: str = Field(description="行政区划代码")
    name: str = Field(description="行政区划名称")


class DepartmentOut(Schema):
    id: int = Field(description="部门编号")
    name: str = Field(description="部门名称")


KeyFiguresOut = create_model(
    "KeyFiguresOut",
    __base__=Schema,
    __doc__="主要数据（万元），公开时由决算表计算；表中没有该数据时为 null。",
    **{key: (Amount | None, Field(None, description=f"{label}（万元）")) for key, label in KEY_LABELS.items()},
)


class EntityOut(Schema):
    year: int = Field(description="年度")
    region: RegionOut = Field(description="行政区划")
    department: DepartmentOut = Field(description="部门")
    unit: str | None = Field(description=UNIT)
    kind: Kind = Field(description=KIND)
    kind_label: str = Field(description="类型名称：部门决算或单位决算")


class DisclosureOut(EntityOut):
    id: int = Field(description="决算公开编号")
    version_id: int = Field(description="现行公开版本的编号（用于 /api/versions/{id}）")
    version: int = Field(description="现行公开版本的版本号（第几版）")
    published_at: datetime = Field(description="现行版本的公开时间")
    figures: KeyFiguresOut = Field(description="现行版本的主要数据（万元）")


class PageOut(Page):
    count: int = Field(description="符合条件的总数；count_exact 为 false 时表示“至少这么多”（超过上限不再逐条计数）")
    count_exact: bool = Field(True, description=f"count 是否为准确总数；为 false 时 count 为计数上限（{count_cap()}），实际更多")


class DisclosurePage(PageOut):
    items: list[DisclosureOut] = Field(description="本页的决算公开")


class VersionBriefOut(Schema):
    id: int = Field(description="版本编号（用于 /api/versions/{id}）")
    number: int = Field(description="版本号（第几版）")
    published_at: datetime = Field(description="公开时间")
    correction_note: str = Field(description="更正说明；首次公开的版本为空字符串")
    is_current: bool = Field(description="是否为现行公开版本（更正后，旧版本为 false）")


class DisclosureDetailOut(DisclosureOut):
    versions: list[VersionBriefOut] = Field(description="全部已公开版本，新版本在前")


class TableBriefOut(Schema):
    key: str = Field(description=f"表键，如 {_FIRST.key}")
    title: str = Field(description=f"表名，如 {_FIRST.title}")
    label: str = Field(description=f"表号（原文），如 {_EXAMPLE_LABEL}")
    rows: int = Field(description="行数（含无数据的行）")


class VersionOut(EntityOut, VersionBriefOut):
    disclosure_id: int = Field(description="决算公开编号")
    figures: KeyFiguresOut = Field(description="本版本的主要数据（万元）")
    tables: list[TableBriefOut] = Field(description="本版本的决算表，按工作簿中的顺序")


class ColumnOut(Schema):
    key: str = Field(description="栏键，即 cells 中的键")
    label: str = Field(description="栏名")
    heading: str = Field(description="带上级表头的栏名，如 本年支出·小计")


class RowOut(Schema):
    key: str = Field(description=ROW_KEY)
    label: str = Field(description="项目或科目名称（原文）")
    cells: dict[str, Amount | None] = Field(description=f"栏键 → {AMOUNT}；空白单元格不出现")


class TableOut(Schema):
    version_id: int = Field(description="版本编号")
    key: str = Field(description="表键")
    title: str = Field(description="表名")
    label: str = Field(description="表号（原文）")
    note: str = Field(description="表下的注（原文），如空表说明")
    columns: list[ColumnOut] = Field(description="数据栏，按印刷顺序")
    rows: list[RowOut] = Field(description="各行，按表中顺序")


class FigureOut(Schema):
    disclosure_id: int = Field(description="决算公开编号")
    version_id: int = Field(description="版本编号")
    year: int = Field(description="年度")
    region: str = Field(description="行政区划代码")
    region_name: str = Field(description="行政区划名称")
    department_id: int = Field(description="部门编号")
    department: str = Field(description="部门名称")
    unit: str | None = Field(description=UNIT)
    kind: Kind = Field(description=KIND)
    table: str = Field(description="表键")
    table_title: str = Field(description="表名")
    row: str = Field(description=ROW_KEY)
    label: str = Field(description="项目或科目名称（原文）")
    column: str = Field(description="栏键")
    column_heading: str = Field(description="栏名（带上级表头）")
    amount: Amount | None = Field(description=AMOUNT)


class FigurePage(PageOut):
    items: list[FigureOut] = Field(description="本页的数据")
    next: str | None = Field(
        None, description="下一页的游标：作为 cursor 参数再次请求即得下一页；null 表示已是最后一页。任何深度的翻页代价相同"
    )
