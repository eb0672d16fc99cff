"""Shared fixtures: the code catalogs in the test database, and the seed disclosures."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from accounts_app.models import FunctionSubject
from accounts_app.services.catalogs import catalogs_load
from accounts_app.services.organisations import SEED_REGIONS, disclosure_ensure, region_ensure
from tests.fixtures.bad.build_bad_workbooks import blank_nan
from tests.seeds.transcriptions import load as load_transcription
from tests.statements import state_the_rest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WORKBOOKS = FIXTURES / "workbooks"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the catalogs once; test transactions roll back to this state."""
    with django_db_blocker.unblock():
        catalogs_load()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages are keyed by primary keys, which a rolled-back test may hand out again."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def catalogs(db):
    """The catalogs, reloaded if a transactional test flushed them."""
    if not FunctionSubject.objects.exists():
        catalogs_load()


@pytest.fixture
def seed_disclosure(catalogs):
    """Factory: the (empty) disclosure a seed document belongs to."""

    def make(seed: str):
        info = load_transcription(seed)
        region = region_ensure(info=SEED_REGIONS[info["region"]])
        return disclosure_ensure(region=region, entity=info["entity"], year=info["year"], kind=info["kind"])

    return make


def seed_workbook(seed: str) -> Path:
    return WORKBOOKS / f"seed_{seed}.xlsx"


def corrected_seed_book(seed: str) -> openpyxl.Workbook:
    """A seed workbook as its department uploads it after correcting what the checklist rejects
    in the published document itself (tests/imports/test_seed_workbooks asserts those errors on
    the file as published)."""
    return blank_nan(openpyxl.load_workbook(seed_workbook(seed)))


def corrected_seed_bytes(seed: str) -> bytes:
    buffer = io.BytesIO()
    corrected_seed_book(seed).save(buffer)
    return buffer.getvalue()


def publish_workbook(disclosure, seed: str, user):
    """A seed's workbook through upload, review and publication by `user`, its text part
    stated (tests.statements) and its warnings explained."""
    from accounts_app.services import workflow

    actor = workflow.Actor(user)
    path = seed_workbook(seed)
    outcome = workflow.version_upload(disclosure=disclosure, data=path.read_bytes(), filename=path.name, actor=actor)
    assert outcome.accepted, [str(p) for p in outcome.errors]
    version = outcome.version
    state_the_rest(version)
    for finding in version.findings.filter(severity="warning"):
        workflow.warning_explain(finding=finding, actor=actor, text="万元换算尾差")
    workflow.version_submit(version=version, actor=actor)
    workflow.version_approve(version=version, actor=actor)
    return workflow.version_publish(version=version, actor=actor)


@pytest.fixture
def publish_seed(seed_disclosure, django_user_model):
    """Factory: import a seed workbook and take it through review to publication."""

    def publish(seed: str):
        user = django_user_model.objects.filter(username="publisher").first()
        if user is None:
            user = django_user_model.objects.create_superuser("publisher", "publisher@example.gov.cn", "x")
        return publish_workbook(seed_disclosure(seed), seed, user)

    return publish
