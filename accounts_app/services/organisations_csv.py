"""The import of a parsed CSV (importing.organisations_csv) into a region, for the admin's
导入部门和用户 page and `manage.py import_organisations` (docs/admin.md): each department,
unit and user is created, found already there (and left exactly as it is) or refused with
its reason; the rest is imported. Importing the same file again changes nothing. A dry
run is the preview. New users get the e-mail of services.organisations.user_invite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from ..importing.organisations_csv import CsvDepartment, CsvPerson, OrganisationsFile, lines_text
from ..models import Department, Membership, Region, Unit
from .organisations import MESSAGES, UNSENT, Person, Role, holder, user_create, user_invite

ROLE_OF_NAME = {label: value for value, label in Role.choices}

# What the import's report says beyond services.organisations.MESSAGES.
REASONS = {
    "department_code_differs": "部门已存在，编码为「{old}」，文件中为「{new}」：未修改（需要时请在部门页面修改）。",
    "department_missing": "所属部门「{name}」未建立。",
    "unit_main_differs": "部门已有本级单位「{name}」。",
    "unit_is_sub": "「{name}」已是本部门的下属单位，不是本级。",
    "unit_is_main": "「{name}」已是本部门的本级单位。",
    "person_differs": "已存在；姓名或电子邮箱与文件不同，未修改。",
}
CREATED, EXISTS, REFUSED = "created", "exists", "refused"
OUTCOME_LABELS = {CREATED: "新建", EXISTS: "已存在", REFUSED: "拒绝"}


@dataclass(frozen=True)
class ReportLine:
    kind: str  # 部门, 本级单位, 下属单位, 填报人, 审核人
    name: str
    outcome: str  # CREATED, EXISTS, REFUSED
    reason: str = ""
    lines: tuple[int, ...] = ()

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    @property
    def line_text(self) -> str:
        return lines_text(self.lines)


@dataclass
class ImportReport:
    region: Region
    dry_run: bool
    lines: list[ReportLine] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)  # the new users' usernames, e-mailed the link
    unsent: list[str] = field(default_factory=list)  # whose e-mail failed (known after commit)

    def of(self, outcome: str) -> list[ReportLine]:
        return [line for line in self.lines if line.outcome == outcome]

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: len(self.of(outcome)) for outcome in OUTCOME_LABELS}

    @property
    def summary(self) -> str:
        counts = self.counts
        text = f"新建 {counts[CREATED]} 项，已存在 {counts[EXISTS]} 项，拒绝 {counts[REFUSED]} 项"
        if self.invited:
            text += f"；{'将' if self.dry_run else '已'}向 {len(self.invited)} 位新用户发送设置密码的邮件"
            text += UNSENT.format(names="、".join(self.unsent)) if self.unsent else ""
        return text + "。"


def organisations_import(
    *,
    region: Region,
    file: OrganisationsFile,
    site_url: str,
    dry_run: bool = False,
    progress: Callable[[], None] | None = None,
) -> ImportReport:
    """Import a parsed file into `region`: create what is new, leave what exists as it is,
    refuse what conflicts, and say which for every item, in one transaction. A dry run does
    all of it and rolls back (no e-mail): the preview is what the import will do.
    `progress` is called after each department and each user."""
    report = ImportReport(region=region, dry_run=dry_run)
    tick = progress or (lambda: None)
    with transaction.atomic():
        Region.objects.select_for_update().get(pk=region.pk)  # one import into a region at a time
        departments: dict[str, Department | None] = {}
        for entry in file.departments:
            departments[entry.name] = _department_import(region, entry, report)
            tick()
        for entry in file.people:
            _person_import(region, entry, departments, report, site_url)
            tick()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _department_import(region: Region, entry: CsvDepartment, report: ImportReport) -> Department | None:
    """The department of `entry` (found or created) with its units; None if it could not be created."""
    add = lambda kind, name, outcome, reason="": report.lines.append(ReportLine(kind, name, outcome, reason, entry.lines))  # noqa: E731
    department = Department.objects.filter(region=region, name=entry.name).first()
    if department is not None:
        if entry.code and entry.code != department.code:
            reason = REASONS["department_code_differs"].format(old=department.code or "无", new=entry.code)
            add("部门", entry.name, REFUSED, reason)
        else:
            add("部门", entry.name, EXISTS)
    else:
        taken = Department.objects.filter(region=region, code=entry.code).first() if entry.code else None
        if taken is not None:
            reason = MESSAGES["department_code_taken"].format(code=entry.code, region=region.name, name=taken.name)
            add("部门", entry.name, REFUSED, reason)
            return None
        department = Department(region=region, name=entry.name, code=entry.code)
        department.full_clean()
        department.save()
        add("部门", entry.name, CREATED)
    units = {unit.name: unit for unit in department.units.all()}
    if entry.main_unit:
        unit = units.get(entry.main_unit)
        other_main = next((u for u in units.values() if u.is_main and u.name != entry.main_unit), None)
        if unit is not None and unit.is_main:
            add("本级单位", entry.main_unit, EXISTS)
        elif unit is not None:
            add("本级单位", entry.main_unit, REFUSED, REASONS["unit_is_sub"].format(name=unit.name))
        elif other_main is not None:
            add("本级单位", entry.main_unit, REFUSED, REASONS["unit_main_differs"].format(name=other_main.name))
        else:
            Unit.objects.create(department=department, name=entry.main_unit, is_main=True)
            add("本级单位", entry.main_unit, CREATED)
    for name in entry.sub_units:
        unit = units.get(name)
        if unit is None:
            Unit.objects.create(department=department, name=name, is_main=False)
            add("下属单位", name, CREATED)
        elif unit.is_main:
            add("下属单位", name, REFUSED, REASONS["unit_is_main"].format(name=name))
        else:
            add("下属单位", name, EXISTS)
    return department


def _person_import(region, entry: CsvPerson, departments: dict, report: ImportReport, site_url: str) -> None:
    role, person = ROLE_OF_NAME[entry.role], Person(entry.username, entry.name, entry.email)
    add = lambda outcome, reason="": report.lines.append(ReportLine(entry.role, person.username, outcome, reason, (entry.line,)))  # noqa: E731
    department = departments.get(entry.department) if role == Role.ACCOUNTANT else None
    if role == Role.ACCOUNTANT and department is None:
        add(REFUSED, REASONS["department_missing"].format(name=entry.department))
        return
    User = get_user_model()
    user = User.objects.filter(username__iexact=person.username).first()
    if user is not None:
        membership = Membership.objects.filter(user=user).first()
        same = membership is not None and membership.role == role and (
            membership.department_id == department.pk if department is not None else membership.region_id == region.pk
        )
        if not same:
            add(REFUSED, MESSAGES["username_taken"].format(username=person.username, holder=holder(user)))
        elif (user.first_name, user.email.lower()) != (person.name, person.email.lower()):
            add(EXISTS, REASONS["person_differs"])
        else:
            add(EXISTS)
        return
    taken = User.objects.filter(email__iexact=person.email).first()
    if taken is not None:
        add(REFUSED, MESSAGES["email_taken"].format(email=person.email, username=taken.username))
        return
    try:
        with transaction.atomic():
            user = user_create(person=person, role=role, department=department, region=None if department else region)
    except IntegrityError:
        add(REFUSED, MESSAGES["concurrent"])
        return
    user_invite(user=user, site_url=site_url, unsent=report.unsent)
    report.invited.append(user.username)
    add(CREATED)
