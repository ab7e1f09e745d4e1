"""The words a child's file is kept in: each field's possible values, as
typing Literals. Plain typing, without pydantic: the rules and the first screen
read them before anything is validated; `schemas` builds its inputs from them."""

from __future__ import annotations

from typing import Literal

Nation = Literal["england", "wales", "scotland", "northern_ireland"]
Profile = Literal["childrens_home", "residential_school"]
# A provider (the responsible individual, a regional manager) reads every home
# and writes nothing in a home's records.
Role = Literal["care_staff", "shift_leader", "manager", "admin", "provider"]
Placement = Literal["full_time", "residential_school", "short_break"]
AbsenceKind = Literal["leave", "sickness", "training", "other"]
SessionKind = Literal["formal", "informal"]
ReviewOutcome = Literal["updated", "no_change"]
EventKind = Literal[
    "birthday", "anniversary", "appointment", "meeting", "review", "court", "contact", "other"
]
Shift = Literal["day", "night"]
ChildState = Literal["settled", "watch", "unsettled"]
ChangeReason = Literal[
    "child_request",
    "staff_request",
    "staff_left",
    "long_absence",
    "relationship",
    "manager_decision",
    "other",
]
TargetOutcome = Literal["achieved", "partly", "not_yet", "replaced"]
ContactKind = Literal["social_worker", "iro", "gp", "dentist", "family", "school", "other"]
# Reviewed every month (policy.MONTHLY_DOCUMENTS); the rest of Document on their own rhythms.
MonthlyDocument = Literal[
    "support_plan",
    "safety_plan",
    "positive_handling_plan",
    "risk_assessment",
    "medical_summary",
    "consent_forms",
    "audit_actions",
]
Document = Literal[
    MonthlyDocument,
    "monthly_report",
    "formal_consultation",
    "school_visit",
    "belongings_inventory",
    "likes_dislikes",
    "dental_check",
    "health_assessment",
    "consent_parent_social_worker",
    # Beyond the interchange format: a weekly postcard or call home, where a home keeps it.
    "good_news_contact",
]
Purpose = Literal[
    "progress",
    "problems",
    "achievements",
    "targets",
    "review_or_court",
    "future",
    "past",
    "other",
]
