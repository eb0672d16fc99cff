"""Writing planned synthetic disclosures (services.synthetic) at the speed of the database.

On PostgreSQL every row goes in with COPY. A variant's tables, lines and figures are made COPY
text once (`VariantRows`), so a disclosure costs a few string joins, not model instances.
A batch reserves its ids from the sequences in one statement per table (`copy_place`: nextval
over generate_series, no lock), so that disclosures, versions, tables and lines are numbered
before they are sent and each child names its parent with no round trip.
The figures take their ids from their own identity column (nothing references a figure).
`CopyWriter` with several workers keeps as many database processes inserting at once.

Elsewhere (SQLite) the same rows go through bulk_create and `services.imports.store_figures`,
as an upload stores them.

Either way a version carries what publication freezes (services.publication): its key figures
and its 情况说明, which are functions of the figures, the year and last year's figures only, and
are made once per distinct (variant, year, last year's variant), not per disclosure."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.db.models import F
from psycopg.copy import QueuedLibpqWriter

from ..dataset import Dataset
from ..models import Department, Disclosure, Figure, FiscalYear, Line, Version, VersionTable, fit
from .imports import store_figures

SOURCE_NAME = "（合成数据，无上传工作簿）"
NULL = "\\N"
# the columns each COPY sends per row, besides the defaults (_Columns)
DISCLOSURE_COLUMNS = ("id", "department_id", "year_id", "kind", "approval_date", "created_at", "current_version_id")
VERSION_COLUMNS = (
    "id", "disclosure_id", "number", "status", "table_set", "created_at", "source_name", "source_sha256",
    "source_size", "submitted_at", "reviewed_at", "published_at", "summary", "narrative_sections", "figure_count",
)
LINE_COLUMNS = ("id", "table_id", "key", "label", "position", "sheet_row")
FIGURE_COLUMNS = ("line_id", "year", "column", "amount", "cell")
TABLE_COLUMNS = (
    "id", "version_id", "printed_entity", "table", "position", "sheet_name", "printed_title", "printed_label",
    "label", "order", "numbered", "form", "printed_unit", "note", "figure_count",
)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


@dataclass
class _Columns:
    """The columns a COPY into `model` sends: the ones given per row, then every other concrete
    field at its default (one constant text), so a field added to the model later needs no
    change here; a field with a database default is left to the database."""

    model: type[models.Model]
    given: tuple[str, ...]

    def __post_init__(self):
        rest = [
            f for f in self.model._meta.concrete_fields
            if f.column not in self.given and not f.primary_key and f.db_default is models.NOT_PROVIDED
        ]
        self.names = ", ".join(connection.ops.quote_name(c) for c in (*self.given, *(f.column for f in rest)))
        self.suffix = "".join("\t" + _default_text(f) for f in rest) + "\n"

    def copy(self, cursor, chunks: Iterable[str]) -> None:
        """COPY the rows, made chunk by chunk while a thread sends the previous ones (the
        formatting here and the inserting there overlap on two cores)."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        raw = cursor.cursor  # psycopg's own, under Django's wrapper
        with raw.copy(f"COPY {table} ({self.names}) FROM STDIN", writer=QueuedLibpqWriter(raw)) as copy:
            for chunk in chunks:
                copy.write(chunk)


def _default_text(field: models.Field) -> str:
    value = field.get_default()
    if isinstance(field, models.JSONField) or value is None:
        return _text(value)
    return _text(field.get_db_prep_save(value, connection))


@dataclass
class VariantRows:
    """A variant's rows as COPY text without their ids and parents: per table the columns after
    (id, version_id, printed_entity), per line its table's index and the columns after (id,
    table_id), per figure its line's index and the columns after (line_id, year). And per cell
    (table, row key, column) its figures (ListingCell's, counted in the same walk as the figures
    written, so the lists' counts need not be recounted from the rows: services.synthetic)."""

    tables: list[str]
    lines: list[tuple[int, str]]
    figures: list[tuple[int, str]]
    cells: Counter[tuple[str, str, str]]

    @classmethod
    def of(cls, dataset: Dataset) -> VariantRows:
        tables, lines, figures, cells = [], [], [], Counter()
        for order, table in enumerate(dataset.tables.values()):  # as store_figures stores them
            tables.append(
                "\t".join(
                    _text(v)
                    for v in (
                        table.spec.key, table.position, fit(VersionTable, "sheet_name", table.sheet),
                        fit(VersionTable, "printed_title", table.printed_title),
                        fit(VersionTable, "printed_label", table.printed_label),
                        fit(VersionTable, "label", dataset.label_of(table.spec.family)), order, table.numbered,
                        table.form.key if table.form else "", fit(VersionTable, "printed_unit", table.printed_unit),
                        table.note, table.figure_count,
                    )
                )
            )
            for position, line in enumerate(table.lines.values()):
                label = fit(Line, "label", line.label)
                lines.append((order, "\t".join(_text(v) for v in (line.key, label, position, line.sheet_row))))
                for column, amount in line.values.items():
                    figures.append((len(lines) - 1, "\t".join(_text(v) for v in (column, amount, line.cells.get(column, "")))))
                    cells[(table.spec.key, line.key, column)] += 1
        return cls(tables, lines, figures, cells)


@dataclass
class Planned:
    """One department-year to write: its variant and what publication would have frozen."""

    department: Department
    year: FiscalYear
    variant: object  # services.synthetic.Variant
    published_at: datetime
    narrative: list[dict]

    @property
    def figure_count(self) -> int:
        return self.variant.figures


def _reserve(cursor, model: type[models.Model], count: int) -> Sequence[int]:
    """`count` ids of `model` from its sequence, taken in one statement without a lock: one
    range, unless another writer took ids meanwhile (then the runs between theirs)."""
    cursor.execute(
        "SELECT min(id), max(id) FROM (SELECT id, id - row_number() OVER (ORDER BY id) AS run"
        " FROM (SELECT nextval(pg_get_serial_sequence(%s, 'id')) AS id FROM generate_series(1, %s)) taken) numbered"
        " GROUP BY run ORDER BY 1",
        [model._meta.db_table, count],
    )
    runs = [range(first, last + 1) for first, last in cursor.fetchall()]
    return runs[0] if len(runs) == 1 else [n for run in runs for n in run]


@dataclass
class _Placed:
    """A planned version with the ids reserved for it and its children."""

    planned: Planned
    rows: VariantRows
    disclosure: int
    version: int
    tables: Sequence[int]
    lines: Sequence[int]


def copy_place(planned: Sequence[Planned], rows_of) -> list[_Placed]:
    """The ids of a batch, reserved in one statement per table. `rows_of(variant)` gives a
    variant's VariantRows."""
    counts = [rows_of(p.variant) for p in planned]
    with connection.cursor() as cursor:
        disclosures = _reserve(cursor, Disclosure, len(planned))
        versions = _reserve(cursor, Version, len(planned))
        tables = _reserve(cursor, VersionTable, sum(len(rows.tables) for rows in counts))
        lines = _reserve(cursor, Line, sum(len(rows.lines) for rows in counts))
    placed, table, line = [], 0, 0
    for n, (p, rows) in enumerate(zip(planned, counts)):
        placed.append(
            _Placed(
                p, rows, disclosures[n], versions[n],
                tables[table : table + len(rows.tables)], lines[line : line + len(rows.lines)],
            )
        )
        table, line = table + len(rows.tables), line + len(rows.lines)
    return placed


class CopyWriter:
    """Writes planned batches with COPY, each in one transaction: the caller's, or with
    `workers` > 1 (`apart`) one per batch in as many threads, each on its own connection, so
    that as many database processes insert at once. `close` waits for the last batch and
    re-raises any failure."""

    def __init__(self, *, rows_of, workers: int = 1):
        self.rows_of, self.workers, self.apart = rows_of, workers, workers > 1
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="synthetic-copy") if self.apart else None
        self.pending: list[Future] = []
        self.json_texts: dict[int, str] = {}  # one text per distinct summary and 情况说明

    def write(self, planned: Sequence[Planned]) -> None:
        placed = copy_place(planned, self.rows_of)
        if self.pool is None:
            copy_store(placed, self.json_texts)
            return
        while len(self.pending) >= self.workers:  # at most one batch in memory per worker
            self.pending.pop(0).result()
        self.pending.append(self.pool.submit(self._in_thread, placed))

    def _in_thread(self, placed: list[_Placed]) -> None:
        try:
            with transaction.atomic():
                copy_store(placed, self.json_texts)
        finally:
            connection.close()  # this thread's own

    def close(self) -> None:
        try:
            for future in self.pending:
                future.result()
        finally:
            if self.pool is not None:
                self.pool.shutdown()


class OrmWriter:
    """The same with bulk inserts, in the caller's transaction (SQLite)."""

    apart = False

    def write(self, planned: Sequence[Planned]) -> None:
        orm_store(planned)

    def close(self) -> None:
        pass


def copy_store(placed: list[_Placed], json_texts: dict[int, str]) -> None:
    """One placed batch in the caller's transaction: disclosures, their published (current)
    versions, tables, lines and figures."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            # As pg_restore --disable-triggers: no foreign-key check per row (they took as long as
            # the COPYs). Every parent id is reserved by copy_place and written in this
            # transaction, or committed before (departments), so the keys hold by construction
            # (tests/operations/test_synthetic.py reads them back). Not for other roles: checked.
            cursor.execute("SET LOCAL session_replication_role = replica")

        def json_text(value) -> str:
            if id(value) not in json_texts:
                json_texts[id(value)] = _text(value)
            return json_texts[id(value)]

        def disclosures(end: str):
            for x in placed:
                p, submitted = x.planned, x.planned.published_at - timedelta(days=10)
                values = (
                    x.disclosure, p.department.pk, p.year.pk, Disclosure.Kind.DEPARTMENT,
                    (p.published_at - timedelta(days=12)).date(), submitted, x.version,
                )
                yield "\t".join(_text(v) for v in values) + end

        def versions(end: str):
            for x in placed:
                p, submitted = x.planned, x.planned.published_at - timedelta(days=10)
                values = (
                    x.version, x.disclosure, 1, Version.Status.PUBLISHED, p.department.region.table_set, submitted,
                    SOURCE_NAME, "", 0, submitted, p.published_at - timedelta(days=3), p.published_at,
                )
                texts = (json_text(p.variant.summary), json_text(p.narrative), str(p.figure_count))
                yield "\t".join((*(_text(v) for v in values), *texts)) + end

        def tables(end: str):
            for x in placed:
                entity = _text(fit(VersionTable, "printed_entity", x.planned.department.name))
                yield "".join(f"{x.tables[i]}\t{x.version}\t{entity}\t{text}{end}" for i, text in enumerate(x.rows.tables))

        def lines(end: str):
            for x in placed:
                yield "".join(f"{x.lines[i]}\t{x.tables[t]}\t{text}{end}" for i, (t, text) in enumerate(x.rows.lines))

        def figures(end: str):
            for x in sorted(placed, key=lambda x: x.planned.year.year):  # a partition at a time
                year = x.planned.year.year
                yield "".join(f"{x.lines[i]}\t{year}\t{text}{end}" for i, text in x.rows.figures)

        for model, given, rows in (
            (Disclosure, DISCLOSURE_COLUMNS, disclosures), (Version, VERSION_COLUMNS, versions),
            (VersionTable, TABLE_COLUMNS, tables), (Line, LINE_COLUMNS, lines), (Figure, FIGURE_COLUMNS, figures),
        ):
            columns = _Columns(model, given)
            columns.copy(cursor, rows(columns.suffix))


def orm_store(planned: Sequence[Planned]) -> None:
    """The same batch with bulk inserts (SQLite), the figures stored as an upload stores them."""
    disclosures = Disclosure.objects.bulk_create(
        Disclosure(
            department=p.department,
            year=p.year,
            kind=Disclosure.Kind.DEPARTMENT,
            approval_date=(p.published_at - timedelta(days=12)).date(),
        )
        for p in planned
    )
    versions = Version.objects.bulk_create(
        Version(
            disclosure=disclosure,
            number=1,
            status=Version.Status.PUBLISHED,
            table_set=p.department.region.table_set,
            source_name=SOURCE_NAME,
            source_sha256="",
            source_size=0,
            submitted_at=p.published_at - timedelta(days=10),
            reviewed_at=p.published_at - timedelta(days=3),
            published_at=p.published_at,
            summary=p.variant.summary,
            narrative_sections=p.narrative,
            figure_count=p.figure_count,
        )
        for p, disclosure in zip(planned, disclosures)
    )
    for disclosure, version in zip(disclosures, versions):
        disclosure.current_version, disclosure.created_at = version, version.submitted_at
    Disclosure.objects.bulk_update(disclosures, ["current_version", "created_at"], batch_size=500)
    Version.objects.filter(pk__in=[v.pk for v in versions]).update(created_at=F("submitted_at"))
    for p, version in zip(planned, versions):
        tables = {key: replace(t, printed_entity=p.department.name) for key, t in p.variant.dataset.tables.items()}
        store_figures(version, Dataset(year=p.year.year, tables=tables, labels=p.variant.dataset.labels))
