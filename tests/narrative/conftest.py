"""The narrative tests' draft: seed 000 uploaded by its 填报人."""

from __future__ import annotations

import pytest

from tests.narrative.test_writing import login, upload
from tests.workflow.conftest import make_user


@pytest.fixture
def draft(seed_disclosure):
    """Seed 000 uploaded by its 填报人 over HTTP: (their client, the version, the 填报人)."""
    disclosure = seed_disclosure("000")
    accountant = make_user("kuaiji", "accountant", department=disclosure.department)
    client = login(accountant)
    return client, upload(client, disclosure), accountant
