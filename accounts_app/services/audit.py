"""Who did what, and who hears about it: the audit log entry of every action, and the
notifications (in the portal, and by e-mail after commit) to the people concerned."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from ..models import AuditEntry, Disclosure, Membership, Notification, Version
from ..models.organisation import covering


@dataclass(frozen=True)
class Actor:
    user: object
    address: str | None = None


# An edit of a version's text part (概况, 补充数据, 情况说明, 其他章节, 绩效自评表), logged with a
# short summary of what changed. Not (yet) among AuditEntry.Action's choices: the log shows it
# by ACTION_LABELS, which every page of the log reads.
EDIT = "edit"
ACTION_LABELS = {**dict(AuditEntry.Action.choices), EDIT: "修改文字部分"}
SUMMARY_LIMIT = 300  # characters of an edit's summary; the rest is cut with “等”


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def summary_of(kind: str, items: list[str]) -> str:
    """「修改补充数据：机关运行经费支出 76.23；政府采购支出总额 12.00」, cut at SUMMARY_LIMIT."""
    text = f"{kind}：" + "；".join(items)
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1] + "等"


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


def covering_users(disclosure: Disclosure, role: str):
    """The active users of `role` whose organisation covers the disclosure."""
    return get_user_model().objects.filter(
        covering(disclosure.department, "membership"), is_active=True, membership__role=role
    )


def accountants_of(disclosure: Disclosure):
    return covering_users(disclosure, Membership.Role.ACCOUNTANT)


def reviewers_of(disclosure: Disclosure):
    return covering_users(disclosure, Membership.Role.REVIEWER)


def notify(recipients, version: Version, message: str) -> None:
    """In-app notifications, and e-mail to those with an address (sent after commit)."""
    recipients = list(recipients)
    Notification.objects.bulk_create(Notification(recipient=user, version=version, message=message) for user in recipients)
    addresses = [user.email for user in recipients if user.email]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(f"【部门决算公开】{message}", message, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
        )
