"""The router and middleware of portal/replicas.py in the test process: which alias each kind
of request reads from, the pin cookie, and the settings that DATABASE_REPLICA_URLS makes.

The test process has no replica (its settings are read once, without DATABASE_REPLICA_URLS):
the middleware is given the alias "replica1" and the view asks Django's router where a read
would go, without reading. Writes are real, through the router (override of
DATABASE_ROUTERS). tests/replica/test_streaming_replica.py does the same over HTTP against a
real standby.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import router, transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, override_settings

from portal.replicas import PIN_COOKIE, PRIMARY, ReplicaMiddleware, ReplicaRouter, reads_alias

ROOT = Path(__file__).resolve().parents[2]
ROUTED = override_settings(DATABASE_ROUTERS=["portal.replicas.ReplicaRouter"])


def through_middleware(request, view=None):
    """The response, with the alias a read would use at the end of `view` in `response.read_from`."""

    def default_view(request):
        return HttpResponse("ok")

    def recording(request):
        response = (view or default_view)(request)
        response.read_from = router.db_for_read(Group)
        return response

    return ReplicaMiddleware(recording, replicas=("replica1",))(request)


@ROUTED
def test_an_anonymous_get_reads_from_a_replica_and_is_not_pinned():
    response = through_middleware(RequestFactory().get("/api/disclosures"))
    assert response.read_from == "replica1"
    assert PIN_COOKIE not in response.cookies


@ROUTED
def test_a_signed_in_user_always_reads_from_the_primary():
    request = RequestFactory().get("/disclosures/1/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "any"
    assert through_middleware(request).read_from == PRIMARY


@ROUTED
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_method_reads_from_the_primary_and_pins_the_client(method):
    response = through_middleware(getattr(RequestFactory(), method)("/accounts/login/"))
    assert response.read_from == PRIMARY
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == settings.REPLICA_PIN_SECONDS
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@ROUTED
def test_the_pin_cookie_sends_the_next_reads_to_the_primary():
    pin = through_middleware(RequestFactory().post("/accounts/login/")).cookies[PIN_COOKIE].value
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = pin
    assert through_middleware(request).read_from == PRIMARY


@ROUTED
def test_a_pin_cookie_not_signed_by_us_is_ignored():
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1"
    assert through_middleware(request).read_from == "replica1"


@ROUTED
@pytest.mark.django_db(transaction=True)  # not inside the test's own transaction, which would keep reads on the primary
def test_a_get_that_writes_reads_from_the_primary_from_then_on_and_pins():
    before = []

    def writing(request):
        before.append(router.db_for_read(Group))
        Group.objects.create(name="写入后")  # through the router: db_for_write
        return HttpResponse("ok")

    response = through_middleware(RequestFactory().get("/"), writing)
    assert before == ["replica1"]
    assert response.read_from == PRIMARY
    assert PIN_COOKIE in response.cookies


@ROUTED
@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_on_the_primary_stays_there():
    inside = []

    def atomic(request):
        with transaction.atomic():
            inside.append(router.db_for_read(Group))
        return HttpResponse("ok")

    response = through_middleware(RequestFactory().get("/"), atomic)
    assert inside == [PRIMARY]
    assert response.read_from == "replica1"  # after the transaction: the request did not write


@ROUTED
def test_outside_a_request_everything_reads_from_the_primary():
    """The worker, management commands and the shell: no route is set."""
    assert reads_alias() == PRIMARY
    assert router.db_for_read(Group) == PRIMARY
    assert router.db_for_write(Group) == PRIMARY


@ROUTED
def test_a_streamed_body_reads_where_its_request_did():
    read = []

    def rows():
        read.append(router.db_for_read(Group))
        yield b"a,b\n"

    response = through_middleware(RequestFactory().get("/api/years/2023/figures.csv"),
                                  lambda request: StreamingHttpResponse(rows()))
    assert read == []  # nothing read until the server sends the body
    assert b"".join(response.streaming_content) == b"a,b\n"
    assert read == ["replica1"]
    assert reads_alias() == PRIMARY


@ROUTED
def test_a_file_response_is_left_to_the_server(tmp_path):
    path = tmp_path / "disclosure.pdf"
    path.write_bytes(b"%PDF")
    response = through_middleware(RequestFactory().get("/"), lambda request: FileResponse(path.open("rb")))
    assert response.file_to_stream is not None  # sendfile stays possible
    response.file_to_stream.close()  # (response.close() would signal the end of a request)


def test_writes_and_migrations_go_to_the_primary_only():
    routing = ReplicaRouter()
    assert routing.db_for_write(Group) == PRIMARY
    assert routing.allow_migrate(PRIMARY, "accounts_app")
    assert not routing.allow_migrate("replica1", "accounts_app")


def test_without_replicas_the_middleware_is_not_used():
    from django.core.exceptions import MiddlewareNotUsed

    with pytest.raises(MiddlewareNotUsed):
        ReplicaMiddleware(lambda request: HttpResponse(), replicas=())


# -- settings: read at process start, so in a child process --------------------------------


def settings_with(**env) -> subprocess.CompletedProcess:
    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'databases': s.DATABASES, 'routers': s.DATABASE_ROUTERS, "
        "'middleware': s.MIDDLEWARE, 'pin': s.REPLICA_PIN_SECONDS}, default=str))"
    )
    clean = {key: value for key, value in os.environ.items() if key not in ("DATABASE_REPLICA_URLS", "REPLICA_PIN_SECONDS")}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"], cwd=ROOT, capture_output=True, text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", "SECRET_KEY": "x", **env},
    )


def test_replica_urls_become_aliases_with_the_primarys_options():
    import json

    done = settings_with(
        DATABASE_URL="postgres://portal:pw@db:5432/portal", CONN_MAX_AGE="30", REPLICA_PIN_SECONDS="6",
        DATABASE_REPLICA_URLS="postgres://portal:pw@standby1:5432/portal, postgres://portal:pw@standby2:5432/portal",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    databases = found["databases"]
    assert list(databases) == ["default", "replica1", "replica2"]
    for number, alias in enumerate(("replica1", "replica2"), start=1):
        assert databases[alias]["HOST"] == f"standby{number}"
        assert databases[alias]["OPTIONS"]["options"] == databases["default"]["OPTIONS"]["options"]
        assert "-c jit=off" in databases[alias]["OPTIONS"]["options"]
        assert databases[alias]["CONN_MAX_AGE"] == 30
        assert databases[alias]["TEST"]["MIRROR"] == "default"
    assert found["routers"] == ["portal.replicas.ReplicaRouter"]
    middleware = found["middleware"]
    assert middleware.index("portal.replicas.ReplicaMiddleware") < middleware.index("accounts_app.caching.PublishedPageCacheMiddleware")
    assert middleware.index("portal.replicas.ReplicaMiddleware") < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert found["pin"] == 6


def test_without_replica_urls_nothing_changes():
    import json

    done = settings_with(DATABASE_URL="postgres://portal:pw@db:5432/portal")
    found = json.loads(done.stdout)
    assert list(found["databases"]) == ["default"]
    assert found["routers"] == []
    assert "portal.replicas.ReplicaMiddleware" not in found["middleware"]


def test_replicas_need_a_postgresql_primary():
    done = settings_with(DATABASE_URL="sqlite:///x.sqlite3", DATABASE_REPLICA_URLS="postgres://portal@standby/portal")
    assert done.returncode != 0 and "DATABASE_REPLICA_URLS" in done.stderr
