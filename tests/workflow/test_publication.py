"""Publication off the request (issue 19, items 5 and 9), with the database queue and the real
worker (`manage.py db_worker --batch`) in transactional tests: the publish request only
freezes the version and enqueues its files; the version page shows 生成中 with its progress;
the public sees nothing until every file is stored, then the stored files are what it
downloads; a failed generation keeps nothing, is retried and reported; a version older than
the one published never becomes current."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from accounts_app.models import Disclosure, Version, VersionFile
from accounts_app.services import publication, workflow
from tests.conftest import seed_workbook
from tests.statements import state_the_rest
from tests.workflow.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})


def _approved(disclosure: Disclosure, accountant, reviewer, seed: str = "000") -> Version:
    path = seed_workbook(seed)
    version = workflow.version_upload(
        disclosure=disclosure, data=path.read_bytes(), filename=path.name, actor=workflow.Actor(accountant)
    ).version
    state_the_rest(version)
    for finding in version.findings.filter(severity="warning"):
        workflow.warning_explain(finding=finding, actor=workflow.Actor(accountant), text="万元换算尾差")
    if disclosure.has_published():
        version.correction_note = "更正：重新上传。"
        version.save(update_fields=["correction_note"])
    workflow.version_submit(version=version, actor=workflow.Actor(accountant))
    return workflow.version_approve(version=version, actor=workflow.Actor(reviewer))


@pytest.fixture
def people(seed_disclosure):
    disclosure = seed_disclosure("000")
    accountant = make_user("kuaiji", "accountant", department=disclosure.department)
    reviewer = make_user("shenhe", "reviewer", region=disclosure.department.region)
    client = Client()
    client.force_login(reviewer)
    return disclosure, accountant, reviewer, client


def _work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


@QUEUE
def test_publishing_answers_at_once_and_the_worker_publishes_with_stored_files(people):
    disclosure, accountant, reviewer, client = people
    version = _approved(disclosure, accountant, reviewer)
    started = time.monotonic()
    response = client.post(f"/work/versions/{version.pk}/publish/", {"at": ""}, follow=True)
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"publishing took {elapsed:.2f} s"
    page = response.content.decode()
    assert "正在生成 PDF 和下载文件" in page and 'id="files-panel"' in page and 'http-equiv="refresh"' in page
    version.refresh_from_db()
    assert version.status == Version.Status.PUBLISHING and version.files_done == 0 and version.files_total > 3
    assert not version.pdf and Client().get(f"/disclosures/{disclosure.pk}/").status_code == 404
    assert disclosure.entity_name not in Client().get("/").content.decode()  # not listed either

    _work()
    version.refresh_from_db()
    assert version.status == Version.Status.PUBLISHED and version.files_done == version.files_total
    assert version.pdf and VersionFile.objects.filter(version=version).count() == version.files_total - 1
    public = Client()
    page = public.get(f"/disclosures/{disclosure.pk}/").content.decode()
    assert f"/disclosures/{disclosure.pk}/versions/1/disclosure.pdf" in page
    stored = VersionFile.objects.get(version=version, name="workbook.xlsx")
    download = public.get(f"/disclosures/{disclosure.pk}/versions/1/tables.xlsx")
    body = download.getvalue()
    assert hashlib.sha256(body).hexdigest() == stored.sha256 and download["ETag"] == f'"{stored.sha256}"'
    assert public.get(f"/disclosures/{disclosure.pk}/versions/1/tables.xlsx", HTTP_IF_NONE_MATCH=f'"{stored.sha256}"').status_code == 304
    table = VersionFile.objects.filter(version=version, name__endswith=".csv").first()
    served = public.get(f"/disclosures/{disclosure.pk}/versions/1/tables/{table.name}").getvalue()
    assert hashlib.sha256(served).hexdigest() == table.sha256
    assert "已公开" in client.get(f"/work/versions/{version.pk}/").content.decode()


@QUEUE
def test_a_failed_generation_keeps_nothing_is_retried_reported_and_started_again(people, settings, tmp_path, monkeypatch):
    disclosure, accountant, reviewer, client = people
    version = _approved(disclosure, accountant, reviewer)
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    (media / "pdf").write_text("a file where the PDFs' folder goes")  # the storage cannot store a PDF: a real failure
    monkeypatch.setattr(publication, "RETRY_AFTER", timedelta(0))
    client.post(f"/work/versions/{version.pk}/publish/", {"at": ""})
    _work()  # every attempt, one after the other
    version.refresh_from_db()
    assert version.status == Version.Status.PUBLISHING and version.files_attempts == publication.MAX_ATTEMPTS
    assert "已停止重试" in version.files_error and not version.pdf
    assert not VersionFile.objects.filter(version=version).exists() and not any(media.rglob("*.*"))
    (media / "pdf").unlink()  # the administrator repairs the storage
    assert Client().get(f"/disclosures/{disclosure.pk}/").status_code == 404  # never half-published
    assert reviewer.notifications.filter(message__contains="生成公开文件失败").exists()
    page = client.get(f"/work/versions/{version.pk}/").content.decode()
    assert 'id="files-error"' in page and 'id="regenerate-button"' in page and 'http-equiv="refresh"' not in page

    client.post(f"/work/versions/{version.pk}/regenerate/")
    _work()
    version.refresh_from_db()
    assert version.status == Version.Status.PUBLISHED and version.files_error == "" and version.pdf
    assert Client().get(f"/disclosures/{disclosure.pk}/").status_code == 200


def test_an_older_version_never_becomes_current(people):
    disclosure, accountant, reviewer, client = people
    first = _approved(disclosure, accountant, reviewer)
    workflow.version_publish(version=first, actor=workflow.Actor(reviewer))
    path = seed_workbook("000")
    older = workflow.version_upload(disclosure=disclosure, data=path.read_bytes(), filename=path.name, actor=workflow.Actor(accountant)).version
    newer = _approved(disclosure, accountant, reviewer)
    client.post(f"/work/versions/{newer.pk}/publish/", {"at": ""})
    disclosure.refresh_from_db()
    assert disclosure.current_version_id == newer.pk

    state_the_rest(older)
    accountant_client = Client()
    accountant_client.force_login(accountant)
    page = accountant_client.post(f"/work/versions/{older.pk}/submit/", {"correction_note": "旧版本"}, follow=True).content.decode()
    assert f"本决算已公开第 {newer.number} 版，第 {older.number} 版早于它" in page
    assert Version.objects.get(pk=older.pk).status == Version.Status.DRAFT

    Version.objects.filter(pk=older.pk).update(status=Version.Status.PUBLISHED, published_at=timezone.now())  # however
    publication.disclosure_current_refresh(disclosure=Disclosure.objects.get(pk=disclosure.pk))
    assert Disclosure.objects.get(pk=disclosure.pk).current_version_id == newer.pk
    api = Client().get(f"/api/disclosures/{disclosure.pk}").json()
    assert api["version"] == newer.number
    assert [v["number"] for v in api["versions"] if v["is_current"]] == [newer.number]
