"""The permission matrix over HTTP: every role × every action × own/other organisation.

Roles: anonymous, 填报人 of A, 填报人 of B (same region as A), 审核人 of A's region,
审核人 of the other region, 管理员. Targets: disclosure A (region 1, "own" for A's
accountant and region 1's reviewer) and disclosure C (region 2, "own" for region 2's
reviewer). Each case asserts the status code (or login redirect) and, where the
action succeeds, that the state really changed; where it is refused, that it did not.
"""

from __future__ import annotations

import pytest

from accounts_app.models import AuditEntry, Version
from tests.workflow.conftest import make_version

pytestmark = pytest.mark.django_db
S = Version.Status

ROLES = ["anonymous", "accountant_a", "accountant_b", "reviewer_1", "reviewer_2", "admin"]
LOGIN = "login"  # a redirect to the login page


# action -> (method, how to build the request, how to tell it worked)
def _action(action, disclosure, template_upload):
    if action == "view_draft":
        version = make_version(disclosure, S.DRAFT)
        return "get", f"/work/versions/{version.pk}/", {}, lambda: True
    if action == "download_draft_xlsx":
        version = make_version(disclosure, S.DRAFT)
        return "get", f"/work/versions/{version.pk}/tables.xlsx", {}, lambda: True
    if action == "download_draft_pdf":
        version = make_version(disclosure, S.DRAFT)
        return "get", f"/work/versions/{version.pk}/disclosure.pdf", {}, lambda: True
    if action in ("upload", "correct"):
        if action == "correct":
            make_version(disclosure, S.PUBLISHED)
        before = disclosure.versions.count()
        return (
            "post",
            f"/work/disclosures/{disclosure.pk}/upload/",
            {"workbook": template_upload(disclosure)},
            lambda: disclosure.versions.count() == before + 1,
        )
    if action == "submit":
        version = make_version(disclosure, S.DRAFT)
        return "post", f"/work/versions/{version.pk}/submit/", {}, lambda: _status(version) == S.SUBMITTED
    if action == "return":
        version = make_version(disclosure, S.SUBMITTED)
        return "post", f"/work/versions/{version.pk}/return/", {"reason": "第5行数据有误"}, lambda: _status(version) == S.RETURNED
    if action == "approve":
        version = make_version(disclosure, S.SUBMITTED)
        return "post", f"/work/versions/{version.pk}/approve/", {}, lambda: _status(version) == S.APPROVED
    if action == "publish":
        version = make_version(disclosure, S.APPROVED)
        return "post", f"/work/versions/{version.pk}/publish/", {}, lambda: _status(version) == S.PUBLISHED
    if action == "view_audit":
        return "get", f"/work/audit/?disclosure={disclosure.pk}", {}, lambda: True
    raise AssertionError(action)


def _status(version):
    return Version.objects.get(pk=version.pk).status


OK, DONE, FORBIDDEN, HIDDEN = 200, 302, 403, 404
# expected[(action, target)] = {role: outcome}; DONE = redirect after the action succeeded
A_OWN = {"anonymous": LOGIN, "accountant_a": None, "accountant_b": HIDDEN, "reviewer_1": None, "reviewer_2": HIDDEN, "admin": None}
C_OTHER = {"anonymous": LOGIN, "accountant_a": HIDDEN, "accountant_b": HIDDEN, "reviewer_1": HIDDEN, "reviewer_2": None, "admin": None}


def _matrix():
    def case(action, accountant_own, reviewer_own, admin):
        for target, base in (("A", A_OWN), ("C", C_OTHER)):
            row = dict(base)
            if target == "A":
                row["accountant_a"] = accountant_own
                row["reviewer_1"] = reviewer_own
            else:
                row["reviewer_2"] = reviewer_own
            row["admin"] = admin
            for role in ROLES:
                yield action, target, role, row[role]

    # drafts are the department's own work: reviewers do not see them until submitted
    yield from case("view_draft", OK, HIDDEN, OK)
    yield from case("download_draft_xlsx", OK, HIDDEN, OK)
    yield from case("download_draft_pdf", OK, HIDDEN, OK)
    yield from case("upload", DONE, FORBIDDEN, DONE)
    yield from case("correct", DONE, FORBIDDEN, DONE)
    yield from case("submit", DONE, HIDDEN, DONE)
    yield from case("return", FORBIDDEN, DONE, DONE)
    yield from case("approve", FORBIDDEN, DONE, DONE)
    yield from case("publish", FORBIDDEN, DONE, DONE)
    # the audit log is the reviewers' and admins' (scoped to their region), never the accountants'
    for target in ("A", "C"):
        for role in ROLES:
            expected = {"anonymous": LOGIN, "accountant_a": FORBIDDEN, "accountant_b": FORBIDDEN}.get(role, OK)
            yield "view_audit", target, role, expected


MATRIX = list(_matrix())


def test_matrix_is_complete():
    assert len(MATRIX) == 10 * 2 * 6 >= 60


@pytest.mark.parametrize("action, target, role, expected", MATRIX, ids=[f"{a}-{t}-{r}" for a, t, r, _ in MATRIX])
def test_permission(client, world, template_upload, action, target, role, expected):
    disclosure = world.a if target == "A" else world.c
    method, url, data, worked = _action(action, disclosure, template_upload)
    entries_before = AuditEntry.objects.count()
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(url, data)

    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert not (method == "post" and worked())
        return
    assert response.status_code == expected, response.content[:300]
    if expected == DONE:
        assert worked(), "the action answered with a redirect but did not happen"
        assert AuditEntry.objects.count() == entries_before + 1
    elif method == "post":
        assert not worked()
        assert AuditEntry.objects.count() == entries_before


def test_audit_log_is_scoped_to_the_region(client, world, template_upload):
    from accounts_app.services.workflow import Actor, audit

    audit(Actor(world.users["accountant_a"]), AuditEntry.Action.UPLOAD, world.a, detail="甲部门上传")
    audit(Actor(world.users["accountant_c"]), AuditEntry.Action.UPLOAD, world.c, detail="丙部门上传")
    client.force_login(world.users["reviewer_1"])
    html = client.get("/work/audit/").content.decode()
    assert "甲部门上传" in html and "丙部门上传" not in html
    client.force_login(world.users["admin"])
    html = client.get("/work/audit/").content.decode()
    assert "甲部门上传" in html and "丙部门上传" in html


def test_anonymous_sees_only_published_versions(client, world):
    draft = make_version(world.a, S.DRAFT)
    assert client.get(f"/disclosures/{world.a.pk}/").status_code == 404
    published = make_version(world.a, S.PUBLISHED)
    response = client.get(f"/disclosures/{world.a.pk}/")
    assert response.status_code == 200
    assert client.get(f"/disclosures/{world.a.pk}/versions/{draft.number}/").status_code == 404
    assert client.get(f"/disclosures/{world.a.pk}/versions/{published.number}/").status_code == 200
