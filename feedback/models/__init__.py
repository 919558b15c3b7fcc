"""Models of the customer communication register (F1), monthly archive and corrective actions (F2)."""

from ..rules import ActionSource, ActionState, ArchiveState, Channel, Kind, State, Verifier
from .actions import CorrectiveAction, MonthlyArchive
from .entries import Category, Entry, EntryEvent, StateLabel
from .outreach import Outreach, OutreachKind, OutreachState, ResidentPage

__all__ = [
    "ActionSource",
    "ActionState",
    "ArchiveState",
    "Category",
    "Channel",
    "CorrectiveAction",
    "Entry",
    "EntryEvent",
    "Kind",
    "MonthlyArchive",
    "Outreach",
    "OutreachKind",
    "OutreachState",
    "ResidentPage",
    "State",
    "StateLabel",
    "Verifier",
]
