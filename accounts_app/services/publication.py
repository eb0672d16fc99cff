"""Publication off the request. Publishing a version freezes what it says (its key figures and
its 情况说明) and enqueues, in the same transaction, the generation of its files: the PDF, the
whole workbook and every table as .xlsx and .csv. The version is 公开中 meanwhile; a worker
process (`manage.py db_worker`) renders and stores the files one by one, counting them, and
only then makes the version 已公开: public, current, scored and announced. A failed attempt
removes what it stored and is retried later; after the last attempt the failure is reported to
the reviewers, who may start it again. Nothing is ever half-published.

The current version of a disclosure is defined here, once: its published version with the
highest number (`disclosure_current_refresh`)."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_tasks import task

from .. import caching
from ..models import AuditEntry, Disclosure, Version, VersionFile
from ..narrative.drafting import draft_sections, sections_to_data
from ..selectors import version_dataset, version_snapshot
from ..specs.key_figures import key_figures
from .audit import Actor, accountants_of, audit, notify, reviewers_of
from .downloads import WORKBOOK, Download, version_table, version_workbook
from .listing import listing_refresh
from .pdfs import version_pdf_store
from .quality import version_quality_refresh

logger = logging.getLogger(__name__)
Status = Version.Status

MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(seconds=30)  # doubled after each failed attempt


class FilesRefused(Exception):
    """The files cannot be generated again now; the message says why, in Chinese."""


def file_names(version: Version) -> list[str]:
    """The downloads a version is stored as, besides its PDF."""
    tables = sorted(version_dataset(version).tables)
    return [WORKBOOK] + [f"{table}.{fmt}" for table in tables for fmt in ("xlsx", "csv")]


def publication_start(*, version: Version, actor: Actor, now: datetime) -> Version:
    """Under the caller's lock on an approved version: freeze it and enqueue its files."""
    version.status, version.published_at = Status.PUBLISHING, now  # the date its files print
    version.published_by = actor.user if actor.user is not None and actor.user.is_authenticated else None
    version.summary = {
        key: None if amount is None else str(amount) for key, amount in key_figures(version_dataset(version)).items()
    }
    version.narrative_sections = sections_to_data(draft_sections(version_snapshot(version)))  # frozen with the figures
    version.files_total = 1 + len(file_names(version))
    version.files_done, version.files_attempts, version.files_error = 0, 0, ""
    version.save()
    audit(actor, AuditEntry.Action.PUBLISH, version.disclosure, version, version.correction_note and f"更正说明：{version.correction_note}")
    _enqueue(version)
    version.refresh_from_db()  # an immediate backend (tests) has already published it
    return version


@task()
def version_files_task(version_id: int) -> None:
    """The worker's entry point (Django's tasks API: run by `manage.py db_worker`)."""
    version_files_generate(version_id=version_id)


def _enqueue(version: Version, delay: timedelta | None = None) -> None:
    """In the caller's transaction: the task exists if and only if the caller commits."""
    queued = version_files_task.using(run_after=timezone.now() + delay) if delay else version_files_task
    queued.enqueue(version.pk)


def version_files_retry(*, version: Version, actor: Actor) -> Version:
    """A reviewer starts the generation of a version's files again after it failed."""
    with transaction.atomic():
        version = Version.objects.select_for_update(of=("self",)).select_related("disclosure").get(pk=version.pk)
        if version.status != Status.PUBLISHING or not version.files_error:
            raise FilesRefused("只有生成公开文件失败的版本才需要重新生成。")
        version.files_attempts, version.files_error, version.files_done = 0, "", 0
        version.save(update_fields=["files_attempts", "files_error", "files_done"])
        audit(actor, AuditEntry.Action.PUBLISH, version.disclosure, version, "重新生成公开文件")
        _enqueue(version)
    return version


def version_files_generate(*, version_id: int) -> None:
    """The worker's task: render and store every file, then publish. Idempotent: a version that
    is no longer 公开中 (published meanwhile, or gone) is left alone."""
    with transaction.atomic():
        version = Version.objects.select_for_update(of=("self",)).filter(pk=version_id, status=Status.PUBLISHING).first()
        if version is None:
            return
        version.files_attempts += 1
        version.files_done = 0
        version.save(update_fields=["files_attempts", "files_done"])
    stored: list[VersionFile] = []
    try:
        _store_files(version, stored)
        _finish(version)
    except Exception as error:  # any failure: nothing of this attempt stays
        logger.exception("generating the files of version %s failed (attempt %s)", version.pk, version.files_attempts)
        _remove(version, stored)
        _failed(version, error)


def _store_files(version: Version, stored: list[VersionFile]) -> None:
    VersionFile.objects.filter(version=version).delete()  # a previous attempt's leftovers
    version_pdf_store(version)
    _progress(version, 1)
    for done, name in enumerate(file_names(version), 2):
        download = _download(version, name)
        item = VersionFile(
            version=version, name=name, filename=download.filename, content_type=download.content_type,
            sha256=hashlib.sha256(download.data).hexdigest(), size=len(download.data),
        )
        item.file.save(name, ContentFile(download.data), save=False)
        stored.append(item)
        item.save()
        _progress(version, done)


def _download(version: Version, name: str) -> Download:
    if name == WORKBOOK:
        return version_workbook(version=version)
    table, fmt = name.rsplit(".", 1)
    return version_table(version=version, table=table, fmt=fmt)


def _progress(version: Version, done: int) -> None:
    version.files_done = done
    Version.objects.filter(pk=version.pk).update(files_done=done)


def _remove(version: Version, stored: list[VersionFile]) -> None:
    for item in stored:
        item.file.delete(save=False)
    VersionFile.objects.filter(version=version).delete()
    if version.pdf:
        version.pdf.delete(save=False)
    Version.objects.filter(pk=version.pk).update(pdf="", pdf_sha256="", files_done=0)


def _failed(version: Version, error: Exception) -> None:
    attempts = version.files_attempts
    detail = f"第 {attempts} 次生成公开文件失败（{type(error).__name__}）"
    with transaction.atomic():
        if attempts < MAX_ATTEMPTS:
            Version.objects.filter(pk=version.pk).update(files_error=f"{detail}，将自动重试。")
            _enqueue(version, RETRY_AFTER * 2 ** (attempts - 1))
            return
        message = f"{detail}，已停止重试，请联系管理员后在版本页面“重新生成公开文件”。"
        Version.objects.filter(pk=version.pk).update(files_error=message)
        audit(Actor(None), AuditEntry.Action.PUBLISH, version.disclosure, version, message)
        notify(reviewers_of(version.disclosure), version, f"{version}{message}")


def _finish(version: Version) -> None:
    """The files are stored: the version becomes public and current, in one transaction."""
    with transaction.atomic():
        locked = Version.objects.select_for_update(of=("self",)).select_related("disclosure").get(pk=version.pk)
        if locked.status != Status.PUBLISHING:
            raise RuntimeError("the version left 公开中 while its files were generated")
        locked.status, locked.files_error = Status.PUBLISHED, ""
        locked.save(update_fields=["status", "files_error"])
        disclosure = locked.disclosure
        disclosure_current_refresh(disclosure=disclosure)
        version_quality_refresh(version=locked)  # 及时性 counts to the first publication, now saved
        transaction.on_commit(lambda: caching.forget_current(disclosure.pk))
        notify(list(accountants_of(disclosure)) + list(reviewers_of(disclosure)), locked, f"{locked}已公开")
    version.status = locked.status


def disclosure_current_refresh(*, disclosure: Disclosure) -> Disclosure:
    """The current version is the published one with the highest number, whatever the order
    in which versions were published; the lists' copy (and the first publication) refreshed
    when it or the first publication changed."""
    newest = _newest_published(disclosure).values_list("pk", flat=True).first()
    first = disclosure.versions.published().aggregate(first=Min("published_at"))["first"]
    if (disclosure.current_version_id, disclosure.first_published_at) != (newest, first):
        disclosure.current_version_id = newest
        disclosure.save(update_fields=["current_version"])
        listing_refresh(disclosures=Disclosure.objects.filter(pk=disclosure.pk))  # the lists' copy and counts
        disclosure.first_published_at = first
    return disclosure


def newest_published_number(disclosure: Disclosure) -> int | None:
    return _newest_published(disclosure).values_list("number", flat=True).first()


def _newest_published(disclosure: Disclosure):
    return disclosure.versions.filter(status=Status.PUBLISHED).order_by("-number")

