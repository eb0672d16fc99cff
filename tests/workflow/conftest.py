"""A small world for the workflow tests: two regions, three departments, their people."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from accounts_app import caching
from accounts_app.exporting.template import disclosure_template
from accounts_app.models import Disclosure, Membership, Version
from accounts_app.services.publication import disclosure_current_refresh
from accounts_app.services.organisations import RegionInfo, disclosure_ensure, region_ensure
from tests.statements import state_the_rest

PASSWORD = "pw-12345"


@dataclass
class World:
    a: Disclosure  # department A, region 1
    b: Disclosure  # department B, region 1
    c: Disclosure  # department C, region 2
    users: dict


def make_user(username: str, role: str | None = None, **scope):
    user = get_user_model().objects.create_user(username, password=PASSWORD, email=f"{username}@example.gov.cn")
    if role == "admin":
        user.is_superuser = user.is_staff = True
        user.save()
    elif role:
        Membership.objects.create(user=user, role=role, **scope)
    return user


def make_version(disclosure: Disclosure, status: str, **fields) -> Version:
    number = (disclosure.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = Version.objects.create(
        disclosure=disclosure,
        number=number,
        status=status,
        table_set=disclosure.region.table_set,
        source_file=f"uploads/test/v{number}.xlsx",
        source_name=f"v{number}.xlsx",
        source_sha256="0" * 64,
        source_size=1,
        **fields,
    )
    if status in (Version.Status.DRAFT, Version.Status.RETURNED):
        state_the_rest(version)  # what these tests submit is complete in its text
    if status == Version.Status.PUBLISHED:  # what services.workflow does when publishing
        disclosure_current_refresh(disclosure=disclosure)
        caching.forget_current(disclosure.pk)
    return version


@pytest.fixture
def world(catalogs) -> World:
    r1 = region_ensure(info=RegionInfo("410704", "新乡市凤泉区", "河南省", "新乡市凤泉区财政局", "standard"))
    r2 = region_ensure(info=RegionInfo("420107", "武汉市青山区", "湖北省", "武汉市青山区财政局", "numbered"))
    a = disclosure_ensure(region=r1, entity="新乡市凤泉区医疗保障局", year=2023, kind="department")
    b = disclosure_ensure(region=r1, entity="新乡市凤泉区教育局", year=2023, kind="department")
    c = disclosure_ensure(region=r2, entity="武汉市青山区医疗保障局", year=2023, kind="department")
    users = {
        "accountant_a": make_user("acc_a", "accountant", department=a.department),
        "accountant_b": make_user("acc_b", "accountant", department=b.department),
        "accountant_c": make_user("acc_c", "accountant", department=c.department),
        "reviewer_1": make_user("rev_1", "reviewer", region=r1),
        "reviewer_2": make_user("rev_2", "reviewer", region=r2),
        "admin": make_user("boss", "admin"),
    }
    return World(a, b, c, users)


@pytest.fixture
def template_upload():
    """A workbook the importer accepts for a disclosure: its own blank template."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(disclosure: Disclosure) -> SimpleUploadedFile:
        return SimpleUploadedFile("upload.xlsx", disclosure_template(disclosure))

    return make


@dataclass
class Seed:
    """Seed 000 (新乡市凤泉区医疗保障局, 21 尾差 warnings and three 绩效自评表 warnings) with its people."""

    disclosure: Disclosure
    accountant: object
    reviewer: object

    def upload(self, data: bytes | None = None, filename: str = "seed_000.xlsx") -> Version:
        """The workbook (the corrected seed by default) uploaded by the accountant, as the next version."""
        from accounts_app.services import workflow
        from tests.conftest import corrected_seed_bytes

        data = corrected_seed_bytes("000") if data is None else data
        outcome = workflow.version_upload(
            disclosure=self.disclosure, data=data, filename=filename, actor=workflow.Actor(self.accountant)
        )
        assert outcome.accepted
        return outcome.version


@pytest.fixture
def seed000(seed_disclosure) -> Seed:
    disclosure = seed_disclosure("000")
    return Seed(
        disclosure,
        make_user("kuaiji", "accountant", department=disclosure.department),
        make_user("shenhe", "reviewer", region=disclosure.department.region),
    )
