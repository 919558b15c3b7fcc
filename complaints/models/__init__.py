"""Complaints and suggestions (RULES.md section C), their timeline, attachments and records.

Indexes are made for the pages and the reports: every list filters by office (and usually state and
receipt time); the monthly and quarterly summaries (C14, C15) group by office, month, class, channel,
category and department.
"""

from __future__ import annotations

from ..rules import ComplaintClass, State
from .complaint import Category, Channel, Complaint, ComplaintSettings, Kind, ResponseHow, YearCounter
from .records import ComplaintRecord, EngineeringRecord, SpecialReport
from .reports import (
    AnalysisState,
    ComplaintPublication,
    MonthlySummary,
    PublicationReason,
    QuarterlyAnalysis,
    SummaryState,
)
from .timeline import Attachment, ComplaintEvent, EventKind, attachment_path

__all__ = [
    "Attachment",
    "Category",
    "Channel",
    "Complaint",
    "ComplaintClass",
    "ComplaintEvent",
    "ComplaintRecord",
    "ComplaintSettings",
    "ResponseHow",
    "EngineeringRecord",
    "EventKind",
    "Kind",
    "AnalysisState",
    "ComplaintPublication",
    "MonthlySummary",
    "PublicationReason",
    "QuarterlyAnalysis",
    "SpecialReport",
    "State",
    "SummaryState",
    "YearCounter",
    "attachment_path",
]
