"""The domain model, one module per aggregate; importing this registers every table."""

from portal.models.accounts import AccountToken, Authority, AuthorityKind, RecoveryCode, Role, TokenPurpose, User
from portal.models.audit import AuditEvent
from portal.models.base import Gender
from portal.models.directory import Cooperative, Supervisor
from portal.models.follow_up import EndReport, GoalResult, Meeting, MeetingKind, NextStep, PlanState, PlanVersion
from portal.models.follow_up_records import (
    AttendanceDay,
    AttendanceWeek,
    Message,
    MessageRead,
    ProgressGoal,
    ProgressReport,
)
from portal.models.geography import Municipality, Region
from portal.models.notifications import Notification, OutboxMessage
from portal.models.participants import (
    Consent,
    ConsentMethod,
    ConsentScope,
    EducationLevel,
    LabourMarketStatus,
    Participant,
)
from portal.models.plugins import PluginEnablement, ReferralFieldValue
from portal.models.referrals import (
    RUNNING_PLACEMENT_STATES,
    DeclineReason,
    Offer,
    OfferState,
    Outcome,
    Placement,
    PlacementState,
    Referral,
    Transition,
)
from portal.models.reports import FigureChange, KeptReport, RealiaAnalysis, StoredFigures
from portal.models.training import Attendance, Cohort, Module, ModuleCompletion

__all__ = [
    "AccountToken",
    "Attendance",
    "AttendanceDay",
    "AttendanceWeek",
    "Message",
    "MessageRead",
    "ProgressGoal",
    "ProgressReport",
    "RecoveryCode",
    "TokenPurpose",
    "AuditEvent",
    "Authority",
    "AuthorityKind",
    "Cohort",
    "Consent",
    "ConsentMethod",
    "ConsentScope",
    "Cooperative",
    "DeclineReason",
    "Gender",
    "Meeting",
    "MeetingKind",
    "Module",
    "ModuleCompletion",
    "Municipality",
    "Offer",
    "OfferState",
    "Outcome",
    "Participant",
    "PlanState",
    "PlanVersion",
    "Placement",
    "PlacementState",
    "RUNNING_PLACEMENT_STATES",
    "Referral",
    "Region",
    "Role",
    "Supervisor",
    "Transition",
    "User",
    "Notification",
    "OutboxMessage",
    "PluginEnablement",
    "ReferralFieldValue",
    "EducationLevel",
    "EndReport",
    "GoalResult",
    "NextStep",
    "LabourMarketStatus",
    "RealiaAnalysis",
    "FigureChange",
    "KeptReport",
    "StoredFigures",
]
