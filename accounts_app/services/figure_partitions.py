"""The figure table's partitions by year on PostgreSQL (migration 0017): a year without its
own partition stores its figures in the DEFAULT partition, which always works; giving the
year its partition (`figure_partitions_ensure`, e.g. before a bulk load of that year) moves
them there. Nothing to do on other databases."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from ..models import Figure

TABLE = Figure._meta.db_table
DEFAULT_PARTITION = f"{TABLE}_default"


def partition_name(year: int) -> str:
    return f"{TABLE}_y{int(year)}"


def figure_partitions(*, using=connection) -> dict[str, str]:
    """{partition: its bound, as PostgreSQL prints it} ({} when the table is not partitioned)."""
    if using.vendor != "postgresql":
        return {}
    with using.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        return dict(cursor.fetchall())


def figure_partitions_ensure(*, years: Iterable[int]) -> list[str]:
    """Give each year its own partition, moving its figures out of the DEFAULT partition;
    returns the partitions made. Takes a lock on the figure table: for maintenance and bulk
    loads, not for a request."""
    existing = figure_partitions()
    if not existing:
        return []
    made = []
    for year in sorted({int(y) for y in years}):
        name = partition_name(year)
        if name in existing:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
            cursor.execute(f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE year = %s RETURNING *) INSERT INTO {name} SELECT * FROM moved", [year])
            cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES IN ({year})")
        made.append(name)
    return made
