"""What an accountant does on a draft's 文字部分 over HTTP, for the narrative tests."""

from __future__ import annotations


def narrative_page(client, version) -> str:
    return client.get(f"/work/versions/{version.pk}/narrative/").content.decode()


def facts_post(client, version, **values) -> None:
    response = client.post(f"/work/versions/{version.pk}/narrative/facts/", values)
    assert response.status_code == 302, response.content.decode()[:3000]


def submit(client, version) -> str:
    return client.post(f"/work/versions/{version.pk}/submit/", follow=True).content.decode()
