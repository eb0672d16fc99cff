"""The public page cache. A published version never changes; a disclosure's page changes
only when a new version is published, so every key names the disclosure's current version
and publishing moves readers to a new key (old entries simply expire).

Which version is current is itself cached for a few seconds (a database query would cost
more than serving the cached page). Publishing deletes that pointer at once; with a shared
cache (REDIS_URL) every web process sees it immediately, with per-process memory caches the
other processes follow within POINTER_SECONDS."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from . import access

CACHE_SECONDS = 24 * 3600
POINTER_SECONDS = 5
DISCLOSURE_PATH = re.compile(r"^/disclosures/(\d+)/(?:versions/(\d+)/)?$")


def _pointer_key(pk: int) -> str:
    return f"public:current:{pk}"


def current_version_id(pk: int) -> int | None:
    """The published version the public sees for a disclosure (None: nothing published)."""
    pointer = cache.get(_pointer_key(pk))
    if pointer is None:
        pointer = access.public_disclosures().filter(pk=pk).values_list("current_version_id", flat=True).first() or 0
        cache.set(_pointer_key(pk), pointer, POINTER_SECONDS)
    return pointer or None


def forget_current(pk: int) -> None:
    """Called when a version is published: readers move to the new version's pages."""
    cache.delete(_pointer_key(pk))


def page_key(pk: int, number: int | None, current_id: int) -> str:
    return f"public:page:{pk}:{number or 0}:current{current_id}"


def body_key(shown_id: int, current_id: int) -> str:
    return f"public:disclosure:v{shown_id}:current{current_id}"


class PublishedPageCacheMiddleware:
    """Serves cached disclosure pages to anonymous readers before the session, auth, CSRF and
    template machinery (like Django's FetchFromCacheMiddleware), after the security headers.
    Misses fall through to the view, which renders and stores the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and not request.GET and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            match = DISCLOSURE_PATH.match(request.path_info)
            if match:
                pk, number = int(match[1]), int(match[2]) if match[2] else None
                current_id = current_version_id(pk)
                if current_id is not None and (page := cache.get(page_key(pk, number, current_id))) is not None:
                    return HttpResponse(page)
        return self.get_response(request)
