"""A published world for the API: the three seeds stored and published through the real
services (seed 000 corrected once), next to versions that must never show — a draft
correction, a submitted and an approved disclosure — and the people who could see those
at work. Every response the tests read is validated against the served OpenAPI document."""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_core.deserializing.media_types.util import plain_loads

from accounts_app import caching
from accounts_app.checking import check_dataset
from accounts_app.dataset import Dataset, LineData, TableData
from accounts_app.models import Disclosure, Finding, Version
from accounts_app.services import workflow
from accounts_app.services.imports import store_version
from accounts_app.services.organisations import SEED_REGIONS, disclosure_ensure, region_ensure
from accounts_app.specs import RowKind, get_table_set, specs_for_year
from tests.seeds.transcriptions import SEEDS, amount_of, expected_figures, load, rows_of
from tests.workflow.conftest import make_user
from tests.statements import state_the_rest

CORRECTION = "更正表03 基本支出的尾差。"

# Seed 002 prints 公务接待费 全年预算数 0.10 over 国内接待费 "——": 公务接待费 = 国内 + 国（境）外
# fails, an error the portal will not publish. Published here as the department would correct it.
FIXES = {"002": {("three_public", "total", "budget_reception_domestic"): Decimal("0.10")}}


def published_figures(seed: str) -> dict[str, dict[tuple[str, str], Decimal | None]]:
    """{table: {(row key, column): amount}} of the seed as published here."""
    figures = expected_figures(seed)
    for (table, row, column), amount in FIXES.get(seed, {}).items():
        figures[table][(row, column)] = amount
    return figures


def seed_dataset(seed: str, disclosure: Disclosure) -> Dataset:
    """The seed's transcription as the importer would hand it over (fixed rows all kept)."""
    info = load(seed)
    specs = specs_for_year(info["year"])
    table_set = get_table_set(disclosure.region.table_set)
    dataset = Dataset(year=info["year"])
    for position, (key, table) in enumerate(info["tables"].items()):
        spec = specs[key]
        data = TableData(
            spec=spec,
            sheet=spec.title,
            position=position,
            printed_title=spec.title,
            printed_label=table_set.label_of(spec.family),
            printed_entity=info["entity"],
            printed_unit="万元",
        )
        for row_key, label, values in rows_of(table):
            if not values and spec.row_kind is not RowKind.LINE:
                continue  # an empty subject row (seed 002 prints one with a misprinted code)
            data.lines[row_key] = LineData(
                key=row_key, label=label, values={column: amount_of(value) for column, value in values.items()}
            )
        if spec.stores_as:  # as the importer stores it (三公 items as rows → the 三公 table's keys)
            data = data.stored_as(specs[spec.stores_as])
        dataset.tables[data.spec.key] = data
    for (table, row, column), amount in FIXES.get(seed, {}).items():
        dataset.tables[table].lines[row].values[column] = amount
    return dataset


def stored(seed: str, disclosure: Disclosure, user) -> Version:
    """A new draft of the disclosure holding the seed's figures, its warnings explained."""
    dataset = seed_dataset(seed, disclosure)
    data = json.dumps(load(seed)["tables"], ensure_ascii=False).encode()
    version, _ = store_version(
        disclosure=disclosure, dataset=dataset, problems=check_dataset(dataset), data=data, filename=f"seed_{seed}.xlsx"
    )
    for finding in version.findings.filter(severity=Finding.Severity.WARNING):
        workflow.warning_explain(finding=finding, actor=workflow.Actor(user), text="万元换算的尾差")
    return version


def advanced(version: Version, user, to: str, correction_note: str = "") -> Version:
    """The version taken through submit → approve → publish, as far as `to`."""
    actor = workflow.Actor(user)
    state_the_rest(version)
    version = workflow.version_submit(version=version, actor=actor, correction_note=correction_note)
    if to == Version.Status.SUBMITTED:
        return version
    version = workflow.version_approve(version=version, actor=actor)
    if to == Version.Status.APPROVED:
        return version
    return workflow.version_publish(version=version, actor=actor)


@dataclass
class World:
    disclosures: dict[str, Disclosure]  # seed -> its published disclosure
    first: Version  # seed 000's first publication, since corrected
    draft: Version  # seed 000's next correction, still a draft
    submitted: Version  # another department's, under review
    approved: Version  # a third department's, approved but not yet published
    users: dict

    @property
    def hidden(self) -> list[Version]:
        return [self.draft, self.submitted, self.approved]

    @property
    def disclosures_by_id(self) -> dict[int, Disclosure]:
        return {disclosure.pk: disclosure for disclosure in self.disclosures.values()}


def seed_disclosure(seed: str) -> Disclosure:
    """The empty disclosure of a seed (as the `seed_disclosure` fixture, usable at package scope)."""
    info = load(seed)
    region = region_ensure(info=SEED_REGIONS[info["region"]])
    return disclosure_ensure(region=region, entity=info["entity"], year=info["year"], kind=info["kind"])


def world_build() -> World:
    admin = make_user("boss", "admin")
    disclosures = {seed: seed_disclosure(seed) for seed in SEEDS}
    for seed, disclosure in disclosures.items():
        advanced(stored(seed, disclosure, admin), admin, Version.Status.PUBLISHED)
    seed_000 = disclosures["000"]
    first = seed_000.versions.get(number=1)
    advanced(stored("000", seed_000, admin), admin, Version.Status.PUBLISHED, CORRECTION)
    draft = stored("000", seed_000, admin)
    region = seed_000.region
    under_review = disclosure_ensure(region=region, entity="新乡市凤泉区教育局", year=2023, kind="department")
    submitted = advanced(stored("000", under_review, admin), admin, Version.Status.SUBMITTED)
    not_yet_public = disclosure_ensure(region=region, entity="新乡市凤泉区卫生健康委员会", year=2023, kind="department")
    approved = advanced(stored("000", not_yet_public, admin), admin, Version.Status.APPROVED)
    users = {
        "anonymous": None,
        "accountant_of_draft": make_user("acc_000", "accountant", department=seed_000.department),
        "accountant_of_submitted": make_user("acc_sub", "accountant", department=under_review.department),
        "reviewer_of_region": make_user("rev_410704", "reviewer", region=region),
        "accountant_elsewhere": make_user("acc_002", "accountant", department=disclosures["002"].department),
        "admin": admin,
    }
    for disclosure in disclosures.values():
        disclosure.refresh_from_db()
    return World(disclosures, first, draft, submitted, approved, users)


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker) -> World:
    """Built once for tests/api in a transaction rolled back at the end; each test runs
    inside it in its own savepoint, as Django's TestCase.setUpTestData does."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield world_build()
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def openapi() -> OpenAPI:
    """The OpenAPI document as served (checked against the OpenAPI 3.1 schema on load)."""
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return OpenAPI.from_dict(response.json(), config=Config(extra_media_type_deserializers={"text/csv": plain_loads}))


def materialized(response: StreamingHttpResponse) -> HttpResponse:
    """A streamed response read to the end, as a plain response with the same headers."""
    plain = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
    for header, value in response.items():
        plain[header] = value
    plain.wsgi_request = response.wsgi_request
    return plain


@pytest.fixture
def api(client, openapi, django_assert_max_num_queries):
    """GET an API path as `user` (None: anonymous), in at most `max_queries` queries when
    given (a streamed body read to its end included); the response must match the document."""

    def get(path: str, user=None, max_queries: int | None = None, **params):
        if user is not None:
            client.force_login(user)
        caching.stamp(), caching.generation()  # as between publications: read once per few seconds
        with django_assert_max_num_queries(max_queries) if max_queries is not None else nullcontext():
            response = client.get(path, params)
            if response.streaming:
                response = materialized(response)
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
        if user is not None:
            client.logout()
        return response

    return get
