"""Who may see and do what: the one place where roles become querysets and answers.

- 管理员 (superuser or admin membership): everything;
- 填报人: their department's disclosures and units, every version of them;
- 审核人: every department of their region, every version except drafts;
- everyone, signed in or not: published versions.

Views, downloads, the admin and the API ask here; nothing else filters by role.
Workflow states (draft → submitted …) are checked by services.workflow, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.db.models import Q, QuerySet

from .models import AuditEntry, Department, Disclosure, Membership, Version

Role = Membership.Role
Status = Version.Status


class Action(str, Enum):
    VIEW = "view"
    UPLOAD = "upload"  # a new version (a correction when one is published)
    SUBMIT = "submit"
    EXPLAIN = "explain"  # explain a warning before submitting
    WRITE = "write"  # the text parts: 概况, 补充数据, 情况说明, 其他章节, 绩效自评表
    RETURN = "return"
    APPROVE = "approve"
    PUBLISH = "publish"
    COMMENT = "comment"
    RECORD_APPROVAL = "record_approval"  # the 批复 date that starts the 20-day limit
    VIEW_AUDIT = "view_audit"


PREPARE = {Action.UPLOAD, Action.SUBMIT, Action.EXPLAIN, Action.WRITE}
REVIEW = {Action.RETURN, Action.APPROVE, Action.PUBLISH, Action.COMMENT, Action.RECORD_APPROVAL, Action.VIEW_AUDIT}


@dataclass(frozen=True)
class Scope:
    role: str | None
    department_id: int | None = None
    region_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff_role(self) -> bool:
        return self.role is not None


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


def _organisation_filter(scope: Scope, prefix: str = "") -> Q | None:
    """Q over disclosures (prefixed for related models) the scope covers; None = all."""
    if scope.is_admin:
        return None
    if scope.role == Role.ACCOUNTANT:
        return Q(**{f"{prefix}department_id": scope.department_id})
    if scope.role == Role.REVIEWER:
        return Q(**{f"{prefix}department__region_id": scope.region_id})
    return Q(pk__in=[])


def disclosures(user) -> QuerySet[Disclosure]:
    """Disclosures the user works on (prepares or reviews)."""
    scope = scope_of(user)
    qs = Disclosure.objects.select_related("department__region", "unit", "year")
    condition = _organisation_filter(scope)
    return qs if condition is None else qs.filter(condition)


def departments(user) -> QuerySet[Department]:
    scope = scope_of(user)
    qs = Department.objects.select_related("region")
    if scope.is_admin:
        return qs
    if scope.role == Role.ACCOUNTANT:
        return qs.filter(pk=scope.department_id)
    if scope.role == Role.REVIEWER:
        return qs.filter(region_id=scope.region_id)
    return qs.none()


def versions(user) -> QuerySet[Version]:
    """Every version the user may read: published ones, and those of their work."""
    scope = scope_of(user)
    qs = Version.objects.select_related("disclosure__department__region", "disclosure__unit", "disclosure__year")
    if scope.is_admin:
        return qs
    visible = Q(status=Status.PUBLISHED)
    if scope.role == Role.ACCOUNTANT:
        visible |= Q(disclosure__department_id=scope.department_id)
    elif scope.role == Role.REVIEWER:
        visible |= Q(disclosure__department__region_id=scope.region_id) & ~Q(status__in=[Status.DRAFT, Status.DISCARDED])
    return qs.filter(visible)


def public_disclosures() -> QuerySet[Disclosure]:
    """Disclosures the public sees: those with a published current version."""
    return Disclosure.objects.filter(current_version__status=Status.PUBLISHED).select_related(
        "department__region", "unit", "year", "current_version"
    )


def audit_entries(user) -> QuerySet[AuditEntry]:
    scope = scope_of(user)
    qs = AuditEntry.objects.select_related("actor", "disclosure__department", "disclosure__unit", "disclosure__year", "version")
    if scope.is_admin:
        return qs
    if scope.role == Role.REVIEWER:
        return qs.filter(disclosure__department__region_id=scope.region_id)
    return qs.none()


def covers(user, disclosure: Disclosure) -> bool:
    """Is the disclosure within the user's organisation (department or region)?"""
    scope = scope_of(user)
    if scope.is_admin:
        return True
    if scope.role == Role.ACCOUNTANT:
        return disclosure.department_id == scope.department_id
    if scope.role == Role.REVIEWER:
        return disclosure.department.region_id == scope.region_id
    return False


def allowed(user, action: Action, disclosure: Disclosure) -> bool:
    """May the user take `action` on the disclosure (or one of its versions)?"""
    scope = scope_of(user)
    if action is Action.VIEW:
        return scope.is_staff_role and covers(user, disclosure)
    if not covers(user, disclosure):
        return False
    if scope.is_admin:
        return True
    if action in PREPARE:
        return scope.role == Role.ACCOUNTANT
    if action in REVIEW:
        return scope.role == Role.REVIEWER
    return False
