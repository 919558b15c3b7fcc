"""Models of QA inspections (RULES.md section Q), one module per stage."""

from .callbacks import CallbackItem, CallbackKind, CallbackOutcome, CallbackSample, InspectionSettings
from .catalogue import ServiceKind, ServiceOffering
from .checks import Check, CheckFigure, CheckState, ItemResult, Outcome, PromiseCheck
from .findings import Finding, FindingPhoto
from .repairs import RepairMonth, RepairRecord, RepairVisit
from .standards import CheckStandard, Item, PeriodKind, Section, StandardVersion

__all__ = [
    "CallbackItem",
    "CallbackKind",
    "CallbackOutcome",
    "CallbackSample",
    "Check",
    "CheckFigure",
    "CheckStandard",
    "CheckState",
    "Finding",
    "FindingPhoto",
    "InspectionSettings",
    "Item",
    "ItemResult",
    "Outcome",
    "PeriodKind",
    "PromiseCheck",
    "RepairMonth",
    "RepairRecord",
    "RepairVisit",
    "Section",
    "ServiceKind",
    "ServiceOffering",
    "StandardVersion",
]
