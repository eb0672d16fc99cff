"""Publishing in a real browser with the database queue: the reviewer's click answers at once
with 生成中 and the files' progress; when the worker (`db_worker`) has stored them, the page,
refreshing itself, says 已公开, and the public page offers the stored PDF."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts_app.models import Membership, Version
from tests.browser.conftest import PASSWORD, login
from tests.workflow.test_publication import _approved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_pdf_appears_when_the_worker_has_stored_it(browser, live_server, seed_disclosure, django_user_model, screenshot):
    disclosure = seed_disclosure("000")
    accountant = django_user_model.objects.create_user("kuaiji", password=PASSWORD)
    Membership.objects.create(user=accountant, role="accountant", department=disclosure.department)
    reviewer = django_user_model.objects.create_user("shenhe", password=PASSWORD)
    Membership.objects.create(user=reviewer, role="reviewer", region=disclosure.region)
    version = _approved(disclosure, accountant, reviewer)

    page = login(browser, live_server, "shenhe")
    page.goto(f"{live_server.url}/work/versions/{version.pk}/")
    page.click("#publish-button")
    page.wait_for_selector("#files-panel")
    assert page.inner_text("#version-status") == "公开中（生成文件）"
    assert page.get_attribute("#files-progress", "value") == "0"
    screenshot(page, "publish-1-generating")
    assert page.request.get(f"{live_server.url}/disclosures/{disclosure.pk}/").status == 404

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    page.locator("#version-status", has_text="已公开").wait_for(timeout=15000)  # the page refreshes itself
    assert page.locator("#files-panel").count() == 0
    screenshot(page, "publish-2-published")
    assert Version.objects.get(pk=version.pk).status == Version.Status.PUBLISHED

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/disclosures/{disclosure.pk}/")
    pdf = public.locator(f"a[href='/disclosures/{disclosure.pk}/versions/1/disclosure.pdf']").first
    assert pdf.count() == 1
    response = public.request.get(f"{live_server.url}/disclosures/{disclosure.pk}/versions/1/disclosure.pdf")
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
