"""Figures carry their fiscal year, and on PostgreSQL the figure table is partitioned by it
(LIST on `year`): one partition per year present (in the figures or as a FiscalYear) and a
DEFAULT partition, so that a year nobody prepared still stores its figures with no
maintenance. A year's bulk CSV then reads one partition, and a year's vacuum or reload
leaves the others alone.

Django's model state is the same on every database (`Figure.year` NOT NULL, `id` the primary
key, figure_unique_cell on line, column and year, no index of line alone). On PostgreSQL the
table is rebuilt by `figures_partition` instead: the primary key there is (id, year), as a
partitioned table's keys must hold the partition key; `id` stays unique through its identity
sequence. Nothing references a figure by foreign key. Elsewhere (SQLite) the ordinary
operations run, the years filled in one UPDATE."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

TABLE = "accounts_app_figure"
OLD = "accounts_app_figure_unpartitioned"
# Index names from 0001_initial (Django derives them from table and column, so they are fixed)
LINE_INDEX = "accounts_app_figure_line_id_9efda5db"
PARTITION = TABLE + "_y{year}"
DEFAULT_PARTITION = TABLE + "_default"
YEAR_OF_FIGURE = """
    JOIN accounts_app_line l ON l.id = f.line_id
    JOIN accounts_app_versiontable t ON t.id = l.table_id
    JOIN accounts_app_version v ON v.id = t.version_id
    JOIN accounts_app_disclosure d ON d.id = v.disclosure_id
    JOIN accounts_app_fiscalyear y ON y.id = d.year_id
"""


class ExceptOnPostgreSQL(migrations.SeparateDatabaseAndState):
    """The operations' state everywhere, their schema changes everywhere but on PostgreSQL,
    where `figures_partition` makes the same table, partitioned."""

    def __init__(self, operations):
        super().__init__(database_operations=operations, state_operations=operations)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def years_fill(apps, schema_editor):
    Figure = apps.get_model("accounts_app", "Figure")
    Line = apps.get_model("accounts_app", "Line")
    year = Line.objects.filter(pk=OuterRef("line_id")).values("table__version__disclosure__year__year")[:1]
    Figure.objects.update(year=Subquery(year))


def _constraint_names(cursor, table: str, kind: str) -> list[str]:
    cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = %s", [table, kind])
    return [name for (name,) in cursor.fetchall()]


def _sequence_continue(cursor, old_sequence: str) -> None:
    """The new identity sequence goes on from the old one (no id is handed out twice), and
    takes its name once the old table, which owns the old one, is dropped."""
    cursor.execute(f"SELECT last_value, is_called FROM {old_sequence}")
    last, called = cursor.fetchone()
    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)", [TABLE, last, called])
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
    (new_sequence,) = cursor.fetchone()
    cursor.execute(f"DROP TABLE {OLD}")
    cursor.execute(f"ALTER SEQUENCE {new_sequence} RENAME TO {old_sequence.rsplit('.', 1)[-1]}")


def figures_partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        (old_sequence,) = cursor.fetchone()
        (foreign_key,) = _constraint_names(cursor, TABLE, "f")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING IDENTITY, year smallint NOT NULL)"
            " PARTITION BY LIST (year)"
        )
        cursor.execute(
            f"SELECT DISTINCT y.year FROM {OLD} f {YEAR_OF_FIGURE} UNION SELECT year FROM accounts_app_fiscalyear"
        )
        for (year,) in sorted(cursor.fetchall()):
            cursor.execute(f"CREATE TABLE {PARTITION.format(year=year)} PARTITION OF {TABLE} FOR VALUES IN ({int(year)})")
        cursor.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {TABLE} DEFAULT")
        cursor.execute(
            f'INSERT INTO {TABLE} (id, "column", amount, cell, line_id, year)'
            f' SELECT f.id, f."column", f.amount, f.cell, f.line_id, y.year FROM {OLD} f {YEAR_OF_FIGURE}'
        )
        _sequence_continue(cursor, old_sequence)  # drops the old table
        # keys and indexes after the rows: built once, not row by row; the old names are free now
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, year)")
        cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT figure_unique_cell UNIQUE (line_id, "column", year)')
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_year_check CHECK (year >= 0)")
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {foreign_key} FOREIGN KEY (line_id)"
            " REFERENCES accounts_app_line (id) DEFERRABLE INITIALLY DEFERRED"
        )
        cursor.execute(f"ANALYZE {TABLE}")


def figures_unpartition(apps, schema_editor):
    """Back to 0016's table: one heap, no year."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        (old_sequence,) = cursor.fetchone()
        (foreign_key,) = _constraint_names(cursor, TABLE, "f")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING IDENTITY)")
        cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN year")
        cursor.execute(f'INSERT INTO {TABLE} (id, "column", amount, cell, line_id) SELECT id, "column", amount, cell, line_id FROM {OLD}')
        _sequence_continue(cursor, old_sequence)  # drops the partitioned table and its partitions
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
        cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT figure_unique_cell UNIQUE (line_id, "column")')
        cursor.execute(f"CREATE INDEX {LINE_INDEX} ON {TABLE} (line_id)")
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {foreign_key} FOREIGN KEY (line_id)"
            " REFERENCES accounts_app_line (id) DEFERRABLE INITIALLY DEFERRED"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts_app", "0016_pdf_history"),
    ]

    operations = [
        ExceptOnPostgreSQL(
            [
                migrations.RemoveConstraint(model_name="figure", name="figure_unique_cell"),
                migrations.AddField(
                    model_name="figure",
                    name="year",
                    field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="年度"),
                ),
                migrations.RunPython(years_fill, migrations.RunPython.noop),
                migrations.AlterField(
                    model_name="figure",
                    name="year",
                    field=models.PositiveSmallIntegerField(
                        editable=False,
                        help_text="所属决算公开的年度，存储时写入（PostgreSQL 按年度分区存放数据）。",
                        verbose_name="年度",
                    ),
                ),
                migrations.AlterField(
                    model_name="figure",
                    name="line",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.CASCADE,
                        related_name="figures",
                        to="accounts_app.line",
                        verbose_name="行",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="figure",
                    constraint=models.UniqueConstraint(fields=("line", "column", "year"), name="figure_unique_cell"),
                ),
            ]
        ),
        migrations.RunPython(figures_partition, figures_unpartition),
        migrations.AlterField(
            model_name="line",
            name="table",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="lines",
                to="accounts_app.versiontable",
                verbose_name="表",
            ),
        ),
    ]
