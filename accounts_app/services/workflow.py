"""The life of a version: upload → 草稿 → 已提交 → 退回 | 审核通过 → 已公开.

Every transition locks the version row (select_for_update), checks its state inside
the lock, writes the audit log and notifies the people concerned, all in one
transaction: two reviewers acting at once cannot both win. Published versions are
never changed; a correction (更正) is a later version that goes through the same flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .. import caching
from ..models import AuditEntry, Comment, Disclosure, Finding, Membership, Notification, SheetMapping, Version, fit
from ..checking.checklist import PREFIX as CHECKLIST
from ..models.organisation import covering
from ..narrative.consistency import CODE as CONTRADICTION
from ..narrative.drafting import draft_sections, sections_to_data
from ..selectors import version_snapshot
from .findings import version_findings_refresh
from ..selectors import version_dataset
from ..specs.key_figures import key_figures
from .imports import ImportOutcome, workbook_import
from .pdfs import version_pdf_store
from .quality import version_quality_refresh

Status = Version.Status
Action = AuditEntry.Action


class TransitionRefused(Exception):
    """The version is not in a state that allows this; the message says why, in Chinese."""


@dataclass(frozen=True)
class Actor:
    user: object
    address: str | None = None


def audit(actor: Actor, action: str, disclosure: Disclosure, version: Version | None = None, detail: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        address=actor.address,
        action=action,
        disclosure=disclosure,
        version=version,
        detail=detail,
    )


# -- who hears about it ----------------------------------------------------------------


def _covering(disclosure: Disclosure, role: str):
    """The active users of `role` whose organisation covers the disclosure."""
    return get_user_model().objects.filter(
        covering(disclosure.department, "membership"), is_active=True, membership__role=role
    )


def _accountants(disclosure: Disclosure):
    return _covering(disclosure, Membership.Role.ACCOUNTANT)


def _reviewers(disclosure: Disclosure):
    return _covering(disclosure, Membership.Role.REVIEWER)


def notify(recipients, version: Version, message: str) -> None:
    """In-app notifications, and e-mail to those with an address (sent after commit)."""
    recipients = list(recipients)
    Notification.objects.bulk_create(Notification(recipient=user, version=version, message=message) for user in recipients)
    addresses = [user.email for user in recipients if user.email]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(f"【部门决算公开】{message}", message, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
        )


# -- transitions ---------------------------------------------------------------------


def _locked(version: Version) -> Version:
    return Version.objects.select_for_update(of=("self",)).select_related("disclosure__department__region", "disclosure__unit", "disclosure__year").get(pk=version.pk)


def _require(version: Version, *states: str) -> None:
    if version.status not in states:
        wanted = "、".join(Status(s).label for s in states)
        raise TransitionRefused(f"{version}当前为“{version.get_status_display()}”，只有“{wanted}”的版本可以这样操作。")


def version_upload(*, disclosure: Disclosure, data: bytes, filename: str, actor: Actor) -> ImportOutcome:
    """Import a workbook as the next version (a draft, whatever its findings); a file that
    cannot be opened safely stores nothing and logs nothing."""
    outcome = workbook_import(disclosure=disclosure, data=data, filename=filename, user=actor.user)
    if outcome.accepted:
        published = disclosure.has_published()
        detail = f"上传第 {outcome.version.number} 版（{filename}）" + ("，用于更正已公开的决算" if published else "")
        audit(actor, Action.UPLOAD, disclosure, outcome.version, detail)
    return outcome


def version_remap(*, version: Version, choices: dict[str, str], actor: Actor) -> Version:
    """The department says what some sheets are (sheet → table key, "" for not a table): the
    choice is remembered for its later uploads, the same workbook is read again as the next
    version, and the draft it replaces is discarded."""
    with transaction.atomic():
        version = _locked(version)
        _require(version, Status.DRAFT, Status.RETURNED)
        disclosure = version.disclosure
        for sheet, table in choices.items():
            SheetMapping.objects.update_or_create(
                department=disclosure.department, sheet_name=fit(SheetMapping, "sheet_name", sheet), defaults={"table": table, "created_by": actor.user}
            )
        named = "；".join(f"工作表「{sheet}」{'→ ' + table if table else '不是公开表'}" for sheet, table in choices.items())
        audit(actor, Action.MAP, disclosure, version, f"指定：{named}")
        with version.source_file.open("rb") as handle:
            data = handle.read()
        outcome = version_upload(disclosure=disclosure, data=data, filename=version.source_name, actor=actor)
        if not outcome.accepted:  # the same file opened before: only a storage failure gets here
            raise TransitionRefused("无法重新读取该版本的工作簿。")
        _discard(version, actor, f"按指定的工作表重新读取为第 {outcome.version.number} 版")
    return outcome.version


def version_discard(*, version: Version, actor: Actor) -> Version:
    """An unsubmitted draft leaves the lists; its file and its audit entries remain."""
    with transaction.atomic():
        version = _locked(version)
        _require(version, Status.DRAFT, Status.RETURNED)
        _discard(version, actor, "")
    return version


def _discard(version: Version, actor: Actor, why: str) -> None:
    version.status = Status.DISCARDED
    version.save(update_fields=["status"])
    audit(actor, Action.DISCARD, version.disclosure, version, f"作废第 {version.number} 版" + (f"（{why}）" if why else ""))


def version_submit(*, version: Version, actor: Actor, correction_note: str = "") -> Version:
    """Submit for review. Under the row lock the derived findings are recomputed first, so a
    version is never submitted on stale ones; a refusal keeps what was found (the accountant
    sees it), and changes nothing else."""
    with transaction.atomic():
        version = _locked(version)
        _require(version, Status.DRAFT, Status.RETURNED)
        version_findings_refresh(version=version)
        refusal = _submission_refusal(version, correction_note)
        if refusal is None:
            _submit(version, actor)
    if refusal is not None:
        raise TransitionRefused(refusal)
    return version


def _submission_refusal(version: Version, correction_note: str) -> str | None:
    """Why the version cannot be submitted (the first reason), or None; sets its correction note."""
    errors = version.findings.filter(severity=Finding.Severity.ERROR)
    in_text = errors.filter(Q(code__startswith="narrative.") | Q(code__startswith=CHECKLIST)).count()
    contradictions = errors.filter(code=CONTRADICTION).count()
    unstated = version.findings.filter(severity=Finding.Severity.MISSING).count()
    if errors.count() > in_text:
        return f"检查发现 {errors.count() - in_text} 处错误，须修改工作簿并重新上传后才能提交。"
    if unstated:
        return f"还有 {unstated} 项必须说明的内容没有填写（补充数据、主要原因或概况），请按“文字部分”的待填写清单补齐后再提交。"
    if contradictions:
        return f"情况说明中有 {contradictions} 处金额或比例与决算数据不一致，请在“文字部分”修改后再提交。"
    if in_text:
        return f"文字部分、补充数据或附件中有 {in_text} 处错误（见“文字部分检查结果”），请修改后再提交。"
    unexplained = version.findings.filter(severity=Finding.Severity.WARNING, explanation="").count()
    if unexplained:
        return f"还有 {unexplained} 条提示没有说明原因，请逐条说明后再提交。"
    disclosure = version.disclosure
    if disclosure.has_published():
        correction_note = correction_note.strip() or version.correction_note
        if not correction_note:
            return "本决算已公开，此次为更正，须填写更正说明（更正了什么、为什么）。"
        version.correction_note = correction_note
    if disclosure.versions.filter(status__in=[Status.SUBMITTED, Status.APPROVED]).exclude(pk=version.pk).exists():
        return "本决算已有一个版本在审核中，请等审核结束后再提交。"
    return None


def _submit(version: Version, actor: Actor) -> None:
    version.status = Status.SUBMITTED
    version.submitted_at, version.submitted_by = timezone.now(), actor.user
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:  # another version was submitted at the same moment
        raise TransitionRefused("本决算已有一个版本在审核中，请等审核结束后再提交。") from None
    disclosure = version.disclosure
    audit(actor, Action.SUBMIT, disclosure, version, version.correction_note and f"更正说明：{version.correction_note}")
    notify(_reviewers(disclosure), version, f"{version}已提交审核")


@transaction.atomic
def version_return(*, version: Version, actor: Actor, reason: str) -> Version:
    reason = reason.strip()
    if not reason:
        raise TransitionRefused("退回须写明理由。")
    version = _locked(version)
    _require(version, Status.SUBMITTED)
    version.status = Status.RETURNED
    version.reviewed_at, version.reviewed_by = timezone.now(), actor.user
    version.save()
    Comment.objects.create(version=version, author=actor.user, text=reason, is_return_reason=True)
    audit(actor, Action.RETURN, version.disclosure, version, reason)
    notify(_accountants(version.disclosure), version, f"{version}被退回：{reason[:100]}")
    return version


@transaction.atomic
def version_approve(*, version: Version, actor: Actor) -> Version:
    version = _locked(version)
    _require(version, Status.SUBMITTED)
    version.status = Status.APPROVED
    version.reviewed_at, version.reviewed_by = timezone.now(), actor.user
    version.save()
    audit(actor, Action.APPROVE, version.disclosure, version)
    notify(_accountants(version.disclosure), version, f"{version}已审核通过")
    return version


@transaction.atomic
def version_publish(*, version: Version, actor: Actor, at: datetime | None = None) -> Version:
    """Publish now, or set the time at which `publish_due` will publish it."""
    version = _locked(version)
    _require(version, Status.APPROVED)
    now = timezone.now()
    if at is not None and at > now:
        version.publish_at = at
        version.save(update_fields=["publish_at"])
        audit(actor, Action.SCHEDULE, version.disclosure, version, f"定于 {timezone.localtime(at):%Y-%m-%d %H:%M} 公开")
        return version
    return _publish(version, actor, now)


def _publish(version: Version, actor: Actor, now: datetime) -> Version:
    version.status = Status.PUBLISHED
    version.published_at, version.published_by = now, actor.user
    version.summary = {
        key: None if amount is None else str(amount) for key, amount in key_figures(version_dataset(version)).items()
    }
    version.narrative_sections = sections_to_data(draft_sections(version_snapshot(version)))  # frozen with the figures
    version.save()
    version_pdf_store(version)
    disclosure = version.disclosure
    disclosure.current_version = version
    disclosure.save(update_fields=["current_version"])
    version_quality_refresh(version=version)  # 及时性 counts to the first publication, now saved
    transaction.on_commit(lambda: caching.forget_current(disclosure.pk))
    audit(actor, Action.PUBLISH, version.disclosure, version, version.correction_note and f"更正说明：{version.correction_note}")
    notify(list(_accountants(version.disclosure)) + list(_reviewers(version.disclosure)), version, f"{version}已公开")
    return version


def publish_due(*, now: datetime | None = None) -> list[Version]:
    """Publish the approved versions whose scheduled time has come (run every minute)."""
    now = now or timezone.now()
    published = []
    for pk in Version.objects.filter(status=Status.APPROVED, publish_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            version = Version.objects.select_for_update().get(pk=pk)
            if version.status == Status.APPROVED and version.publish_at and version.publish_at <= now:
                published.append(_publish(version, Actor(None), now))
    return published


@transaction.atomic
def comment_add(*, version: Version, actor: Actor, text: str, table: str = "", row: str = "") -> Comment:
    text = text.strip()
    if not text:
        raise TransitionRefused("意见不能为空。")
    comment = Comment.objects.create(version=version, author=actor.user, text=text, table=table, row=row)
    where = f"（{table} {row}）" if table else ""
    audit(actor, Action.COMMENT, version.disclosure, version, f"{where}{text}")
    return comment


@transaction.atomic
def warning_explain(*, finding: Finding, actor: Actor, text: str) -> Finding:
    version = _locked(finding.version)
    _require(version, Status.DRAFT, Status.RETURNED)
    if finding.severity != Finding.Severity.WARNING:
        raise TransitionRefused("只有提示需要说明；错误须修改工作簿。")
    finding.explanation = text.strip()
    finding.save(update_fields=["explanation"])
    audit(actor, Action.EXPLAIN, version.disclosure, version, f"{finding.message} —— {finding.explanation}")
    return finding


@transaction.atomic
def approval_date_set(*, disclosure: Disclosure, actor: Actor, date) -> Disclosure:
    disclosure.approval_date = date
    disclosure.save(update_fields=["approval_date"])
    audit(actor, Action.DEADLINE, disclosure, None, f"批复日期 {date:%Y-%m-%d}")
    return disclosure
