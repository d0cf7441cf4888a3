"""portal_skaraborg: in Skaraborg a three-party meeting comes before the placement starts.

… offered ─accept→ accepted ─record_meeting→ meeting_held ─start→ active ─complete→ …  (as the default)

The caseworker, the participant and the supervisor meet before the first day. The
meeting is booked and recorded as a structured three-party meeting on the placement's
meetings page (who attended, notes, agreed actions); the caseworker or the supervisor
then takes the step, and the other of the two is told that the placement can start.
Version 1 of the workflow asked for a note saying when the meeting was held instead:
referrals that started under it keep it (and their notes). The referral form asks where
the participant would prefer to meet.
"""

from __future__ import annotations

from dataclasses import replace

from portal.builtin.default_workflow import DEFAULT
from portal.domain.follow_up import meetings
from portal.domain.notifications import inbox as notifications
from portal.domain.referrals import steps
from portal.domain.referrals.fields import ReferralField
from portal.domain.referrals.workflow import State, Transition, region_hooks
from portal.hookspecs import PluginMetadata, hookimpl
from portal.i18n import lazy_gettext as _

__version__ = "1.2.0"

PORTAL_PLUGIN = PluginMetadata(
    display_name=_("Skaraborg's workflow"),
    description=_("The caseworker, the participant and the supervisor meet before the placement starts."),
    regions=("skaraborg",),
    requires_api=">=1.6,<2",
)

MEETING_PEOPLE = frozenset({"caseworker", "supervisor"})


@steps.input_required("note")
def meeting_described(ctx):
    """The timeline is the record of the meeting: it must say when and who was there. It
    reads what the user writes with the step, so the page asks for the note instead of
    refusing the step before anything is written."""
    if not (ctx.note or "").strip():
        return _("Write in the note when the meeting was held and whether the participant took part.")
    return None


def _step(transition: Transition) -> Transition:
    if transition.name == "start":
        return replace(transition, sources=("meeting_held",))
    if transition.name == "withdraw":
        return replace(transition, sources=transition.sources + ("meeting_held",))
    return transition


MEETING_HELD = State("meeting_held", _("Three-party meeting held"))
SKARABORG_WITH_NOTE = DEFAULT.derive(
    name="skaraborg",
    version=1,
    title=_("Skaraborg: a three-party meeting before the start"),
    description=_(
        "After the supervisor has accepted, the caseworker, the participant and the supervisor meet; "
        "the placement starts once the meeting is recorded."
    ),
    state=MEETING_HELD,
    after="accepted",
    change=_step,
    added=(
        Transition(
            "record_meeting",
            ("accepted",),
            "meeting_held",
            MEETING_PEOPLE,
            _("Record the three-party meeting"),
            guards=(steps.own_placement, meeting_described),
            done=_("Three-party meeting recorded"),
        ),
    ),
)


def _recorded_meeting(transition: Transition) -> Transition:
    if transition.name == "record_meeting":
        return replace(transition, guards=(steps.own_placement, meetings.three_party_meeting_recorded))
    return transition


SKARABORG = SKARABORG_WITH_NOTE.derive(version=2, change=_recorded_meeting)

MEETING_PLACES = (
    ("authority", _("At the referring authority")),
    ("cooperative", _("At the cooperative")),
    ("home_municipality", _("Somewhere else in the participant's municipality")),
    ("video", _("By video")),
)


portal_workflows, portal_region_workflow = region_hooks(SKARABORG, SKARABORG_WITH_NOTE)


@hookimpl
def portal_referral_fields(region_code):
    return [
        ReferralField(
            "meeting_place",
            _("Where would the participant prefer to hold the three-party meeting?"),
            kind="choice",
            choices=MEETING_PLACES,
            help=_("Leave empty if the participant has no preference."),
        ),
    ]


@hookimpl
def portal_transition_done(session, engine, referral, transition, actor):
    if transition.name != "record_meeting":
        return
    recipients = [
        user
        for user in (referral.caseworker, referral.placement.supervisor.user)
        if actor is None or user.id != actor.id
    ]
    notifications.notify(
        session, recipients=recipients, kind="referral_needs_action", referral_id=referral.id, settings=engine.settings
    )
