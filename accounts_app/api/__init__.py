"""The public JSON API and bulk CSV (django-ninja): read-only, published data only.

Its OpenAPI description is served at /api/openapi.json; docs/api.md tells the rest.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from . import bulk, endpoints

INVALID_PARAMETERS = "请求参数不正确。"


class UnicodeJSONRenderer(JSONRenderer):
    """JSON with Chinese as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="部门决算公开平台 公开数据接口",
    version="1",
    description=(
        "已公开的部门决算和单位决算的数据，只读，无需登录。"
        "金额单位为万元，一律为两位小数的字符串（如 \"1085.68\"），不用浮点数；"
        "null 表示“——”（不适用），空白单元格不出现。"
    ),
    urls_namespace="api",
    docs_url=None,  # Swagger UI would load from a CDN; the description is at /api/openapi.json
    renderer=UnicodeJSONRenderer(),
)
api.add_router("", endpoints.router)
api.add_router("", bulk.router)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc: ValidationError):
    errors = [{"loc": list(error.get("loc", ())), "msg": str(error.get("msg", ""))} for error in exc.errors]
    return api.create_response(request, {"detail": INVALID_PARAMETERS, "errors": errors}, status=422)
