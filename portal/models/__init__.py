"""The domain model, one module per aggregate; importing this registers every table."""

from .audit import AuditEvent
from .base import Gender
from .geography import Municipality, Region
from .notification import Notification, OutboxMessage
from .organisation import Authority, AuthorityKind, Cooperative
from .participant import Consent, ConsentMethod, ConsentScope, EducationLevel, LabourMarketStatus, Participant
from .plugin import PluginEnablement, ReferralFieldValue
from .realia import RealiaAnalysis
from .referral import DeclineReason, Offer, OfferState, Outcome, Placement, PlacementState, Referral, Transition
from .supervisor import Supervisor
from .training import Cohort, Module, ModuleCompletion
from .user import Role, User

__all__ = [
    "AuditEvent", "Authority", "AuthorityKind", "Cohort", "Consent", "ConsentMethod", "ConsentScope",
    "Cooperative", "DeclineReason", "Gender", "Module", "ModuleCompletion", "Municipality", "Offer",
    "OfferState", "Outcome", "Participant", "Placement", "PlacementState", "Referral", "Region", "Role",
    "Supervisor", "Transition", "User",
    "Notification", "OutboxMessage", "PluginEnablement", "ReferralFieldValue",
    "EducationLevel", "LabourMarketStatus", "RealiaAnalysis",
]
