"""portal_fyrbodal: Fyrbodal's coordinator reviews every referral before matching starts.

draft ─submit→ submitted ─(automatic)→ in_review ─approve→ matching ─offer→ …  (as the default)
                                       in_review ─return→ draft (with a note saying what is missing)

The region's coordinators are told when a referral waits for their review, and the
caseworker when it comes back to them. The referral form asks whether the person has
been discussed in the local cooperation team and who the contact at the coordination
association (samordningsförbund) is. A quarterly report (`report.py`) gives the figures
the region's funders ask for.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from portal.builtin.default_workflow import DEFAULT
from portal.domain import access
from portal.domain.follow_up.todo import Item
from portal.domain.notifications import inbox as notifications
from portal.domain.referrals.fields import ReferralField
from portal.domain.referrals.steps import input_required
from portal.domain.referrals.workflow import State, Transition, region_hooks
from portal.hookspecs import PluginMetadata, hookimpl
from portal.i18n import lazy_gettext as _
from portal.models import Referral, User

from .report import QuarterlyReport

__version__ = "1.2.0"

PORTAL_PLUGIN = PluginMetadata(
    display_name=_("Fyrbodal's workflow"),
    description=_(
        "The region's coordinator reviews every referral before matching starts; a quarterly report for the funders."
    ),
    regions=("fyrbodal",),
    requires_api=">=1.6,<2",
)

COORDINATOR = frozenset({"coordinator"})


@input_required("note")
def note_given(ctx):
    """Returning a referral without saying why leaves the caseworker guessing."""
    if not (ctx.note or "").strip():
        return _("Write in the note what the caseworker needs to complete or change.")
    return None


def _step(transition: Transition) -> Transition | None:
    if transition.name == "start_matching":
        return None  # replaced by start_review
    if transition.name == "withdraw":
        return replace(transition, sources=transition.sources + ("in_review",))
    return transition


IN_REVIEW = State("in_review", _("Coordinator review"))
FYRBODAL = DEFAULT.derive(
    name="fyrbodal",
    version=1,
    title=_("Fyrbodal: coordinator review before matching"),
    description=_(
        "The region's coordinator reviews each submitted referral and approves it for matching "
        "or returns it to the caseworker with a note."
    ),
    state=IN_REVIEW,
    after="submitted",
    change=_step,
    added=(
        # Core's automatic step after submission, to the coordinator instead of to matching.
        replace(
            DEFAULT.transition("start_matching"),
            name="start_review",
            target="in_review",
            label=_("Send to the coordinator for review"),
            done=_("Sent to the coordinator for review"),
        ),
        Transition(
            "approve",
            ("in_review",),
            "matching",
            COORDINATOR,
            _("Approve for matching"),
            done=_("Approved for matching"),
        ),
        Transition(
            "return",
            ("in_review",),
            "draft",
            COORDINATOR,
            _("Return to the caseworker"),
            guards=(note_given,),
            done=_("Returned to the caseworker"),
        ),
    ),
)


portal_workflows, portal_region_workflow = region_hooks(FYRBODAL)


@hookimpl
def portal_referral_fields(region_code):
    return [
        ReferralField(
            "cooperation_team",
            _("Has the person been discussed in the local cooperation team?"),
            kind="yes-no",
            required=True,
            help=_("The municipality's and the authorities' team for people far from the labour market."),
        ),
        ReferralField(
            "coordination_contact",
            _("Contact at the coordination association (samordningsförbund)"),
            help=_("A name or a unit, when the association funds the effort."),
        ),
    ]


@hookimpl
def portal_transition_done(session, engine, referral, transition, actor):
    if transition.name == "start_review":
        recipients = session.scalars(
            select(User).where(User.role == "coordinator", User.region_id == referral.region_id, User.active.is_(True))
        ).all()
    elif transition.name == "return":
        recipients = [referral.caseworker]
    else:
        return
    recipients = [user for user in recipients if actor is None or user.id != actor.id]
    if recipients:
        notifications.notify(
            session,
            recipients=recipients,
            kind="referral_needs_action",
            referral_id=referral.id,
            settings=engine.settings,
        )


@hookimpl
def portal_todo_items(session, user):
    """The coordinator's work list: each referral waiting for their review, oldest first."""
    if user.role != "coordinator":
        return None
    waiting = session.scalars(
        select(Referral.id)
        .where(Referral.state == IN_REVIEW.name, access.referrals_visible_to(user))
        .order_by(Referral.submitted_at, Referral.id)
    ).all()
    return [Item(_("Review referral %(number)d", number=number), "referral", number) for number in waiting]


@hookimpl
def portal_reports():
    return [QuarterlyReport()]
