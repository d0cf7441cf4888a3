"""The default referral workflow (DESIGN.md, "The referral lifecycle"), as a built-in plugin.

draft ─submit→ submitted ─(automatic)→ matching ─offer→ offered ─accept→ accepted
matching ←decline/expire─ offered;  accepted ─start→ active ─complete→ completed
active ─discontinue→ discontinued;  any open state ─withdraw→ withdrawn;  ended → closed
"""

from __future__ import annotations

from portal.domain.follow_up import end_reports, plans
from portal.domain.referrals import steps
from portal.domain.referrals.workflow import SYSTEM, State, Transition, Workflow
from portal.hookspecs import hookimpl
from portal.i18n import lazy_gettext as _
from portal.models import PlacementState

CASEWORKER = frozenset({"caseworker"})
OFFERERS = frozenset({"caseworker", "coordinator"})
SUPERVISOR = frozenset({"supervisor"})
PLACEMENT_PEOPLE = frozenset({"supervisor", "caseworker"})
OPEN_STATES = ("draft", "submitted", "matching", "offered", "accepted")

STATES = (
    State("draft", _("Draft")),
    State("submitted", _("Submitted")),
    State("matching", _("Matching")),
    State("offered", _("Offered")),
    State("accepted", _("Accepted")),
    State("active", _("Placement running")),
    State("completed", _("Completed"), ended=True),
    State("discontinued", _("Discontinued"), ended=True),
    State("withdrawn", _("Withdrawn"), ended=True),
    State("closed", _("Closed"), terminal=True),
)

TRANSITIONS = (
    Transition(
        "submit",
        ("draft",),
        "submitted",
        CASEWORKER,
        _("Submit"),
        guards=(steps.consent_in_force, steps.no_other_open_referral),
        actions=(steps.stamp_submitted,),
        done=_("Submitted"),
    ),
    Transition(
        "start_matching",
        ("submitted",),
        "matching",
        frozenset({SYSTEM}),
        _("Start matching"),
        automatic=True,
        done=_("Matching started"),
    ),
    Transition(
        "offer",
        ("matching",),
        "offered",
        OFFERERS,
        _("Offer to a supervisor"),
        actions=(steps.create_offers,),
        done=_("Offered to a supervisor"),
    ),
    Transition(
        "accept",
        ("offered",),
        "accepted",
        SUPERVISOR,
        _("Accept"),
        guards=(steps.offer_still_open, steps.supervisor_has_capacity),
        actions=(steps.accept_offer,),
        done=_("Offer accepted"),
    ),
    Transition(
        "decline",
        ("offered",),
        "matching",
        SUPERVISOR,
        _("Decline"),
        guards=(steps.offer_still_open, steps.last_open_offer),
        actions=(steps.decline_offer,),
        done=_("Offer declined"),
    ),
    Transition(
        "expire",
        ("offered",),
        "matching",
        frozenset({SYSTEM}),
        _("Offer expired"),
        guards=(steps.last_open_offer,),
        actions=(steps.expire_offer,),
        done=_("Offer expired"),
    ),
    Transition(
        "start",
        ("accepted",),
        "active",
        PLACEMENT_PEOPLE,
        _("Start the placement"),
        guards=(plans.plan_approved,),
        actions=(steps.start_placement,),
        done=_("Placement started"),
    ),
    Transition(
        "complete",
        ("active",),
        "completed",
        PLACEMENT_PEOPLE,
        _("Complete"),
        guards=(end_reports.end_report_written,),
        actions=(end_reports.outcome_from_end_report, steps.end_placement(PlacementState.COMPLETED)),
        done=_("Completed"),
    ),
    Transition(
        "discontinue",
        ("active",),
        "discontinued",
        PLACEMENT_PEOPLE,
        _("Discontinue"),
        guards=(end_reports.end_report_written,),
        actions=(end_reports.outcome_from_end_report, steps.end_placement(PlacementState.DISCONTINUED)),
        done=_("Discontinued"),
    ),
    Transition(
        "withdraw",
        OPEN_STATES,
        "withdrawn",
        frozenset({"caseworker", "coordinator", SYSTEM}),
        _("Withdraw"),
        actions=(steps.withdraw_open_offers, steps.cancel_planned_placement),
        done=_("Withdrawn"),
    ),
    Transition(
        "close",
        ("completed", "discontinued", "withdrawn"),
        "closed",
        frozenset({"coordinator", "admin", SYSTEM}),
        _("Close"),
        done=_("Closed"),
    ),
)

DEFAULT = Workflow(
    name="default",
    version=1,
    title=_("Default workflow"),
    initial="draft",
    states=STATES,
    transitions=TRANSITIONS,
    description=_("Caseworkers submit and offer; supervisors accept or decline within the offer's time."),
)


@hookimpl
def portal_workflows():
    return [DEFAULT]


@hookimpl(trylast=True)
def portal_region_workflow(region_code):
    return DEFAULT.name
