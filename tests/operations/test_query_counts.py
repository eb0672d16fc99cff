"""The public pages and the API run as many queries with ten times the data
(bench/scale_bench.py measures the same at 2,000 departments × 5 years)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts_app.models import Department, Disclosure, FiscalYear, Region
from accounts_app.services.listing import listing_refresh
from accounts_app.services.synthetic import synthetic_generate

pytestmark = pytest.mark.django_db


def pages() -> list[str]:
    region = Region.objects.get(code="990001")
    year = FiscalYear.objects.get(year=2023)
    department = Department.objects.filter(region=region).order_by("pk").first()
    disclosure = Disclosure.objects.get(department=department, year=year)
    return [
        "/",
        "/?q=教育局",
        f"/?year={year.year}&region={region.code}",
        "/?page=2",
        "/compare/?region=990001&year=2023",
        f"/departments/{department.pk}/",
        f"/disclosures/{disclosure.pk}/",
        "/api/disclosures",
        "/api/disclosures?year=2023&region=990001",
        f"/api/versions/{disclosure.current_version_id}",
        "/api/figures?year=2023&region=990001&table=expense&code=208&code_prefix=true",
    ]


def query_counts(client) -> dict[str, int]:
    counts = {}
    for path in pages():
        cache.clear()  # every page rendered, none served from the cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        counts[path] = len(captured)
    return counts


def test_query_counts_do_not_grow_with_the_data(catalogs, client):
    synthetic_generate(departments=4, years=[2022, 2023], regions=2, pool_size=8)
    listing_refresh()  # what synthetic_generate will do at its end (services.listing)
    small = query_counts(client)
    synthetic_generate(departments=40, years=[2021, 2022, 2023], regions=4, code_prefix="98", seed=2, pool_size=8)
    listing_refresh()  # what synthetic_generate will do at its end (services.listing)
    assert query_counts(client) == small
