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
`within` applies them (and the same rule to units, regions, memberships and sheet
mappings, which have no method of their own) to any queryset of those models: the admin's
lists, pages and choices go through it. `allowed` asks their organisation rule
(models.organisation) of one disclosure. Workflow
states are enforced by services.workflow; here they only decide which buttons show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from django.db.models import Q, QuerySet

from .models import AuditEntry, Department, Disclosure, Membership, Region, SheetMapping, Unit, Version
from .models.organisation import covered, covers

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
    REGENERATE = "regenerate"  # start generating a version's public files again after they failed
    COMMENT = "comment"
    RECORD_APPROVAL = "record_approval"  # the 批复 date that starts the 20-day limit
    VIEW_AUDIT = "view_audit"


PREPARE = {Action.UPLOAD, Action.SUBMIT, Action.EXPLAIN, Action.WRITE, Action.REMAP, Action.DISCARD}
REVIEW = {
    Action.RETURN, Action.APPROVE, Action.PUBLISH, Action.REGENERATE, Action.COMMENT, Action.RECORD_APPROVAL, Action.VIEW_AUDIT,
}

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
    Action.REGENERATE: (Status.PUBLISHING,),
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


# -- the rows of each model a scope reads ---------------------------------------------


def _departments_of(rows: QuerySet, scope: Scope, department: str) -> QuerySet:
    """Rows whose department (at the lookup path `department`) the scope covers."""
    condition = covered(scope, department)
    return rows if condition is None else rows.filter(condition)


def _regions(rows: QuerySet[Region], scope: Scope) -> QuerySet[Region]:
    """The scope's region (审核人), its department's (填报人), all (管理员)."""
    if scope.is_admin:
        return rows
    own = Q(pk__in=Department.objects.workable_by(scope).values("region_id"))
    return rows.filter(own | Q(pk=scope.region_id) if scope.region_id is not None else own)


def _memberships(rows: QuerySet[Membership], scope: Scope) -> QuerySet[Membership]:
    """The roles within the scope: its departments' 填报人, and its region's 审核人."""
    condition = covered(scope, "department")
    if condition is None:
        return rows
    return rows.filter(condition | Q(region_id=scope.region_id) if scope.region_id is not None else condition)


WITHIN: dict[type, Callable[[QuerySet, Scope], QuerySet]] = {
    Region: _regions,
    Department: lambda rows, scope: rows.workable_by(scope),
    Unit: lambda rows, scope: _departments_of(rows, scope, "department"),
    SheetMapping: lambda rows, scope: _departments_of(rows, scope, "department"),
    Disclosure: lambda rows, scope: rows.workable_by(scope),
    Version: lambda rows, scope: rows.visible_to(scope),
    AuditEntry: lambda rows, scope: rows.visible_to(scope),
    Membership: _memberships,
}


def is_scoped(model: type) -> bool:
    """Whether rows of `model` belong to an organisation (and `within` cuts them)."""
    return model in WITHIN


def within(rows: QuerySet, scope: Scope) -> QuerySet:
    """`rows` (of a model in WITHIN) cut to what the scope reads: its department's or
    region's, with what its role sees of them (审核人 no drafts, …); all for 管理员."""
    return WITHIN[rows.model](rows, scope)
