"""Creating the organisations a disclosure belongs to, and the people who work on it.

- `region_ensure`, `disclosure_ensure`: the demo loader's and the tests';
- `department_onboard`: the admin's 新增部门, a region (existing or new), a department,
  its units, its 填报人 and the region's 审核人, in one transaction, all or nothing, with
  every problem said in Chinese (OrganisationRefused, codes in MESSAGES); the CSV import
  of many is services.organisations_csv;
- `user_create`: a user without a password, with their role;
- `user_invite`: the e-mail with a one-time link to set a password (Django's
  password-reset token and confirm view, at the site's address), sent after commit."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..models import Department, Disclosure, FiscalYear, Membership, Region, Unit


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name: str
    province: str
    finance_bureau: str
    table_set: str


# The regions of the three seed disclosures, each with the table layout its documents use.
SEED_REGIONS = {
    "新乡市凤泉区": RegionInfo("410704", "新乡市凤泉区", "河南省", "新乡市凤泉区财政局", "standard"),
    "武汉市青山区": RegionInfo("420107", "武汉市青山区", "湖北省", "武汉市青山区财政局", "numbered"),
    "南昌市红谷滩区": RegionInfo("360113", "南昌市红谷滩区", "江西省", "南昌市红谷滩区财政局", "jiangxi"),
    "上海市普陀区": RegionInfo("310107", "上海市普陀区", "上海市", "上海市普陀区财政局", "national_2023"),
}


def region_ensure(*, info: RegionInfo) -> Region:
    region, _ = Region.objects.get_or_create(
        code=info.code,
        defaults={
            "name": info.name,
            "province": info.province,
            "finance_bureau": info.finance_bureau,
            "table_set": info.table_set,
        },
    )
    return region


@transaction.atomic
def disclosure_ensure(*, region: Region, entity: str, year: int, kind: str, department: str | None = None) -> Disclosure:
    """The disclosure of `entity` for `year`, creating its department (and unit) if needed.

    For a 单位决算 the unit belongs to `department` (default: a department of the same name,
    the unit being its 本级)."""
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=year)
    dept, _ = Department.objects.get_or_create(region=region, name=department or entity)
    unit = None
    if kind == Disclosure.Kind.UNIT:
        unit, _ = Unit.objects.get_or_create(department=dept, name=entity, defaults={"is_main": entity == dept.name})
    disclosure, _ = Disclosure.objects.get_or_create(department=dept, unit=unit, year=fiscal_year, kind=kind)
    return disclosure


# -- people: creating users, their roles and the invitation ------------------------------
#
# A new user has no password: the invitation e-mail carries a one-time link to set it
# (Django's password-reset token, valid PASSWORD_RESET_TIMEOUT; it stops working once the
# password is set or the user logs in). New users are not staff: 填报人 and 审核人 work
# in the workspace (/work/), not in the admin.

Role = Membership.Role

# Every refusal of the 新增部门 page (and the CSV import's about people), by stable code.
MESSAGES = {
    "region_code_invalid": "行政区划代码应为 6 位数字（乡镇、街道为 9 或 12 位）。",
    "region_code_taken": "行政区划代码 {code} 已存在（{name}）：请在「已有行政区划」中选择它。",
    "region_name_taken": "行政区划「{name}」已存在（代码 {code}）：请在「已有行政区划」中选择它。",
    "region_missing": "请填写此项（新建行政区划）。",
    "missing": "请填写此项。",
    "department_taken": "{region}已有名为「{name}」的部门。",
    "department_code_taken": "部门编码 {code} 已是{region}「{name}」的编码。",
    "unit_repeated": "单位「{name}」填写了不止一次。",
    "name_missing": "请填写姓名。",
    "username_missing": "请填写用户名。",
    "username_invalid": "用户名「{username}」只能由字母、数字、汉字和 @ . + - _ 组成，不含空格，最长 150 个字符。",
    "username_taken": "用户名「{username}」已被使用（{holder}）。",
    "username_repeated": "用户名「{username}」填写了不止一次。",
    "email_missing": "请填写电子邮箱：新用户凭邮件中的链接设置密码。",
    "email_invalid": "电子邮箱「{email}」格式不正确。",
    "email_taken": "电子邮箱 {email} 已是用户「{username}」的邮箱。",
    "email_repeated": "电子邮箱 {email} 填写了不止一次。",
    "reviewer_has_role": "「{username}」已是{holder}，一个用户只能有一个角色。",
    "reviewer_missing": "{region}还没有审核人：请选择已有用户，或填写新审核人的用户名、姓名和电子邮箱。",
    "accountant_missing": "请至少填写一名填报人。",
    "concurrent": "提交的同时有人建立了同名的部门或用户，请检查后重新提交。",
}

REGION_CODE = re.compile(r"\d{6}(?:\d{3}){0,2}")


@dataclass(frozen=True)
class Problem:
    """Why something is refused: a code of MESSAGES, what it concerns (`target`, e.g.
    "department.name", "accountants.1.email", "" for the whole), and the text's values."""

    code: str
    target: str = ""
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**dict(self.params))


def problem(code: str, target: str = "", /, **params) -> Problem:
    return Problem(code, target, tuple((k, str(v)) for k, v in params.items()))


class OrganisationRefused(Exception):
    """Nothing was created, for these reasons (all of them, not only the first)."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("；".join(p.message for p in self.problems))


@dataclass(frozen=True)
class Person:
    username: str
    name: str
    email: str


def holder(user) -> str:
    """What a user already is, for the texts that refuse to give them another role."""
    membership = Membership.objects.filter(user=user).select_related("department", "region").first()
    if membership is None:
        return "管理员" if user.is_superuser else "已有账号，尚无角色"
    if membership.role == Role.ACCOUNTANT:
        return f"{membership.department}的填报人"
    if membership.role == Role.REVIEWER:
        return f"{membership.region}的审核人"
    return "管理员"


def _valid_username(value: str) -> None:
    get_user_model().username_validator(value)
    if len(value) > 150:
        raise ValidationError("too long")


def _person_problems(person: Person, target: str, seen: dict[str, set[str]]) -> list[Problem]:
    """What stops `person` from being created as a new user: a field missing or malformed,
    the username or e-mail already taken or repeated (`seen`: across the same request)."""
    users = get_user_model().objects
    found = [problem(f"{name}_missing", f"{target}.{name}") for name in ("name", "username", "email") if not getattr(person, name)]
    checks = (
        ("username", _valid_username, lambda v: users.filter(username__iexact=v).first(), lambda u: {"holder": holder(u)}),
        ("email", validate_email, lambda v: users.filter(email__iexact=v).first(), lambda u: {"username": u.username}),
    )
    for name, validate, find, about in checks:
        value = getattr(person, name)
        if not value:
            continue
        try:
            validate(value)
        except ValidationError:
            found.append(problem(f"{name}_invalid", f"{target}.{name}", **{name: value}))
            continue
        if value.lower() in seen[name]:
            found.append(problem(f"{name}_repeated", f"{target}.{name}", **{name: value}))
        elif (taken := find(value)) is not None:
            found.append(problem(f"{name}_taken", f"{target}.{name}", **{name: value}, **about(taken)))
        seen[name].add(value.lower())
    return found


def user_create(*, person: Person, role: str, department: Department | None = None, region: Region | None = None):
    """A new active user without a password (the invitation sets it), with their role."""
    user = get_user_model()(username=person.username, first_name=person.name, email=person.email)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    membership = Membership(user=user, role=role, department=department, region=region)
    membership.full_clean()
    membership.save()
    return user


INVITATION_SUBJECT = "【部门决算公开】请设置您的登录密码"
INVITATION_TEXT = """{name}，您好：

管理员已在部门决算公开平台为您建立账号，您是{role}。

用户名：{username}

请在 {days} 天内打开下面的链接，设置您的登录密码（链接只能使用一次）：

{link}

设置密码后，请在 {login} 用用户名和新密码登录，进入工作台。

如果您不了解此事，请忽略本邮件，或与管理员联系。

部门决算公开平台
"""

UNSENT = "；{names} 的邮件未能发出，请检查邮件设置后在「角色」列表中选中他们，用“发送设置密码的邮件”重发"
logger = logging.getLogger(__name__)


def password_set_link(*, user, site_url: str) -> str:
    """The one-time address at which `user` sets a password (Django's reset token)."""
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    return site_url.rstrip("/") + reverse("password_set", kwargs={"uidb64": uid, "token": token})


def user_invite(*, user, site_url: str, unsent: list | None = None) -> None:
    """E-mail `user` the link to set their password, after the transaction commits (no
    e-mail for a user rolled back). `site_url` is the site's address, e.g.
    "https://juesuan.example.gov.cn". A failure is logged and the username added to `unsent`."""
    text = INVITATION_TEXT.format(
        name=user.first_name or user.username,
        role=holder(user),
        username=user.username,
        days=max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        link=password_set_link(user=user, site_url=site_url),
        login=site_url.rstrip("/") + reverse("login"),
    )
    address, username = user.email, user.username

    def send():
        try:
            send_mail(INVITATION_SUBJECT, text, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # the user exists: the admin sends it again from 角色 (an action)
            logger.exception("invitation to %s not sent", address)
            if unsent is not None:
                unsent.append(username)

    transaction.on_commit(send)


# -- 新增部门: a department with its region, units and people, at once ---------------------


@dataclass(frozen=True)
class DepartmentPlan:
    """What the 新增部门 page asks for. The region is an existing one or `new_region`;
    the 审核人 an existing user (the region's 审核人, or a user without a role) or
    `new_reviewer`, or neither when the region has one already."""

    name: str
    code: str = ""
    region: Region | None = None
    new_region: RegionInfo | None = None
    main_unit: str = ""
    sub_units: tuple[str, ...] = ()
    accountants: tuple[Person, ...] = ()
    reviewer: object | None = None
    new_reviewer: Person | None = None
    year: int | None = None  # a 部门决算 of that year, opened at once for the 填报人


@dataclass(frozen=True)
class Onboarded:
    region: Region
    department: Department
    units: list[Unit]
    accountants: list
    reviewer: object | None
    disclosure: Disclosure | None
    invited: list = field(default_factory=list)  # the new users, e-mailed the link
    unsent: list[str] = field(default_factory=list)  # whose e-mail failed (known after commit)

    @property
    def summary(self) -> str:
        parts = [
            f"已建立部门「{self.department}」（{self.region}）",
            f"单位 {len(self.units)} 个" if self.units else "",
            "填报人 " + "、".join(u.username for u in self.accountants),
            f"审核人 {self.reviewer.username}" if self.reviewer is not None else "",
            f"{self.disclosure.year}部门决算" if self.disclosure is not None else "",
        ]
        text = "，".join(filter(None, parts)) + "。"
        if self.invited:
            text += f"已向 {len(self.invited)} 位新用户（{'、'.join(u.username for u in self.invited)}）发送设置密码的邮件"
            text += (UNSENT.format(names="、".join(self.unsent)) if self.unsent else "") + "。"
        return text


def _plan_problems(plan: DepartmentPlan) -> list[Problem]:
    found: list[Problem] = []
    region = plan.region
    if not plan.name:
        found.append(problem("missing", "department.name"))
    if region is None:
        info = plan.new_region or RegionInfo("", "", "", "", "")
        for name in ("code", "name", "finance_bureau"):
            if not getattr(info, name):
                found.append(problem("region_missing", f"region.{name}"))
    if region is None and plan.new_region is not None and plan.new_region.code and plan.new_region.name:
        info = plan.new_region
        if not REGION_CODE.fullmatch(info.code):
            found.append(problem("region_code_invalid", "region.code"))
        elif (taken := Region.objects.filter(code=info.code).first()) is not None:
            found.append(problem("region_code_taken", "region.code", code=info.code, name=taken.name))
        if (taken := Region.objects.filter(name=info.name).first()) is not None:
            found.append(problem("region_name_taken", "region.name", name=info.name, code=taken.code))
    if region is not None:
        if Department.objects.filter(region=region, name=plan.name).exists():
            found.append(problem("department_taken", "department.name", region=region.name, name=plan.name))
        if plan.code and (taken := Department.objects.filter(region=region, code=plan.code).first()) is not None:
            found.append(problem("department_code_taken", "department.code", code=plan.code, region=region.name, name=taken.name))
    names = [n for n in (plan.main_unit, *plan.sub_units) if n]
    for name in sorted({n for n in names if names.count(n) > 1}):
        found.append(problem("unit_repeated", "units", name=name))
    seen: dict[str, set[str]] = {"username": set(), "email": set()}
    if not plan.accountants:
        found.append(problem("accountant_missing", "accountants"))
    for index, person in enumerate(plan.accountants):
        found += _person_problems(person, f"accountants.{index}", seen)
    if plan.reviewer is not None:
        membership = Membership.objects.filter(user=plan.reviewer).first()
        own = membership is not None and membership.role == Role.REVIEWER and region is not None and membership.region_id == region.pk
        if plan.reviewer.is_superuser or (membership is not None and not own):
            found.append(problem("reviewer_has_role", "reviewer", username=plan.reviewer.username, holder=holder(plan.reviewer)))
    elif plan.new_reviewer is not None:
        found += _person_problems(plan.new_reviewer, "new_reviewer", seen)
    elif region is None or not Membership.objects.filter(role=Role.REVIEWER, region=region).exists():
        name = region.name if region is not None else (plan.new_region.name if plan.new_region else "本地区")
        found.append(problem("reviewer_missing", "reviewer", region=name))
    return found


def department_onboard(*, plan: DepartmentPlan, site_url: str) -> Onboarded:
    """Create, in one transaction, the region (if new), the department, its units, its
    填报人 and the region's 审核人 (if new or not yet one), and the year's 部门决算 if a
    year is given; e-mail each new user the link to set their password (after commit).
    Raises OrganisationRefused with every problem found, having created nothing."""
    try:
        with transaction.atomic():
            if plan.region is not None:  # one change to a region's organisations at a time
                Region.objects.select_for_update().get(pk=plan.region.pk)
            problems = _plan_problems(plan)
            if problems:
                raise OrganisationRefused(problems)
            return _onboard(plan, site_url)
    except IntegrityError:  # someone created the same name meanwhile: say which
        problems = _plan_problems(plan)
        raise OrganisationRefused(problems or [problem("concurrent")]) from None


def _onboard(plan: DepartmentPlan, site_url: str) -> Onboarded:
    region = plan.region
    if region is None:
        region = Region(**asdict(plan.new_region))
        region.full_clean()
        region.save()
    department = Department(region=region, name=plan.name, code=plan.code)
    department.full_clean()
    department.save()
    units = []
    named = ([(plan.main_unit, True)] if plan.main_unit else []) + [(name, False) for name in plan.sub_units]
    for name, is_main in named:
        unit = Unit(department=department, name=name, is_main=is_main)
        unit.full_clean()
        unit.save()
        units.append(unit)
    accountants = [user_create(person=person, role=Role.ACCOUNTANT, department=department) for person in plan.accountants]
    invited = list(accountants)
    reviewer = plan.reviewer
    if reviewer is not None:
        Membership.objects.get_or_create(user=reviewer, defaults={"role": Role.REVIEWER, "region": region})
    elif plan.new_reviewer is not None:
        reviewer = user_create(person=plan.new_reviewer, role=Role.REVIEWER, region=region)
        invited.append(reviewer)
    disclosure = None
    if plan.year is not None:
        year, _ = FiscalYear.objects.get_or_create(year=plan.year)
        disclosure = Disclosure.objects.create(department=department, year=year, kind=Disclosure.Kind.DEPARTMENT)
    done = Onboarded(region, department, units, accountants, reviewer, disclosure, invited)
    for user in invited:
        user_invite(user=user, site_url=site_url, unsent=done.unsent)
    return done
