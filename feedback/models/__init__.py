"""Models of the customer communication register (F1), monthly archive and corrective actions (F2)."""

from ..rules import ActionSource, ActionState, ArchiveState, Channel, Kind, State, Verifier
from .actions import CorrectiveAction, MonthlyArchive
from .entries import Category, Entry, EntryEvent, StateLabel

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
    "State",
    "StateLabel",
    "Verifier",
]
