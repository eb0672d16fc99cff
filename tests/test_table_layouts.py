"""A region's table set is data: administrators edit its order, numbers and titles in the
admin, and the next upload and every page use them."""

from __future__ import annotations

import pytest

from accounts_app.models import TableLayout
from accounts_app.services.imports import workbook_import
from tests.conftest import seed_workbook

pytestmark = pytest.mark.django_db


def _entries_post(layout: TableLayout, changes: dict[str, dict]) -> dict:
    entries = list(layout.entries.order_by("position"))
    data = {
        "key": layout.key,
        "name": layout.name,
        "label_format": layout.label_format,
        "outline": layout.outline,
        **({"line_numbers": "on"} if layout.line_numbers else {}),
        "entries-TOTAL_FORMS": str(len(entries)),
        "entries-INITIAL_FORMS": str(len(entries)),
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
    }
    for n, entry in enumerate(entries):
        values = {"id": entry.pk, "layout": layout.pk, "position": entry.position, "family": entry.family, "form": entry.form,
                  "label": entry.label, "title": entry.title, **changes.get(entry.family, {})}
        data.update({f"entries-{n}-{field}": str(value) for field, value in values.items()})
    return data


def test_an_administrator_renumbers_a_table_and_the_next_upload_uses_it(client, admin_user, seed_disclosure):
    layout = TableLayout.objects.get(key="national_2023")
    client.force_login(admin_user)
    page = client.get(f"/admin/accounts_app/tablelayout/{layout.pk}/change/")
    assert page.status_code == 200 and "表{cn}" in page.content.decode()
    response = client.post(
        f"/admin/accounts_app/tablelayout/{layout.pk}/change/",
        _entries_post(layout, {"three_public": {"label": "公开07表", "title": "“三公”经费支出决算表"}}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    path = seed_workbook("shanghai_2024")
    outcome = workbook_import(disclosure=seed_disclosure("shanghai_2024"), data=path.read_bytes(), filename=path.name)
    reading = next(s for s in outcome.sheets if s.sheet == "表七")
    assert reading.label == "公开07表"
    assert next(s for s in outcome.sheets if s.sheet == "表八").label == "表八"


def test_a_table_dropped_from_the_set_is_no_longer_required(client, admin_user, seed_disclosure):
    layout = TableLayout.objects.get(key="national_2023")
    layout.entries.filter(family="soe_capital").delete()
    client.force_login(admin_user)
    assert client.post(f"/admin/accounts_app/tablelayout/{layout.pk}/change/", _entries_post(layout, {})).status_code == 302
    book_path = seed_workbook("shanghai_2024")
    import io

    import openpyxl

    book = openpyxl.load_workbook(book_path)
    book.remove(book["表九"])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = workbook_import(disclosure=seed_disclosure("shanghai_2024"), data=buffer.getvalue(), filename="x.xlsx")
    assert not [p for p in outcome.errors if p.code == "table.missing"]


def test_a_label_format_with_unknown_fields_is_refused(client, admin_user):
    layout = TableLayout.objects.get(key="standard")
    client.force_login(admin_user)
    data = _entries_post(layout, {})
    data["label_format"] = "公开{nummer}表"
    response = client.post(f"/admin/accounts_app/tablelayout/{layout.pk}/change/", data)
    assert response.status_code == 200
    assert "表号格式只能使用 {number} 或 {cn}" in response.content.decode()


def test_the_workspace_offers_the_blank_template_of_the_regions_set(client, seed_disclosure, django_user_model):
    from accounts_app.models import Membership

    disclosure = seed_disclosure("shanghai_2024")
    user = django_user_model.objects.create_user("putuo-acc", password="x")
    Membership.objects.create(user=user, role="accountant", department=disclosure.department)
    client.force_login(user)
    page = client.get(f"/work/disclosures/{disclosure.pk}/").content.decode()
    assert f"/work/disclosures/{disclosure.pk}/template.xlsx" in page
    response = client.get(f"/work/disclosures/{disclosure.pk}/template.xlsx")
    assert response.status_code == 200
    outcome = workbook_import(disclosure=disclosure, data=response.content, filename="blank.xlsx")
    assert outcome.errors == [], [str(p) for p in outcome.errors]
    assert [s.label for s in outcome.sheets] == [f"表{n}" for n in "一二三四五六七八九"]
    other = django_user_model.objects.create_user("reviewer", password="x")
    Membership.objects.create(user=other, role="reviewer", region=disclosure.department.region)
    client.force_login(other)
    assert client.get(f"/work/disclosures/{disclosure.pk}/template.xlsx").status_code == 403
