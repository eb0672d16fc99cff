"""The API as its OpenAPI description says, checked by schemathesis: requests generated from
/api/openapi.json (valid ones, and invalid ones) against the WSGI application, on the
published world of tests/api/conftest.py. No answer may be a server error, every status
and body must be documented, a request valid by the description must be accepted and an
invalid one refused.

Bounded and repeatable: MAX_EXAMPLES per operation and phase, a fixed seed, no example
database. On top, what schemathesis cannot reach in-process: the figures' filter rule and
its JSON Schema agree on every combination, and the 414 of the web server in front
(gunicorn) is what the description says.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.config import SchemathesisConfig

from accounts_app.api import api
from accounts_app.api.openapi import FIGURES_OPERATION, FILTERS
from accounts_app.api.queries import figure_filters_bounded
from tests.processes import free_port

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25
SEED = 20240601
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},  # no links between operations to follow
    }
)
ROOT = Path(__file__).resolve().parents[2]


def document() -> dict:
    """The description as /api/openapi.json serves it (the same dict, JSON round-tripped)."""
    return json.loads(json.dumps(api.get_openapi_schema()))


# Loaded at import (parametrize needs the operations before the database exists); that it
# is the served document is checked below.
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(scope="module")
def connection_kept():
    """As with Django's test client: the end of a request must not close the connection that
    holds the test's transaction (the WSGI handler would, on PostgreSQL)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
def test_the_api_keeps_to_its_description(case, world, connection_kept):
    case.call_and_validate()


def test_the_document_tested_is_the_one_served(client):
    assert client.get("/api/openapi.json").json() == document()


def _figures_operation(served: dict) -> dict:
    return next(op["get"] for op in served["paths"].values() if op.get("get", {}).get("operationId") == FIGURES_OPERATION)


# Every value the rule tells apart: absent, empty and given.
VALUES = {
    "code": (None, "", "208"),
    "column": (None, "", "basic"),
    "department": (None, 7),
    "region": (None, "", "410704"),
    "year": (None, 2023),
}


def test_the_figures_filter_rule_and_its_schema_agree():
    """`?code=208` alone is refused by the server and invalid by the description; and so on for
    every combination of the filters the rule looks at."""
    filters = next(p for p in _figures_operation(document())["parameters"] if p["name"] == FILTERS)
    validator = jsonschema.Draft202012Validator(filters["schema"])
    for combination in itertools.product(*VALUES.values()):
        given = dict(zip(VALUES, combination))
        sent = {name: value for name, value in given.items() if value is not None}
        assert validator.is_valid(sent) == figure_filters_bounded(**given), sent
    assert not validator.is_valid({"code": "208"})


def test_every_operation_declares_the_errors_it_can_give():
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "414", "422"} <= set(responses), (method, path)
            assert set(responses["414"]["content"]) == {"text/html"}
            assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
            assert "{" not in path or "404" in responses, (method, path)


# -- the web server in front -------------------------------------------------------------


def _get(port: int, target: str) -> tuple[int, str, bytes]:
    # The worker may still be starting Django when the port first answers (its arbiter binds
    # first): the request waits in the queue, up to this long on a busy machine.
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers.get("Content-Type", ""), body


@pytest.fixture(scope="module")
def gunicorn():
    """gunicorn as the Dockerfile runs it (its default request-line limit, 4094 bytes)."""
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings_test", "DEBUG": "1"}
    env.pop("DATABASE_URL", None)  # the request never reaches Django
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_too_long_address_is_the_414_the_description_declares(gunicorn):
    status, content_type, body = _get(gunicorn, "/api/disclosures?q=" + "a" * 5000)
    assert status == 414 and body
    declared = _figures_operation(document())["responses"]["414"]["content"]
    assert content_type.split(";")[0] in declared
