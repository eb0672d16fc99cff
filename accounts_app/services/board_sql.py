"""SQL expressions of the public board (services.board): the status and days of a row computed
by the database from its dates, and names sorted by code point whatever the collation."""

from __future__ import annotations

import re

from django.db.models import Expression, Func, IntegerField

from .deadlines import LIMIT_DAYS


def _sql(template: str, **parts: tuple[str, tuple]) -> tuple[str, tuple]:
    """`template` with each {name} replaced by that part's SQL, the parameters in their order."""
    sql, params, last = [], [], 0
    for match in re.finditer(r"\{(\w+)\}", template):
        part_sql, part_params = parts[match[1]]
        sql += [template[last:match.start()], part_sql]
        params += part_params
        last = match.end()
    return "".join([*sql, template[last:]]), tuple(params)


def _days_after_deadline(connection, day: tuple[str, tuple], approval: tuple[str, tuple]) -> tuple[str, tuple]:
    """How many days `day` is after the deadline (LIMIT_DAYS after 批复), in SQL: PostgreSQL
    subtracts dates to an integer, SQLite subtracts their Julian day numbers."""
    if connection.vendor == "sqlite":
        return _sql(f"(CAST(julianday({{day}}) - julianday({{approval}}) AS INTEGER) - {LIMIT_DAYS})", day=day, approval=approval)
    return _sql(f"(({{day}} - {{approval}}) - {LIMIT_DAYS})", day=day, approval=approval)


class Timeliness(Expression):
    """A SQL `template` (services.board RANK_SQL, DAYS_SQL) over the day a row was first
    published (NULL: not yet), its 批复 date (NULL: not registered) and today, with {late} and
    {overdue} the days past the deadline (services.deadlines) on publication and today.
    Written as one SQL expression whose three parts are compiled once each: as a tree of
    Case/When the ORM would resolve and compile each part at every use, which cost more than
    the query itself."""

    output_field = IntegerField()

    def __init__(self, template: str, published, approval, today):
        super().__init__()
        self.template, self.sources = template, [published, approval, today]

    def get_source_expressions(self):
        return self.sources

    def set_source_expressions(self, expressions):
        self.sources = list(expressions)

    def as_sql(self, compiler, connection, **extra_context):
        published, approval, today = (compiler.compile(source) for source in self.sources)
        return _sql(
            self.template, published=published, approval=approval,
            late=_days_after_deadline(connection, published, approval), overdue=_days_after_deadline(connection, today, approval),
        )


class Codepoint(Func):
    """A name that sorts as Python sorts strings, by code point, whatever the database's
    collation (the board's 部门 and 公开主体 columns always sorted so): PostgreSQL's "C"
    collation (UTF-8 bytes), SQLite's default."""

    template = '(%(expressions)s) COLLATE "C"'

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])
