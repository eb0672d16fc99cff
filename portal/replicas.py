"""Public reads on PostgreSQL read replicas, everything else on the primary
(DATABASE_REPLICA_URLS; docs/deployment.md 「只读副本」).

A standby replays the primary's WAL a little later (milliseconds, more under load), so a read
there may not show a write just made. Who may read from a replica is therefore decided per
request, by ReplicaMiddleware, before anything reads the database:

- an anonymous safe request (GET, HEAD, OPTIONS without a session cookie): the public pages,
  downloads, feeds and the API — one replica for the whole request, chosen at random;
- a request with a session cookie: the primary, always. Accountants, reviewers and
  administrators act on what they read (approve what they see, publish and then look at
  the public page); the replica lag must never show them their own action undone;
- a request with another method (POST, PUT, PATCH, DELETE): the primary, and the response
  carries the pin cookie;
- a request that writes (any model write, through `db_for_write`, also on a GET): from that
  moment on the primary, and its response carries the pin cookie;
- a request carrying a valid pin cookie, that is within REPLICA_PIN_SECONDS of a write by
  the same client: the primary. The cookie is signed and its age checked on our side, so a
  client can neither forge one nor make it last longer; being a cookie, it works across web
  processes and machines with nothing shared.

Outside requests (the worker, management commands, the shell, the test process) nothing
sets a route and every read goes to the primary: the worker completes publications and
must read what it is about to make public. A read inside a transaction on the primary goes
there too (it must see the transaction's own writes), whoever asks.

The route is a context variable, so each thread (runserver), coroutine or gunicorn worker
has its own. A streamed response (the bulk CSV of the API) reads while it is sent, after the
middleware has returned: its iteration is run under the same route.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.http import FileResponse, HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA_PREFIX = "replica"  # settings: replica1, replica2, … in DATABASES
PIN_COOKIE = "primary_pin"
PIN_SALT = "portal.replicas.pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def replica_aliases(databases: dict | None = None) -> tuple[str, ...]:
    """The replica aliases configured in DATABASES (portal/settings.py names them replicaN)."""
    names = (databases if databases is not None else settings.DATABASES).keys()
    return tuple(sorted(alias for alias in names if alias.startswith(REPLICA_PREFIX)))


@dataclass
class Route:
    """Where the reads of the current request go; `wrote`: it has written (pin cookie)."""

    reads: str
    wrote: bool = False


_route: ContextVar[Route | None] = ContextVar("portal_replica_route", default=None)


def reads_alias() -> str:
    """The alias the current request reads from (the primary outside requests)."""
    route = _route.get()
    return route.reads if route is not None else PRIMARY


def on_primary() -> bool:
    """Whether the current request (or process) reads from the primary."""
    return reads_alias() == PRIMARY


class ReplicaRouter:
    """DATABASE_ROUTERS: reads where the current route says, writes and migrations on the
    primary; objects of the primary and its replicas may be related (they hold the same rows)."""

    def db_for_read(self, model, **hints) -> str:
        alias = reads_alias()
        if alias != PRIMARY and connections[PRIMARY].in_atomic_block:
            return PRIMARY  # a transaction on the primary reads its own writes
        return alias

    def db_for_write(self, model, **hints) -> str:
        route = _route.get()
        if route is not None:  # the rest of the request reads what it wrote
            route.reads, route.wrote = PRIMARY, True
        # Explicitly, also for an instance read from a replica (its _state.db names the replica).
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        ours = {PRIMARY, *replica_aliases()}
        if obj1._state.db in ours and obj2._state.db in ours:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == PRIMARY  # a standby is read-only; it receives the schema by replication


class ReplicaMiddleware:
    """Chooses the route of each request (see the module's docstring) and sets the pin cookie
    on the response of a request that wrote. Placed before anything that reads the database
    (the page cache, sessions, authentication). Not used when no replica is configured."""

    def __init__(self, get_response, replicas: Sequence[str] | None = None):
        self.get_response = get_response
        self.replicas = tuple(replicas) if replicas is not None else replica_aliases()
        if not self.replicas:
            raise MiddlewareNotUsed
        self.pin_seconds = settings.REPLICA_PIN_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        route = Route(reads=self.route_for(request))
        if request.method not in SAFE_METHODS:
            route.wrote = True  # a POST that happens to write nothing pins anyway: simpler to reason about
        token = _route.set(route)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(token)
        if response.streaming and not response.is_async and not isinstance(response, FileResponse):
            # FileResponse only reads a file (and keeps its sendfile path if left alone).
            response.streaming_content = _routed(response.streaming_content, route)
        if route.wrote:
            response.set_signed_cookie(
                PIN_COOKIE, "1", salt=PIN_SALT, max_age=self.pin_seconds, httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def route_for(self, request: HttpRequest) -> str:
        if request.method not in SAFE_METHODS or settings.SESSION_COOKIE_NAME in request.COOKIES or self.pinned(request):
            return PRIMARY
        return random.choice(self.replicas)

    def pinned(self, request: HttpRequest) -> bool:
        """A pin cookie signed by us and younger than REPLICA_PIN_SECONDS."""
        found = request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=self.pin_seconds)
        return found is not None


def _routed(content: Iterable[bytes], route: Route) -> Iterator[bytes]:
    """The body of a streamed response, produced under its request's route. Set and cleared
    without a token: the server may finish the iteration in another context."""
    _route.set(route)
    try:
        yield from content
    finally:
        _route.set(None)
