"""The public page cache: what anonymous readers ask for, served before the session, auth,
CSRF and template machinery (like Django's cache middleware), after the security headers.

What the public sees changes in two ways only:

- a publication completes (services.publication `_finish`): a disclosure gets a new current
  version, and every list that shows it changes. The *stamp* says which publications are
  public: the newest published version's id and the newest ListingCount row's id (`_stamp_of`:
  two index lookups, whatever the data), cached for POINTER_SECONDS. Completing a publication deletes it (`forget_current`, on
  commit): the publishing process, and with a shared cache (REDIS_URL) every web process,
  reads the new stamp at once; with per-process memory caches the other processes read it
  within POINTER_SECONDS. Nothing is therefore shown stale longer than that.
- something every page shows changes (the glossary, the catalogs, a table layout, a score
  recomputed): `generation()`, bumped by `forget_all_pages`.

Every key names the generation, and what depends on the publications names the stamp:

- a disclosure page names its current version (a published version never changes), which
  is looked up once per stamp (`current_version_id`): publishing a correction moves readers
  to a new key, and the other disclosures' pages stay cached;
- the lists (home page, search, department and compare pages, the API's lists) and the
  board with its CSV are cached per path and normalised query string under the stamp; the
  board also under the last workflow event (an approval date registered) and the day, from
  which it counts deadlines. They expire after LIST_SECONDS, which bounds what the stamp
  does not see (an organisation renamed in the admin);
- a published version's stored files (its PDF, workbook and tables) never change: their
  paths are cached and the files sent from the file system.

Only GETs without a session cookie are served from the cache or fill it (a response that
sets a cookie is never stored), so a signed-in user always reaches the views and is never
served another user's page. The pages print no absolute address: the host is not part of
the keys."""

from __future__ import annotations

import hashlib
import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections, router
from django.db.models import Max
from django.http import FileResponse, HttpResponse, HttpResponseNotModified
from django.utils import timezone

from portal import replicas

from .models import AuditEntry, Disclosure, ListingCount, Version

CACHE_SECONDS = 24 * 3600
POINTER_SECONDS = 5  # how long another process may read an old stamp
LIST_SECONDS = 300
LONGEST_QUERY = 500  # a longer query string is answered, not cached (each would be an entry)

DISCLOSURE_PATH = re.compile(r"^/disclosures/(\d+)/(?:versions/(\d+)/)?$")
# A version's stored downloads (views.public): the PDF, the whole workbook, a table.
FILE_PATH = re.compile(r"^/disclosures/(\d+)/versions/(\d+)/(disclosure\.pdf|tables\.xlsx|tables/[-a-zA-Z0-9_]+\.(?:csv|xlsx))$")
LIST_PATH = re.compile(r"^/(?:|compare/|departments/\d+/|api/disclosures|api/figures)$")
BOARD_PATH = re.compile(r"^/board/(?:board\.csv)?$")
PDF = "disclosure.pdf"

STAMP_KEY = "public:stamp"
EVENTS_KEY = "public:events"
GENERATION_KEY = "public:generation"


def stamp() -> str:
    """The publications that are public (`_stamp_of`), read from the database once per
    POINTER_SECONDS; on a replica, from the replica every time (`_stamp_and_generation`)."""
    if not replicas.on_primary():
        return _stamp_of()[0]
    found = cache.get(STAMP_KEY)
    if found is None:
        found = _stamp_of()[0]
        cache.set(STAMP_KEY, found, POINTER_SECONDS)
    return found


def _stamp_of(disclosure: int | None = None) -> tuple[str, int | None]:
    """("<newest published version>-<newest ListingCount row>", the current version of
    `disclosure`), in one query on the database the request reads, each part one index
    lookup (migration 0019's partial index of the published versions; primary keys).

    Both parts are needed. Publications complete out of id order (the worker stores each
    version's files in its own time): a version published after a higher id does not move the
    first; it was counted by a count(*) of all published versions, a full scan at 100,000.
    What it changes for the public is a disclosure's current version, and every such change
    rewrites the ListingCount rows of its year, region and kind (services.listing
    `listing_refresh`, deleted and created again: new ids). So the newest of those ids moves
    with every change of what the lists show; a published version that does not become
    current changes no list (and the disclosure page is keyed by the current version)."""
    version, listed, current = (model._meta.db_table for model in (Version, ListingCount, Disclosure))
    sql = (
        f"SELECT (SELECT MAX(id) FROM {version} WHERE status = %s), (SELECT MAX(id) FROM {listed}), "
        f"(SELECT current_version_id FROM {current} WHERE id = %s)"
    )
    with connections[router.db_for_read(Version)].cursor() as cursor:
        cursor.execute(sql, [Version.Status.PUBLISHED, disclosure or 0])
        newest, changed, pointer = cursor.fetchone()
    return f"{newest or 0}-{changed or 0}", pointer


def events() -> int:
    """The last workflow event's id (services.audit: an approval date registered, …), which
    the board shows, read from the database once per POINTER_SECONDS."""
    found = cache.get(EVENTS_KEY)
    if found is None:
        found = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
        cache.set(EVENTS_KEY, found, POINTER_SECONDS)
    return found


def forget_current(pk: int) -> None:
    """A publication of disclosure `pk` completed: its page, the lists and the board follow."""
    cache.delete_many([STAMP_KEY, EVENTS_KEY])


def _pointer_key(pk: int, published: str) -> str:
    return f"public:current:{published}:{pk}"


def current_version_id(pk: int, published: str | None = None) -> int | None:
    """The published version the public sees for a disclosure (None: nothing published),
    looked up once per stamp. `published`: the stamp when the caller has it."""
    published = published or (cache.get(STAMP_KEY) if replicas.on_primary() else None)
    if published is None:  # both read in one query: a first page costs no more than before the stamp
        published, pointer = _stamp_of(pk)
        pointer = pointer or 0
        if replicas.on_primary():
            cache.set(STAMP_KEY, published, POINTER_SECONDS)
        cache.set(_pointer_key(pk, published), pointer, LIST_SECONDS)
        return pointer or None
    key = _pointer_key(pk, published)
    pointer = cache.get(key)
    if pointer is None:
        pointer = Disclosure.objects.published().filter(pk=pk).values_list("current_version_id", flat=True).first() or 0
        cache.set(key, pointer, LIST_SECONDS)
    return pointer or None


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


def _stamp_and_generation() -> tuple[str | None, int]:
    """The stamp (None when it is not cached) and `generation()`, in one cache round trip
    when both are cached.

    A request that reads a replica takes the stamp from that replica, never from the shared
    cache: the cached stamp may have been set by a request on the primary after a publication
    the replica has not replayed yet, and this request would then store the replica's older
    lists (or pointer) under the new stamp, to be served until LIST_SECONDS. Read on the
    replica before the view's reads, the stamp is never newer than what the view then reads
    there (it may be older: content newer than its key, never the reverse). It is two index
    lookups (`_stamp_of`), so reading it on every such request costs little; it is not stored
    in the shared cache, where a request on the primary could read a lagging stamp back."""
    if not replicas.on_primary():
        return None, generation()  # the callers read it on the replica: stamp(), current_version_id()
    found = cache.get_many([STAMP_KEY, GENERATION_KEY])
    return found.get(STAMP_KEY), found.get(GENERATION_KEY) or generation()


def page_key(pk: int, number: int | None, current_id: int, generation_now: int | None = None) -> str:
    return f"public:page:{generation_now or generation()}:{pk}:{number or 0}:current{current_id}"


def body_key(shown_id: int, current_id: int) -> str:
    return f"public:disclosure:{generation()}:v{shown_id}:current{current_id}"


def list_key(request, stamp_now: str, generation_now: int) -> str | None:
    """The key of a list or of the board for the request's path and query string (its
    parameters sorted by name, the values of each in their order); None for a query string
    too long to cache."""
    if len(request.META.get("QUERY_STRING", "")) > LONGEST_QUERY:
        return None
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    digest = hashlib.sha256(f"{request.path_info}?{query}".encode()).hexdigest()
    if BOARD_PATH.match(request.path_info):
        return f"public:board:{generation_now}:{stamp_now}:{events()}:{timezone.localdate():%Y%m%d}:{digest}"
    return f"public:list:{generation_now}:{stamp_now}:{digest}"


def file_key(pk: int, number: int, name: str) -> str:
    """`name`: the address's end (FILE_PATH), e.g. "disclosure.pdf", "tables/expense.csv"."""
    return f"public:file:{pk}:{number}:{name}"


def remember_file(request, path: str, sha256: str, filename: str, content_type: str) -> None:
    """After a view found the stored file of a published version for an anonymous reader:
    PublishedPageCacheMiddleware sends it from now on."""
    if match := FILE_PATH.match(request.path_info):
        cache.set(file_key(int(match[1]), int(match[2]), match[3]), (path, sha256, filename, content_type), CACHE_SECONDS)


def forget_pdf(pk: int, number: int) -> None:
    """Called when a PDF is stored again (render_pdfs)."""
    cache.delete(file_key(pk, number, PDF))


def file_response(file, sha256: str, filename: str, content_type: str, if_none_match: str | None) -> HttpResponse:
    """A stored file of a published version (a local path, or an open file from the storage):
    the PDF inline, the others as attachments (sent with sendfile where the server offers it).
    It never changes, so its SHA-256 is its ETag. Raises OSError for a path that is gone."""
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


def _storable(response) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


def _replayed(stored: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


class PublishedPageCacheMiddleware:
    """Serves the cached public pages and the stored files of published versions to
    anonymous readers (see the module's description). Misses fall through to the views:
    the disclosure page and the downloads check access and fill the cache themselves; the
    lists and the board are stored here."""

    def __init__(self, get_response):
        if isinstance(caches["default"], DummyCache):  # PORTAL_CACHE=dummy: caching off
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.get_response(request)
        path = request.path_info
        if match := FILE_PATH.match(path):
            return self._file(request, match)
        if (match := DISCLOSURE_PATH.match(path)) and not request.GET:
            return self._disclosure(request, int(match[1]), int(match[2]) if match[2] else None)
        if LIST_PATH.match(path) or BOARD_PATH.match(path):
            return self._list(request)
        return self.get_response(request)

    def _file(self, request, match):
        stored = None if request.GET else cache.get(file_key(int(match[1]), int(match[2]), match[3]))
        if stored is not None:
            try:
                return file_response(*stored, request.headers.get("If-None-Match"))
            except FileNotFoundError:  # removed since: the view says so
                pass
        return self.get_response(request)

    def _disclosure(self, request, pk: int, number: int | None):
        published, generation_now = _stamp_and_generation()
        current_id = current_version_id(pk, published)
        if current_id is not None and (page := cache.get(page_key(pk, number, current_id, generation_now))) is not None:
            return HttpResponse(page)
        return self.get_response(request)

    def _list(self, request):
        stamp_now, generation_now = _stamp_and_generation()  # before the view reads the data
        key = list_key(request, stamp_now or stamp(), generation_now)
        if key is None:
            return self.get_response(request)
        if (stored := cache.get(key)) is not None:
            return _replayed(stored)
        response = self.get_response(request)
        if _storable(response):
            cache.set(key, (response.content, list(response.items())), LIST_SECONDS)
        return response
