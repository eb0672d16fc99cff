"""Requests refused before any view: a NUL character in the address.

PostgreSQL cannot hold NUL (\\x00) in text: a `?q=%00`, `?region=%00` or `/api/versions/1/tables/%00`
reaching a query raised a database error, a 500, on every page and API operation that reads
its parameters. No text of ours contains NUL, so a request carrying one in its path or in any
query parameter (name or value) is refused here, once for the whole site: 400, with the 400
page, or on the API its error body (`{"detail": …}`, as its OpenAPI document says).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

NUL = "\x00"
NUL_REFUSED = "请求地址或参数中含有不允许的字符（NUL，%00），请检查后重试。"


def carries_nul(request: HttpRequest) -> bool:
    """Whether the decoded path or any query parameter name or value holds NUL."""
    if NUL in request.path_info:
        return True
    return any(NUL in name or any(NUL in value for value in values) for name, values in request.GET.lists())


def _api_prefix() -> str:
    return reverse("api:api-root")


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not carries_nul(request):
            return self.get_response(request)
        if request.path.startswith(_api_prefix()):
            return JsonResponse({"detail": NUL_REFUSED}, status=400, json_dumps_params={"ensure_ascii": False})
        return render(request, "400.html", {"message": NUL_REFUSED}, status=400)
