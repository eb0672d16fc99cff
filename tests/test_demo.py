"""`make run`'s demo data: the four seed disclosures published, the logins working."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts_app.models import Disclosure, Membership

pytestmark = pytest.mark.django_db


def test_load_demo_publishes_the_seeds_and_is_idempotent(client, settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "fengquan" in out and "demo-2026" in out
    published = Disclosure.objects.filter(current_version__status="published")
    assert published.count() == 4
    assert all(d.versions.count() == 1 for d in published)
    assert Membership.objects.filter(role="reviewer").count() == 4
    response = client.post("/accounts/login/", {"username": "qingshan", "password": "demo-2026"})
    assert response.status_code == 302 and response["Location"] == "/work/"
    assert client.get("/work/").status_code == 200
    assert "武汉市青山区医疗保障局" in client.get("/").content.decode()


def test_load_demo_refuses_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("load_demo")
