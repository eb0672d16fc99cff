"""The public page cache. A published version never changes; a disclosure's page changes
only when a new version is published, so every key names the disclosure's current version
and publishing moves readers to a new key (old entries simply expire).

Which version is current is itself cached for a few seconds (a database query would cost
more than serving the cached page). Publishing deletes that pointer at once; with a shared
cache (REDIS_URL) every web process sees it immediately, with per-process memory caches the
other processes follow within POINTER_SECONDS."""

from __future__ import annotations

import os
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, HttpResponse, HttpResponseNotModified

from .models import Disclosure

CACHE_SECONDS = 24 * 3600
POINTER_SECONDS = 5
DISCLOSURE_PATH = re.compile(r"^/disclosures/(\d+)/(?:versions/(\d+)/)?$")
PDF_PATH = re.compile(r"^/disclosures/(\d+)/versions/(\d+)/disclosure\.pdf$")


def _pointer_key(pk: int) -> str:
    return f"public:current:{pk}"


def current_version_id(pk: int, pointer: int | None = None) -> int | None:
    """The published version the public sees for a disclosure (None: nothing published).
    `pointer`: its cached entry when the caller has already read it."""
    if pointer is None:
        pointer = cache.get(_pointer_key(pk))
    if pointer is None:
        pointer = Disclosure.objects.published().filter(pk=pk).values_list("current_version_id", flat=True).first() or 0
        cache.set(_pointer_key(pk), pointer, POINTER_SECONDS)
    return pointer or None


def forget_current(pk: int) -> None:
    """Called when a version is published: readers move to the new version's pages."""
    cache.delete(_pointer_key(pk))


GENERATION_KEY = "public:generation"


def generation() -> int:
    """Bumped when something every page shows changes (the glossary, the catalogs'
    descriptions): part of every page key, so that all pages are rebuilt."""
    value = cache.get(GENERATION_KEY)
    if value is None:  # first use, or evicted: a new value, never an old one again
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


def forget_all_pages(**_) -> None:
    cache.set(GENERATION_KEY, time.time_ns(), None)


def page_key(pk: int, number: int | None, current_id: int, generation_now: int | None = None) -> str:
    return f"public:page:{generation_now or generation()}:{pk}:{number or 0}:current{current_id}"


def _current_and_generation(pk: int) -> tuple[int | None, int]:
    """`current_version_id(pk)` and `generation()` in one cache round trip when both are
    cached (a cached page then costs two lookups, not three)."""
    found = cache.get_many([_pointer_key(pk), GENERATION_KEY])
    return current_version_id(pk, found.get(_pointer_key(pk))), found.get(GENERATION_KEY) or generation()


def body_key(shown_id: int, current_id: int) -> str:
    return f"public:disclosure:{generation()}:v{shown_id}:current{current_id}"


def pdf_key(pk: int, number: int) -> str:
    return f"public:pdf:{pk}:{number}"


def pdf_response(file, sha256: str, filename: str, if_none_match: str | None) -> HttpResponse:
    return file_response(file, sha256, filename, if_none_match, content_type="application/pdf")


def file_response(file, sha256: str, filename: str, if_none_match: str | None, *, content_type: str) -> HttpResponse:
    """A stored file of a published version (a local path, or an open file from the storage)
    as an attachment (sent with sendfile where the server offers it); it never changes, so
    its SHA-256 is its ETag."""
    etag = f'"{sha256}"'
    if if_none_match == etag:
        if hasattr(file, "close"):
            file.close()
        return HttpResponseNotModified()
    opened = open(file, "rb") if isinstance(file, str) else file
    response = FileResponse(opened, content_type=content_type, filename=filename, as_attachment=content_type != "application/pdf")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=86400"
    return response


def forget_pdf(pk: int, number: int) -> None:
    """Called when a PDF is stored again (render_pdfs)."""
    cache.delete(pdf_key(pk, number))


class PublishedPageCacheMiddleware:
    """Serves cached disclosure pages, and stored PDFs of published versions, to anonymous
    readers before the session, auth, CSRF and template machinery (like Django's
    FetchFromCacheMiddleware), after the security headers. Misses fall through to the
    views, which check access, render or look up, and fill the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and not request.GET and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            if match := PDF_PATH.match(request.path_info):
                stored = cache.get(pdf_key(int(match[1]), int(match[2])))
                if stored is not None and os.path.exists(stored[0]):
                    return pdf_response(*stored, request.headers.get("If-None-Match"))
            match = DISCLOSURE_PATH.match(request.path_info)
            if match:
                pk, number = int(match[1]), int(match[2]) if match[2] else None
                current_id, generation_now = _current_and_generation(pk)
                if current_id is not None and (page := cache.get(page_key(pk, number, current_id, generation_now))) is not None:
                    return HttpResponse(page)
        return self.get_response(request)
