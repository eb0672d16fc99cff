"""Two reviewers approve the same version at the same moment: exactly one wins.

Runs on PostgreSQL (CI's database), where select_for_update really locks; SQLite
serialises whole transactions and has no row locks to test."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from accounts_app.models import AuditEntry, Version
from accounts_app.services import workflow
from tests.workflow.conftest import make_user, make_version

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs this)"),
]


def _race(target, users) -> list:
    barrier = threading.Barrier(len(users))
    results = [None] * len(users)

    def run(i, user):
        from django.db import connections

        try:
            barrier.wait()
            target(user)
            results[i] = "ok"
        except workflow.TransitionRefused as refused:
            results[i] = refused
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, u)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_two_parallel_approvals_one_wins(world, attempt):
    version = make_version(world.a, Version.Status.SUBMITTED)
    second = make_user("rev_1b", "reviewer", region=world.a.department.region)
    results = _race(
        lambda user: workflow.version_approve(version=version, actor=workflow.Actor(user, "10.0.0.1")),
        [world.users["reviewer_1"], second],
    )
    assert sorted(str(r) == "ok" for r in results) == [False, True], results
    refused = next(r for r in results if r != "ok")
    assert "当前为“审核通过”" in str(refused)
    assert Version.objects.get(pk=version.pk).status == Version.Status.APPROVED
    assert AuditEntry.objects.filter(version=version, action=AuditEntry.Action.APPROVE).count() == 1


def test_two_parallel_submissions_of_different_versions_one_wins(world):
    first, second = make_version(world.a, Version.Status.DRAFT), make_version(world.a, Version.Status.DRAFT)
    accountant = world.users["accountant_a"]
    results = []
    barrier = threading.Barrier(2)

    def submit(version):
        from django.db import connections

        try:
            barrier.wait()
            workflow.version_submit(version=version, actor=workflow.Actor(accountant))
            results.append("ok")
        except workflow.TransitionRefused as refused:
            results.append(str(refused))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(v,)) for v in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results, key=lambda r: r != "ok")[0] == "ok"
    assert results.count("ok") == 1, results
    assert Version.objects.filter(disclosure=world.a, status=Version.Status.SUBMITTED).count() == 1
