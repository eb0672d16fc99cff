from .catalog import EconomicSubject, FunctionSubject
from .disclosure import Disclosure, Version
from .figures import Figure, Finding, Line, VersionTable
from .organisation import Department, FiscalYear, Region, Unit
from .workflow import AuditEntry, Comment, Membership, Notification

__all__ = [
    "AuditEntry",
    "Comment",
    "Membership",
    "Notification",
    "Department",
    "Disclosure",
    "EconomicSubject",
    "Figure",
    "FunctionSubject",
    "Finding",
    "FiscalYear",
    "Line",
    "Region",
    "Unit",
    "Version",
    "VersionTable",
]
