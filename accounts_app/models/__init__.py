from .catalog import EconomicSubject, FunctionSubject
from .disclosure import Disclosure, Version
from .figures import Figure, Finding, Line, VersionTable
from .organisation import Department, FiscalYear, Region, Unit

__all__ = [
    "Department",
    "Disclosure",
    "EconomicSubject",
    "Figure",
    "Finding",
    "FiscalYear",
    "Line",
    "Region",
    "Unit",
    "Version",
    "VersionTable",
]
