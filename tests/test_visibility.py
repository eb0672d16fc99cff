"""Who sees what, over HTTP, for each role: anonymous, 填报人 of A, 填报人 of B (A's region),
审核人 of that region, 审核人 of the other region, 管理员. Which versions and disclosures the
public pages, the workspace, the API and the admin changelists show them, and which buttons
the version page offers in each workflow state.

The world: region 1 holds departments A (published, discarded, draft) and B (returned,
submitted); region 2 holds C (published, approved, draft). Versions are named by their
disclosure and number: A1 is A's first version."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.contrib.admin import site
from django.contrib.auth.models import Permission
from django.utils.timezone import now

from accounts_app import access
from accounts_app.admin import Scoped
from accounts_app.models import AuditEntry, Department, Disclosure, Finding, Membership, Region, SheetMapping, Unit, Version
from accounts_app.services.organisations import RegionInfo, disclosure_ensure, region_ensure
from accounts_app.services.workflow import Actor, audit
from tests.workflow.conftest import make_user, make_version

pytestmark = pytest.mark.django_db
S = Version.Status

ROLES = ["anonymous", "accountant_a", "accountant_b", "reviewer_1", "reviewer_2", "admin"]
STATES = {"A": [S.PUBLISHED, S.DISCARDED, S.DRAFT], "B": [S.RETURNED, S.SUBMITTED], "C": [S.PUBLISHED, S.APPROVED, S.DRAFT]}
ALL = {f"{d}{n}" for d, states in STATES.items() for n in range(1, len(states) + 1)}
PUBLISHED = {"A1", "C1"}

# What each role reads: published versions, and their organisation's (审核人: from submission on).
VISIBLE = {
    "anonymous": PUBLISHED,
    "accountant_a": PUBLISHED | {"A2", "A3"},
    "accountant_b": PUBLISHED | {"B1", "B2"},
    "reviewer_1": PUBLISHED | {"B1", "B2"},
    "reviewer_2": PUBLISHED | {"C2"},
    "admin": ALL,
}
# What each role works on: the disclosures of their organisation.
WORKABLE = {
    "anonymous": set(),
    "accountant_a": {"A"},
    "accountant_b": {"B"},
    "reviewer_1": {"A", "B"},
    "reviewer_2": {"C"},
    "admin": {"A", "B", "C"},
}
# Whose audit log entries each role reads: 审核人 and 管理员 only.
AUDITED = {**{role: set() for role in ROLES}, "reviewer_1": {"A", "B"}, "reviewer_2": {"C"}, "admin": {"A", "B", "C"}}

# What each role finds of the organisations in the admin: departments (named by their
# disclosure) and their units, sheet mappings and roles; regions.
ORGANISATIONS = {
    "accountant_a": {"A"},
    "accountant_b": {"B"},
    "reviewer_1": {"A", "B"},
    "reviewer_2": {"C"},
    "admin": {"A", "B", "C"},
}
REGIONS = {"accountant_a": {"1"}, "accountant_b": {"1"}, "reviewer_1": {"1"}, "reviewer_2": {"2"}, "admin": {"1", "2"}}
# The roles (memberships, by user) each role finds: its departments' 填报人, its region's 审核人.
ROLES_LISTED = {
    "accountant_a": {"accountant_a"},
    "accountant_b": {"accountant_b"},
    "reviewer_1": {"accountant_a", "accountant_b", "reviewer_1"},
    "reviewer_2": {"reviewer_2"},
    "admin": {"accountant_a", "accountant_b", "reviewer_1", "reviewer_2"},
}

STAFF_PERMISSIONS = [
    "view_disclosure", "view_version", "view_auditentry",
    "view_region", "view_department", "view_unit", "view_membership", "view_sheetmapping",
]


@dataclass
class World:
    disclosures: dict[str, Disclosure]  # "A", "B", "C"
    versions: dict[str, Version]  # "A1" …
    entries: dict[str, AuditEntry]  # one audit entry per disclosure
    users: dict

    def names(self, pks, of: dict) -> set[str]:
        """The names (keys of `of`) of the objects with these primary keys."""
        by_pk = {obj.pk: name for name, obj in of.items()}
        return {by_pk[int(pk)] for pk in pks if int(pk) in by_pk}


@pytest.fixture
def world(catalogs) -> World:
    r1 = region_ensure(info=RegionInfo("410704", "新乡市凤泉区", "河南省", "新乡市凤泉区财政局", "standard"))
    r2 = region_ensure(info=RegionInfo("420107", "武汉市青山区", "湖北省", "武汉市青山区财政局", "numbered"))
    disclosures = {
        "A": disclosure_ensure(region=r1, entity="新乡市凤泉区医疗保障局", year=2023, kind="department"),
        "B": disclosure_ensure(region=r1, entity="新乡市凤泉区教育局", year=2023, kind="department"),
        "C": disclosure_ensure(region=r2, entity="武汉市青山区医疗保障局", year=2023, kind="department"),
    }
    versions = {
        f"{name}{n}": make_version(disclosures[name], status, published_at=now() if status == S.PUBLISHED else None)
        for name, states in STATES.items()
        for n, status in enumerate(states, start=1)
    }
    users = {
        "anonymous": None,
        "accountant_a": make_user("acc_a", "accountant", department=disclosures["A"].department),
        "accountant_b": make_user("acc_b", "accountant", department=disclosures["B"].department),
        "reviewer_1": make_user("rev_1", "reviewer", region=r1),
        "reviewer_2": make_user("rev_2", "reviewer", region=r2),
        "admin": make_user("boss", "admin"),
    }
    permissions = Permission.objects.filter(content_type__app_label="accounts_app", codename__in=STAFF_PERMISSIONS)
    for role in ("accountant_a", "accountant_b", "reviewer_1", "reviewer_2"):  # may open the admin's lists
        users[role].is_staff = True
        users[role].save()
        users[role].user_permissions.set(permissions)
    admin = Actor(users["admin"])
    entries = {name: audit(admin, AuditEntry.Action.COMMENT, d, detail=f"{name} 的记录") for name, d in disclosures.items()}
    return World(disclosures, versions, entries, users)


@pytest.fixture(params=ROLES)
def role(request, client, world) -> str:
    """Each role in turn, signed in (but anonymous)."""
    if request.param != "anonymous":
        client.force_login(world.users[request.param])
    return request.param


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _within(html: str, element_id: str) -> str:
    """The markup of the table with this id."""
    found = re.search(rf'id="{element_id}">(.*?)</table>', html, re.S)
    assert found, element_id
    return found.group(1)


def _linked(html: str, pattern: str) -> set[str]:
    return set(re.findall(pattern, html))


# -- the public site -------------------------------------------------------------------


def test_public_pages_show_the_published_versions_only(client, world, role):
    listed = _linked(_html(client.get("/")), r'href="/disclosures/(\d+)/"')
    assert world.names(listed, world.disclosures) == {"A", "C"}
    for name, version in world.versions.items():
        response = client.get(f"/disclosures/{version.disclosure_id}/versions/{version.number}/")
        assert response.status_code == (200 if name in PUBLISHED else 404), name
    assert client.get(f"/disclosures/{world.disclosures['B'].pk}/").status_code == 404
    assert client.get(f"/departments/{world.disclosures['B'].department_id}/").status_code == 404
    assert client.get(f"/departments/{world.disclosures['A'].department_id}/").status_code == 200


# -- the workspace ---------------------------------------------------------------------


def test_work_version_pages(client, world, role):
    """Seen (404 otherwise) and within the user's organisation (403 otherwise)."""
    for name, version in world.versions.items():
        response = client.get(f"/work/versions/{version.pk}/")
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
            continue
        expected = 404 if name not in VISIBLE[role] else 200 if name[0] in WORKABLE[role] else 403
        assert response.status_code == expected, name


def test_work_lists(client, world, role):
    """The dashboard's disclosures and queue, and each disclosure's versions (discarded ones counted, not listed)."""
    if role == "anonymous":
        assert client.get("/work/").status_code == 302
        return
    dashboard = _html(client.get("/work/"))
    listed = _linked(_within(dashboard, "disclosures"), r'href="/work/disclosures/(\d+)/"')
    assert world.names(listed, world.disclosures) == WORKABLE[role]
    if role.startswith("accountant"):
        assert 'id="queue"' not in dashboard
    else:
        queued = _linked(_within(dashboard, "queue"), r'href="/work/versions/(\d+)/"')
        under_review = {"B2", "C2"}  # submitted, approved
        assert world.names(queued, world.versions) == {v for v in under_review & VISIBLE[role] if v[0] in WORKABLE[role]}
    for name, disclosure in world.disclosures.items():
        response = client.get(f"/work/disclosures/{disclosure.pk}/")
        if name not in WORKABLE[role]:
            assert response.status_code == 404
            continue
        html = _html(response)
        listed = world.names(_linked(_within(html, "versions"), r'href="/work/versions/(\d+)/"'), world.versions)
        shown = {v for v in VISIBLE[role] if v[0] == name}
        assert listed == shown - {"A2"}  # A2 is discarded
        assert ('id="discarded-count"' in html) == (name == "A" and "A2" in shown)


# -- the API and the admin -------------------------------------------------------------


def test_api_shows_the_published_versions_only(client, world, role):
    body = client.get("/api/disclosures").json()
    assert world.names([item["id"] for item in body["items"]], world.disclosures) == {"A", "C"}
    for name, version in world.versions.items():
        assert client.get(f"/api/versions/{version.pk}").status_code == (200 if name in PUBLISHED else 404), name
    assert client.get(f"/api/disclosures/{world.disclosures['B'].pk}").status_code == 404


@pytest.mark.parametrize(
    "model, of, expected",
    [("disclosure", "disclosures", WORKABLE), ("version", "versions", VISIBLE), ("auditentry", "entries", AUDITED)],
)
def test_admin_changelists(client, world, role, model, of, expected):
    response = client.get(f"/admin/accounts_app/{model}/")
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        return
    listed = _linked(_html(response), rf'href="/admin/accounts_app/{model}/(\d+)/change/')
    assert world.names(listed, getattr(world, of)) == expected[role]


def _admin_list(client, model: str) -> set[int]:
    page = _html(client.get(f"/admin/accounts_app/{model}/"))
    return {int(pk) for pk in _linked(page, rf'href="/admin/accounts_app/{model}/(\d+)/change/')}


def _admin_opens(client, model: str, pk: int) -> bool:
    """Whether the admin shows the object's page (outside the scope it says 不存在 and sends back to its index)."""
    response = client.get(f"/admin/accounts_app/{model}/{pk}/change/")
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


@pytest.fixture
def organisations(world):
    """A unit and a sheet mapping of each department."""
    for name, disclosure in world.disclosures.items():
        Unit.objects.create(department=disclosure.department, name=f"{disclosure.department.name}{name}单位")
        SheetMapping.objects.create(department=disclosure.department, sheet_name=f"表{name}", table="income")
    return world


def test_admin_departments_units_and_sheet_mappings_are_the_roles_own(client, organisations, role):
    world = organisations
    departments = {name: d.department for name, d in world.disclosures.items()}
    if role == "anonymous":
        assert client.get("/admin/accounts_app/department/").status_code == 302
        return
    assert world.names(_admin_list(client, "department"), departments) == ORGANISATIONS[role]
    mappings = {name: SheetMapping.objects.get(department=d) for name, d in departments.items()}
    assert world.names(_admin_list(client, "sheetmapping"), mappings) == ORGANISATIONS[role]
    for name, department in departments.items():
        own = name in ORGANISATIONS[role]
        assert _admin_opens(client, "department", department.pk) == own, name
        if own:  # with its units
            page = _html(client.get(f"/admin/accounts_app/department/{department.pk}/change/"))
            assert f"{department.name}{name}单位" in page
        assert _admin_opens(client, "sheetmapping", mappings[name].pk) == own, name


def test_admin_regions_show_the_roles_departments_only(client, world, role):
    if role == "anonymous":
        assert client.get("/admin/accounts_app/region/").status_code == 302
        return
    regions = {"1": world.disclosures["A"].department.region, "2": world.disclosures["C"].department.region}
    assert world.names(_admin_list(client, "region"), regions) == REGIONS[role]
    for number, region in regions.items():
        assert _admin_opens(client, "region", region.pk) == (number in REGIONS[role]), number
        if number in REGIONS[role]:  # its departments inline: the role's own only
            page = _html(client.get(f"/admin/accounts_app/region/{region.pk}/change/"))
            shown = {name for name, d in world.disclosures.items() if d.department.name in page}
            assert shown == {name for name in ORGANISATIONS[role] if world.disclosures[name].department.region == region}


def test_admin_roles_are_those_of_the_roles_organisation(client, world, role):
    if role == "anonymous":
        assert client.get("/admin/accounts_app/membership/").status_code == 302
        return
    staff = {name: user for name, user in world.users.items() if name not in ("anonymous", "admin")}
    memberships = {name: Membership.objects.get(user=user) for name, user in staff.items()}
    assert world.names(_admin_list(client, "membership"), memberships) == ROLES_LISTED[role]


def test_admin_disclosure_page_lists_the_versions_the_role_reads(client, world, role):
    """The versions inline of A's page: 审核人 see no drafts there either."""
    if role == "anonymous":
        return
    disclosure = world.disclosures["A"]
    if "A" not in WORKABLE[role]:
        assert not _admin_opens(client, "disclosure", disclosure.pk)
        return
    page = _html(client.get(f"/admin/accounts_app/disclosure/{disclosure.pk}/change/"))
    listed = _linked(page, r'href="/admin/accounts_app/version/(\d+)/change/')
    assert world.names(listed, world.versions) == {name for name in VISIBLE[role] if name.startswith("A")}


def test_admin_filters_offer_the_roles_regions_only(client, world, role):
    """The 地区 filter of the disclosures names only regions of the disclosures listed (Django
    shows it with two or more: for one region, not at all)."""
    if role == "anonymous":
        return
    regions = {"1": world.disclosures["A"].department.region, "2": world.disclosures["C"].department.region}
    page = _html(client.get("/admin/accounts_app/disclosure/"))
    offered = {number for number, region in regions.items() if f"department__region__id__exact={region.pk}" in page}
    assert offered == ({"1", "2"} if role == "admin" else set())


ORGANISATION_MODELS = {Region, Department, Disclosure, Version}


def _of_an_organisation(model) -> bool:
    return model in ORGANISATION_MODELS or any(
        field.many_to_one and field.related_model in ORGANISATION_MODELS for field in model._meta.get_fields()
    )


def test_every_admin_of_an_organisations_rows_is_scoped():
    """A model admin added later for rows of an organisation gets the same scoping (or this fails)."""
    for model, model_admin in site._registry.items():
        if _of_an_organisation(model):
            assert access.is_scoped(model) and isinstance(model_admin, Scoped), model
        for inline in model_admin.inlines:
            assert not access.is_scoped(inline.model) or issubclass(inline, Scoped), inline


# -- buttons ---------------------------------------------------------------------------

PREPARING = {"remap", "discard", "submit", "explain", "write"}
# (role, state) -> the buttons on A's version page; absent: the page is not theirs to see (404).
BUTTONS = {
    **{("accountant_a", state): PREPARING for state in (S.DRAFT, S.RETURNED)},
    **{("accountant_a", state): set() for state in (S.SUBMITTED, S.APPROVED, S.PUBLISHING, S.PUBLISHED, S.DISCARDED)},
    ("reviewer_1", S.RETURNED): {"comment"},
    ("reviewer_1", S.SUBMITTED): {"approve", "return", "comment"},
    ("reviewer_1", S.APPROVED): {"publish", "comment"},
    ("reviewer_1", S.PUBLISHING): {"comment"},  # 重新生成 only once the files failed
    ("reviewer_1", S.PUBLISHED): {"comment"},
    **{("admin", state): PREPARING | {"comment"} for state in (S.DRAFT, S.RETURNED)},
    ("admin", S.SUBMITTED): {"approve", "return", "comment"},
    ("admin", S.APPROVED): {"publish", "comment"},
    ("admin", S.PUBLISHING): {"comment"},
    ("admin", S.PUBLISHED): {"comment"},
    ("admin", S.DISCARDED): {"comment"},
}
CASES = [(role, state) for role in ("accountant_a", "reviewer_1", "admin") for state in S.values]


def _buttons(client, version: Version, finding: Finding) -> set[str]:
    html = _html(client.get(f"/work/versions/{version.pk}/"))
    markers = {
        "remap": 'id="map-link"',
        "discard": 'id="discard-button"',
        "submit": 'id="submit-button"',
        "explain": f'action="/work/findings/{finding.pk}/explain/"',
        "approve": 'id="approve-button"',
        "return": 'id="return-button"',
        "publish": 'id="publish-button"',
        "regenerate": 'id="regenerate-button"',
        "comment": 'id="comment-form"',
    }
    shown = {button for button, marker in markers.items() if marker in html}
    if 'id="narrative-actions"' in _html(client.get(f"/work/versions/{version.pk}/narrative/")):
        shown.add("write")
    return shown


@pytest.mark.parametrize("role_name, state", CASES, ids=[f"{r}-{s}" for r, s in CASES])
def test_version_page_buttons(client, world, role_name, state):
    version = make_version(world.disclosures["A"], state, reading=[{"sheet": "Sheet1", "position": 0, "status": "ignored"}])
    finding = Finding.objects.create(version=version, severity=Finding.Severity.WARNING, code="check.rounding", message="尾差")
    client.force_login(world.users[role_name])
    if (role_name, state) not in BUTTONS:
        assert client.get(f"/work/versions/{version.pk}/").status_code == 404
        return
    assert _buttons(client, version, finding) == BUTTONS[role_name, state]


def test_a_correction_asks_for_its_note(client, world):
    """Submitting a version of a disclosure published before needs a 更正说明; a first publication does not."""
    client.force_login(world.users["admin"])
    assert 'id="correction_note"' in _html(client.get(f"/work/versions/{world.versions['A3'].pk}/"))
    assert 'id="correction_note"' not in _html(client.get(f"/work/versions/{world.versions['B1'].pk}/"))


@pytest.mark.parametrize(
    "role_name, expected",
    [("accountant_a", {"upload"}), ("reviewer_1", {"record_approval"}), ("admin", {"upload", "record_approval"})],
)
def test_disclosure_page_buttons(client, world, role_name, expected):
    disclosure = world.disclosures["A"]
    client.force_login(world.users[role_name])
    html = _html(client.get(f"/work/disclosures/{disclosure.pk}/"))
    markers = {
        "upload": f'action="/work/disclosures/{disclosure.pk}/upload/"',
        "record_approval": f'action="/work/disclosures/{disclosure.pk}/approval-date/"',
    }
    assert {button for button, marker in markers.items() if marker in html} == expected
    assert ("上传更正版本" in html) == ("upload" in expected)  # A was published: a new upload corrects it
