"""Backup and restore (manage.py backup_export / backup_import): everything comes back,
the published PDF byte for byte."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts_app.models import AuditEntry, Comment, Figure, Membership, Version, VersionFile
from accounts_app.services import workflow
from accounts_app.services.backup import (
    NOT_EMPTY,
    BackupRefused,
    backup_export,
    backup_import,
)
from accounts_app.services.imports import store_version
from tests.conftest import seed_workbook
from tests.seeds.transcriptions import dataset
from tests.statements import state_the_rest


def published_seed(disclosure, admin) -> Version:
    """Seed 000 stored as a draft (no findings), then submitted, approved and published."""
    path = seed_workbook("000")
    version, _ = store_version(
        disclosure=disclosure, dataset=dataset("000"), problems=[], data=path.read_bytes(), filename=path.name, user=admin
    )
    actor = workflow.Actor(admin, "10.0.0.1")
    workflow.comment_add(version=version, actor=actor, text="核对无误。", table="expense", row="208")
    state_the_rest(version)
    workflow.version_submit(version=version, actor=actor)
    workflow.version_approve(version=version, actor=actor)
    return workflow.version_publish(version=version, actor=actor)


def snapshot() -> dict:
    return {
        "figures": sorted(
            Figure.objects.values_list(
                "line__table__version_id", "line__table__table", "line__key", "line__label", "column", "amount", "cell"
            )
        ),
        "users": sorted(get_user_model().objects.values_list("pk", "username", "password", "is_superuser", "date_joined")),
        "memberships": sorted(Membership.objects.values_list("user__username", "role", "department_id", "region_id")),
        "versions": sorted(
            Version.objects.values_list(
                "pk", "status", "created_at", "published_at", "source_file", "source_sha256", "pdf", "pdf_sha256", "summary"
            )
        ),
        "audit": sorted(AuditEntry.objects.values_list("pk", "created_at", "actor_id", "address", "action", "detail")),
        "comments": sorted(Comment.objects.values_list("pk", "author_id", "table", "row", "text")),
    }


def stored_sha256(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_a_restored_portal_is_the_one_backed_up(catalogs, seed_disclosure, tmp_path):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.gov.cn", "pw-12345")
    disclosure = seed_disclosure("000")
    accountant = get_user_model().objects.create_user("fengquan", password="pw-12345")
    Membership.objects.create(user=accountant, role=Membership.Role.ACCOUNTANT, department=disclosure.department)
    version = published_seed(disclosure, admin)
    assert version.pdf and version.source_file
    before = snapshot()
    downloads = list(VersionFile.objects.filter(version=version).values_list("file", "sha256"))
    assert downloads  # stored at publication, like the PDF
    files = [version.pdf.name, version.source_file.name, *(name for name, _ in downloads)]
    archive = tmp_path / "portal.tar.gz"
    backup_export(path=archive)

    call_command("flush", interactive=False, verbosity=0)  # an empty database, as after migrate
    for name in files:
        default_storage.delete(name)
    assert not Figure.objects.exists() and not get_user_model().objects.exists()

    summary = backup_import(path=archive)
    assert summary.files == len(files) and summary.pdf_mismatches == [] and summary.missing_files == []
    assert snapshot() == before
    restored = Version.objects.get(pk=version.pk)
    assert stored_sha256(restored.pdf.name) == restored.pdf_sha256 == version.pdf_sha256
    assert stored_sha256(restored.source_file.name) == restored.source_sha256
    assert all(stored_sha256(name) == sha256 for name, sha256 in downloads)
    assert get_user_model().objects.get(username="fengquan").check_password("pw-12345")
    next_user = get_user_model().objects.create_user("new-after-restore")  # sequences moved past the restored ids
    assert next_user.pk > max(pk for pk, *_ in before["users"])


@pytest.mark.django_db
def test_it_restores_only_into_an_empty_database(catalogs, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    backup_export(path=archive)
    with pytest.raises(BackupRefused) as refused:
        backup_import(path=archive)
    assert str(refused.value).startswith(NOT_EMPTY.split("（")[0])
    with pytest.raises(CommandError):
        call_command("backup_import", str(archive))


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"PK\x03\x04 not a tar at all")
    with pytest.raises(BackupRefused) as refused:
        backup_import(path=junk)
    assert "不是本平台的备份文件" in str(refused.value)
