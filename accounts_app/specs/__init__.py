"""Declarative specs of the disclosure tables (公开01–10) and the regional table sets.

The importer, the checker, the renderers and the exporters all read these; a new
regional variant is a new spec or table set here, not a new code path elsewhere.
"""

from .base import TOTAL_ROW, Block, Column, Role, Row, RowKind, TableSet, TableSpec, Unit
from .registry import (
    DEFAULT_TABLE_SET,
    TABLE_SETS,
    family_specs,
    get_spec,
    get_table_set,
    ordered_keys,
    specs_for_year,
    template_specs,
)

__all__ = [
    "TOTAL_ROW",
    "Block",
    "Column",
    "Role",
    "Row",
    "RowKind",
    "TableSet",
    "TableSpec",
    "Unit",
    "DEFAULT_TABLE_SET",
    "TABLE_SETS",
    "family_specs",
    "get_spec",
    "get_table_set",
    "ordered_keys",
    "specs_for_year",
    "template_specs",
]
