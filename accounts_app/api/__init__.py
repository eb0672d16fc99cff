"""The public JSON API and bulk CSV (django-ninja): read-only, published data only.

Its OpenAPI description is served at /api/openapi.json (completed by api.openapi) and
shown at /api/ by Swagger UI from the site's own static files (LocalSwagger; the CSP
allows no CDN); docs/api.md tells the rest.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import DocsBase
from ninja.renderers import JSONRenderer

from . import bulk, endpoints, openapi

INVALID_PARAMETERS = "请求参数不正确。"
NO_SUCH_ADDRESS = "没有这个接口地址。接口说明见 /api/openapi.json。"


class UnicodeJSONRenderer(JSONRenderer):
    """JSON with Chinese as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class LocalSwagger(DocsBase):
    """The documentation page: Swagger UI vendored under static/vendor/swagger-ui (see its
    README.md), started by static/js/api-docs.js, which reads the description's address
    from the page. Ninja's own page would load Swagger UI from a CDN."""

    template = "public/api_docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        return render(request, self.template, {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)})


class PortalAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return openapi.finish(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = PortalAPI(
    title="部门决算公开平台 公开数据接口",
    version="1",
    description=(
        "已公开的部门决算和单位决算的数据，只读，无需登录。"
        "金额单位为万元，一律为两位小数的字符串（如 \"1085.68\"），不用浮点数；"
        "null 表示“——”（不适用），空白单元格不出现。"
    ),
    urls_namespace="api",
    docs=LocalSwagger(),
    docs_url="/",  # /api/: the documentation page
    renderer=UnicodeJSONRenderer(),
)
api.add_router("", endpoints.router)
api.add_router("", bulk.router)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc: ValidationError):
    errors = [{"loc": list(error.get("loc", ())), "msg": str(error.get("msg", ""))} for error in exc.errors]
    return api.create_response(request, {"detail": INVALID_PARAMETERS, "errors": errors}, status=422)


def not_found(request: HttpRequest, **_) -> JsonResponse:
    """Any other address under /api/ (such as a path parameter holding "/"): the API's 404, in JSON."""
    return JsonResponse({"detail": NO_SUCH_ADDRESS}, status=404, json_dumps_params={"ensure_ascii": False})
