"""Demo data for `make run`: the three seed regions and departments, demo users, and
the seed workbooks imported as first versions, with the narrative parts of
tests/fixtures/seeds/narrative_NNN.json (概况, extra facts, written text). Idempotent."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from ..models import Membership
from .catalogs import catalogs_load
from .completion import statements_complete
from . import narrative, workflow
from .organisations import SEED_REGIONS, disclosure_ensure, region_ensure

DEMO_PASSWORD = "demo-2026"
WORKBOOKS = Path(settings.BASE_DIR) / "tests" / "fixtures" / "workbooks"
SEEDS = Path(settings.BASE_DIR) / "tests" / "fixtures" / "seeds"


@dataclass(frozen=True)
class DemoDisclosure:
    workbook: str
    region: str
    entity: str
    year: int
    kind: str
    username: str
    reviewer: str


DEMO_DISCLOSURES = (
    DemoDisclosure("seed_000.xlsx", "新乡市凤泉区", "新乡市凤泉区医疗保障局", 2023, "department", "fengquan", "fengquan-czj"),
    DemoDisclosure("seed_001.xlsx", "武汉市青山区", "武汉市青山区医疗保障局", 2022, "department", "qingshan", "qingshan-czj"),
    DemoDisclosure("seed_002.xlsx", "南昌市红谷滩区", "南昌市红谷滩区医疗保障局", 2023, "unit", "honggutan", "honggutan-czj"),
    DemoDisclosure(
        "seed_shanghai_2024.xlsx", "上海市普陀区", "中共上海市普陀区委社会工作部", 2024, "department", "putuo", "putuo-czj"
    ),
)

# What the demo corrects in a seed document before taking it through review, because the
# checklist rejects it as published. Seed 000 states a 年初预算合计 of 2,230.80 万元 while its
# per-项 年初预算 add up to 480.62 (and it prints 「完成年初预算的 16.75%」 from the former): the
# demo leaves the 合计 unstated, so the draft takes the sum of the 项 the document gives.
DEMO_CORRECTIONS = {"seed_000.xlsx": {("initial_budget_total", ""): None}}

ACCOUNTANT_PERMISSIONS = (
    "view_disclosure",
    "add_disclosure",
    "view_version",
    "add_version",
    "view_department",
    "view_unit",
    "view_functionsubject",
    "view_economicsubject",
)


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str


def _accountants_group() -> Group:
    group, _ = Group.objects.get_or_create(name="填报人")
    group.permissions.set(Permission.objects.filter(content_type__app_label="accounts_app", codename__in=ACCOUNTANT_PERMISSIONS))
    return group


def _user(username: str, *, superuser: bool = False, **fields):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, is_staff=True, is_superuser=superuser, **fields)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def demo_load() -> list[DemoLogin]:
    catalogs_load()
    logins = [DemoLogin("admin", DEMO_PASSWORD, "管理员")]
    _user("admin", superuser=True, first_name="管理员")
    group = _accountants_group()
    for demo in DEMO_DISCLOSURES:
        region = region_ensure(info=SEED_REGIONS[demo.region])
        disclosure = disclosure_ensure(region=region, entity=demo.entity, year=demo.year, kind=demo.kind)
        accountant = _user(demo.username, first_name=f"{demo.entity}填报人")
        accountant.groups.add(group)
        Membership.objects.get_or_create(
            user=accountant, defaults={"role": Membership.Role.ACCOUNTANT, "department": disclosure.department}
        )
        reviewer = _user(demo.reviewer, first_name=f"{region.finance_bureau}审核人")
        Membership.objects.get_or_create(user=reviewer, defaults={"role": Membership.Role.REVIEWER, "region": region})
        logins.append(DemoLogin(demo.username, DEMO_PASSWORD, f"填报人（{demo.entity}）"))
        logins.append(DemoLogin(demo.reviewer, DEMO_PASSWORD, f"审核人（{region.finance_bureau}）"))
        if not disclosure.versions.exists():
            workflow.approval_date_set(disclosure=disclosure, actor=workflow.Actor(reviewer), date=timezone.localdate() - timedelta(days=10))
            _publish_seed(disclosure, WORKBOOKS / demo.workbook, accountant, reviewer)
    return logins


def _publish_seed(disclosure, path: Path, accountant, reviewer) -> None:
    """Import a seed workbook and take it through review to publication, as people would."""
    outcome = workflow.version_upload(
        disclosure=disclosure, data=path.read_bytes(), filename=path.name, actor=workflow.Actor(accountant)
    )
    if not outcome.accepted:
        raise RuntimeError(f"{path.name}: " + "；".join(str(p) for p in outcome.errors[:5]))
    version = outcome.version
    narrative_path = SEEDS / f"narrative_{path.stem.removeprefix('seed_')}.json"
    if narrative_path.exists():  # 概况, extra facts and the written parts of 情况说明
        narrative.narrative_apply(version=version, data=json.loads(narrative_path.read_text(encoding="utf-8")))
    if path.name in DEMO_CORRECTIONS:
        narrative.facts_save(version=version, values=DEMO_CORRECTIONS[path.name])
    statements_complete(version=version)  # what the seed document left unstated, marked as demo text
    for finding in version.findings.filter(severity="warning"):
        workflow.warning_explain(finding=finding, actor=workflow.Actor(accountant), text="金额换算为万元时四舍五入产生的尾差。")
    workflow.version_submit(version=version, actor=workflow.Actor(accountant))
    workflow.version_approve(version=version, actor=workflow.Actor(reviewer))
    workflow.version_publish(version=version, actor=workflow.Actor(reviewer))

