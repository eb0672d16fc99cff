"""The disclosure page and the version (draft) page run a fixed number of queries, measured
before the version snapshot was introduced (issue 17): one read of a version, not two."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts_app.services import workflow
from accounts_app.services.narrative import narrative_apply
from tests.conftest import seed_workbook
from tests.workflow.conftest import make_user

pytestmark = pytest.mark.django_db

# As measured on main before the snapshot (267144e), cache cleared before each page; signed-in
# pages also renew the session (idle timeout: savepoint, update, release = 3).
RENEWAL = 3
PUBLISHED_PAGE = 15  # anonymous: the disclosure, its version, figures, 概况, 附件, glossary, last year
# the accountant's version page: findings, reading, comments, and the comparison with the
# published version, which reads that version's snapshot once (11) for its text, facts and
# 绩效自评表 (issue 20), and the versions compared, their layout, the public check, the
# comment authors and the explanations carried forward (6)
VERSION_PAGE = 17 + 11 + 6 + RENEWAL
DRAFT_PAGE = 17 + RENEWAL  # its 文字部分 page: 概况, facts, the drafted 情况说明 with what is written


def _count(client: Client, path: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


def test_the_pages_of_a_version_read_it_once(seed_disclosure, publish_seed):
    published = publish_seed("000")
    disclosure = seed_disclosure("000")
    accountant = make_user("kuaiji", "accountant", department=disclosure.department)
    path = seed_workbook("000")
    draft = workflow.version_upload(
        disclosure=disclosure, data=path.read_bytes(), filename=path.name, actor=workflow.Actor(accountant)
    ).version
    narrative = json.loads((path.parent.parent / "seeds" / "narrative_000.json").read_text(encoding="utf-8"))
    narrative_apply(version=draft, data=narrative)
    client = Client()
    counts = {"published": _count(client, f"/disclosures/{published.disclosure_id}/")}
    client.force_login(accountant)
    counts["version"] = _count(client, f"/work/versions/{draft.pk}/")
    counts["draft"] = _count(client, f"/work/versions/{draft.pk}/narrative/")
    assert counts == {"published": PUBLISHED_PAGE, "version": VERSION_PAGE, "draft": DRAFT_PAGE}
