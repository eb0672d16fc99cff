"""The published PDFs of the tests: the Shanghai seed as its department published it, and
the PDFs the portal publishes for the demo disclosures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from accounts_app.models import Department
from accounts_app.services.organisations import SEED_REGIONS, region_ensure
from tests.workflow.conftest import make_user

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SHANGHAI_PDF = SEEDS / "shanghai-putuo-shgzb-2024.pdf"
SHANGHAI_ENTITY = "中共上海市普陀区委社会工作部"
PUBLISHED_ON = date(2025, 9, 16)


@pytest.fixture
def putuo(catalogs):
    """上海市普陀区 with the department of the Shanghai seed registered (no disclosure yet)."""
    region = region_ensure(info=SEED_REGIONS["上海市普陀区"])
    Department.objects.get_or_create(region=region, name=SHANGHAI_ENTITY)
    return region


@pytest.fixture
def admin_user(db):
    return make_user("pdf-admin", "admin")


def stored_figures(dataset) -> dict[str, dict[tuple[str, str], Decimal | None]]:
    """{table: {(row key, column): amount}} of a dataset, every figure it holds."""
    return {
        key: {(line.key, column): amount for line in table.lines.values() for column, amount in line.values.items()}
        for key, table in dataset.tables.items()
    }
