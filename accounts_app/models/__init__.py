from .catalog import EconomicSubject, FunctionSubject
from .disclosure import Disclosure, ListingCell, ListingCount, SheetMapping, Version
from .figures import Figure, Finding, Line, VersionTable
from .files import VersionFile
from .fitting import fit
from .layout import TableLayout, TableLayoutEntry
from .narrative import (
    ExtraSection,
    Fact,
    GlossaryTerm,
    PerformanceEvaluation,
    PerformanceFund,
    PerformanceIndicator,
    Profile,
    WrittenText,
)
from .organisation import Department, FiscalYear, Region, Unit
from .workflow import AuditEntry, Comment, Membership, Notification

__all__ = [
    "fit",
    "VersionFile",
    "AuditEntry",
    "Comment",
    "Membership",
    "Notification",
    "Department",
    "ExtraSection",
    "Fact",
    "GlossaryTerm",
    "PerformanceEvaluation",
    "PerformanceFund",
    "PerformanceIndicator",
    "Profile",
    "WrittenText",
    "Disclosure",
    "ListingCell",
    "ListingCount",
    "EconomicSubject",
    "Figure",
    "FunctionSubject",
    "Finding",
    "FiscalYear",
    "Line",
    "Region",
    "SheetMapping",
    "TableLayout",
    "TableLayoutEntry",
    "Unit",
    "Version",
    "VersionTable",
]
