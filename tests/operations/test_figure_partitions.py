"""The figure table partitioned by year on PostgreSQL (migration 0017, services.figure_partitions):
each year's figures in their own partition, a year without one in the DEFAULT partition, and a
year's bulk CSV reading that year's partition only. Partitioning is PostgreSQL's alone: on
SQLite these tests are skipped (CI runs PostgreSQL); the year itself is checked everywhere by
tests/operations/test_synthetic.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL

from accounts_app.api.queries import figure_rows
from accounts_app.models import Figure
from accounts_app.selectors import version_dataset
from accounts_app.services.figure_partitions import (
    DEFAULT_PARTITION,
    TABLE,
    figure_partitions,
    figure_partitions_ensure,
    partition_name,
)
from accounts_app.services.synthetic import synthetic_generate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="按年度分区仅在 PostgreSQL 上实现"),
]


def _holding(**figures) -> set[str]:
    """The partitions that hold the figures matching the filter."""
    rows = Figure.objects.filter(**figures).annotate(partition=RawSQL(f'"{TABLE}".tableoid::regclass::text', []))
    return set(rows.values_list("partition", flat=True))


@pytest.fixture
def two_years(catalogs):
    return synthetic_generate(departments=3, years=[2022, 2023], regions=3, pool_size=4)


def test_the_figure_table_is_partitioned_by_year(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.partstrat, a.attname FROM pg_partitioned_table p"
            " JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]"
            " WHERE p.partrelid = %s::regclass",
            [TABLE],
        )
        assert cursor.fetchall() == [("l", "year")]
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
            [TABLE],
        )
        assert sorted(cursor.fetchall()) == [("PRIMARY KEY (id, year)",), ('UNIQUE (line_id, "column", year)',)]
    assert figure_partitions()[DEFAULT_PARTITION] == "DEFAULT"


def test_a_years_figures_live_in_that_years_partition(two_years):
    partitions = figure_partitions()
    assert partitions[partition_name(2022)] == "FOR VALUES IN ('2022')"
    for year in (2022, 2023):
        assert _holding(line__table__version__disclosure__year__year=year) == {partition_name(year)}
    assert Figure.objects.count() == two_years.figures


def test_an_upload_of_a_year_without_its_partition_is_stored_and_moved_later(publish_seed):
    version = publish_seed("000")  # 2023
    expected = version_dataset(version)
    where = _holding(line__table__version=version)
    assert where in ({DEFAULT_PARTITION}, {partition_name(2023)})  # the DEFAULT one when 2023 has none
    figure_partitions_ensure(years=[2023])
    assert _holding(line__table__version=version) == {partition_name(2023)}
    assert figure_partitions_ensure(years=[2023]) == []  # once
    assert version_dataset(version) == expected


def test_the_years_bulk_csv_reads_one_partition(two_years, client):
    plan = figure_rows(year=2023).explain()
    assert partition_name(2023) in plan
    assert partition_name(2022) not in plan and DEFAULT_PARTITION not in plan
    response = client.get("/api/years/2023/figures.csv")
    assert response.status_code == 200
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) - 1 == Figure.objects.filter(year=2023).count()
    assert {row.split(",", 1)[0] for row in rows[1:]} == {"2023"}
