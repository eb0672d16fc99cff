"""Who may see and do what: the one place where users become roles (scope_of), where
roles get their rights (allowed) and where rights and workflow state make the buttons a
user sees (actions_available).

- 管理员 (superuser or admin membership): everything;
- 填报人: their department's disclosures and units, every version of them;
- 审核人: every department of their region, every version except drafts;
- everyone, signed in or not: published versions.

The rows a scope reads or works on are the models' queryset methods, which take the scope
(the models sit below this module): `Version.objects.visible_to(scope)`,
`Disclosure.objects.workable_by(scope)`, `Department.objects.workable_by(scope)`,
`AuditEntry.objects.visible_to(scope)`, and `published()` for what the public sees;
`allowed` asks their organisation rule (models.organisation) of one disclosure. Workflow
states are enforced by services.workflow; here they only decide which buttons show.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .models import Disclosure, Membership, Version
from .models.organisation import covers

Role = Membership.Role
Status = Version.Status


class Action(str, Enum):
    VIEW = "view"
    UPLOAD = "upload"  # a new version (a correction when one is published)
    SUBMIT = "submit"
    EXPLAIN = "explain"  # explain a warning before submitting
    WRITE = "write"  # the text parts: 概况, 补充数据, 情况说明, 其他章节, 绩效自评表
    REMAP = "remap"  # say what a sheet is, and read the workbook again
    DISCARD = "discard"  # an unsubmitted draft
    RETURN = "return"
    APPROVE = "approve"
    PUBLISH = "publish"
    COMMENT = "comment"
    RECORD_APPROVAL = "record_approval"  # the 批复 date that starts the 20-day limit
    VIEW_AUDIT = "view_audit"


PREPARE = {Action.UPLOAD, Action.SUBMIT, Action.EXPLAIN, Action.WRITE, Action.REMAP, Action.DISCARD}
REVIEW = {Action.RETURN, Action.APPROVE, Action.PUBLISH, Action.COMMENT, Action.RECORD_APPROVAL, Action.VIEW_AUDIT}

PREPARING = (Status.DRAFT, Status.RETURNED)
# The states in which a version shows an action's button; an action not named here shows
# whatever the state (or concerns the disclosure, not one version).
STATES = {
    Action.SUBMIT: PREPARING,
    Action.EXPLAIN: PREPARING,
    Action.WRITE: PREPARING,
    Action.REMAP: PREPARING,
    Action.DISCARD: PREPARING,
    Action.RETURN: (Status.SUBMITTED,),
    Action.APPROVE: (Status.SUBMITTED,),
    Action.PUBLISH: (Status.APPROVED,),
}


@dataclass(frozen=True)
class Scope:
    """A user's role and organisation: a department for 填报人, a region for 审核人,
    neither for 管理员 (as Membership requires). What the queryset methods filter by."""

    role: str | None
    department_id: int | None = None
    region_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff_role(self) -> bool:
        return self.role is not None

    @property
    def sees_drafts(self) -> bool:
        """审核人 see a version of their region once submitted: drafts are the department's own."""
        return self.role != Role.REVIEWER

    @property
    def reads_audit_log(self) -> bool:
        return self.may(Action.VIEW_AUDIT)

    def may(self, action: Action) -> bool:
        """The role's part of `allowed`: may it take the action within its organisation?"""
        if action is Action.VIEW:
            return self.is_staff_role
        if self.is_admin:
            return True
        if action in PREPARE:
            return self.role == Role.ACCOUNTANT
        if action in REVIEW:
            return self.role == Role.REVIEWER
        return False


def scope_of(user) -> Scope:
    """The user's role and organisation, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(None)
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(Role.ADMIN)
    else:
        membership = Membership.objects.filter(user=user).first()
        scope = (
            Scope(membership.role, membership.department_id, membership.region_id) if membership else Scope(None)
        )
    user._portal_scope = scope
    return scope


def allowed(user, action: Action, disclosure: Disclosure) -> bool:
    """May the user take `action` on the disclosure (or one of its versions)?"""
    scope = scope_of(user)
    return scope.may(action) and covers(scope, disclosure.department)


def actions_available(*, user, version: Version | None = None, disclosure: Disclosure | None = None) -> set[Action]:
    """What the user's buttons offer on a version: the actions their role allows on its
    disclosure (`allowed`) that the version's state admits (STATES). Given a disclosure
    instead, the actions on the disclosure itself (upload, record the 批复 date …)."""
    status = version.status if version is not None else None
    disclosure = version.disclosure if version is not None else disclosure
    return {
        action
        for action in Action
        if (action not in STATES or status in STATES[action]) and allowed(user, action, disclosure)
    }
