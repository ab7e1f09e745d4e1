"""Peewee models: storage only. Rules live in keywork_tui.services."""

from .allocation import Absence, Cover, KeyWorkerAllocation
from .audit import AuditEvent, AuditHead
from .base import BaseModel, db
from .handover import Acknowledgement, AwayRead, Handover, HandoverEntry, ShiftSignOn
from .home import Home, TermDate
from .language import LanguageWord
from .people import Child, Contact, SetupCode, Staff
from .records import (
    Amendment,
    DocumentReview,
    KeySession,
    PersonalEvent,
    SignificantEvent,
    Supervision,
    Target,
    TargetProgress,
)

ALL_MODELS: list[type[BaseModel]] = [
    Home,
    TermDate,
    Staff,
    Child,
    Contact,
    KeyWorkerAllocation,
    Absence,
    Cover,
    KeySession,
    Target,
    TargetProgress,
    DocumentReview,
    PersonalEvent,
    SignificantEvent,
    Supervision,
    Amendment,
    Handover,
    HandoverEntry,
    ShiftSignOn,
    Acknowledgement,
    AwayRead,
    AuditEvent,
    AuditHead,
    SetupCode,
    LanguageWord,
]

# Spelt out, not built from ALL_MODELS, so a type checker can read it.
__all__ = [
    "ALL_MODELS",
    "Absence",
    "Acknowledgement",
    "Amendment",
    "AuditEvent",
    "AuditHead",
    "AwayRead",
    "BaseModel",
    "Child",
    "Contact",
    "Cover",
    "DocumentReview",
    "Handover",
    "HandoverEntry",
    "Home",
    "KeySession",
    "KeyWorkerAllocation",
    "LanguageWord",
    "PersonalEvent",
    "SetupCode",
    "ShiftSignOn",
    "SignificantEvent",
    "Staff",
    "Supervision",
    "Target",
    "TargetProgress",
    "TermDate",
    "db",
]
