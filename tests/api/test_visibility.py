"""Published only, whoever asks: drafts, versions under review and approved-but-unpublished
versions never show — not to the public, nor to signed-in people who see them at work."""

from __future__ import annotations

import pytest

from accounts_app.api.endpoints import DISCLOSURE_NOT_FOUND, VERSION_NOT_FOUND

pytestmark = pytest.mark.django_db

USERS = [
    "anonymous",
    "accountant_of_draft",
    "accountant_of_submitted",
    "reviewer_of_region",
    "accountant_elsewhere",
    "admin",
]


@pytest.fixture(params=USERS)
def user(request, world):
    return world.users[request.param]


def test_lists_hold_published_disclosures_only(api, world, user):
    body = api("/api/disclosures", user=user).json()
    assert {item["id"] for item in body["items"]} == set(world.disclosures_by_id)
    assert {item["version_id"] for item in body["items"]} == {d.current_version_id for d in world.disclosures.values()}


def test_figures_and_csv_hold_current_published_versions_only(api, world, user):
    current = {d.current_version_id for d in world.disclosures.values()}
    items = api("/api/figures", user=user, year=2023, limit=1000).json()["items"]
    assert {i["version_id"] for i in items} == current - {world.disclosures["001"].current_version_id}
    csv_text = api("/api/years/2023/figures.csv", user=user).content.decode()
    assert len(csv_text.strip().splitlines()) == len(items) + 1


def test_hidden_versions_are_404(api, world, user):
    for version in world.hidden:
        for path in (f"/api/versions/{version.pk}", f"/api/versions/{version.pk}/tables/expense"):
            response = api(path, user=user)
            assert (response.status_code, response.json()) == (404, {"detail": VERSION_NOT_FOUND})
    for version in (world.submitted, world.approved):
        response = api(f"/api/disclosures/{version.disclosure_id}", user=user)
        assert (response.status_code, response.json()) == (404, {"detail": DISCLOSURE_NOT_FOUND})
    history = api(f"/api/disclosures/{world.draft.disclosure_id}", user=user).json()["versions"]
    assert world.draft.pk not in {v["id"] for v in history}


def test_signed_in_requests_also_take_fixed_queries(api, world):
    user = world.users["reviewer_of_region"]  # + session, user, membership; + its renewal (idle timeout)
    api("/api/disclosures", user=user, max_queries=8)
    api("/api/figures", user=user, max_queries=9)
    api("/api/years/2023/figures.csv", user=user, max_queries=7)


def test_the_api_is_read_only(client, world):
    for path in ("/api/disclosures", "/api/figures", f"/api/versions/{world.first.pk}"):
        assert client.post(path, {}).status_code == 405
        assert client.delete(path).status_code == 405
