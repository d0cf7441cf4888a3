"""The demo's referrals: one participant each, walked through core's default workflow
step by step with believable lead times, so that lists, timelines and reports show what
real use would show."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from portal.builtin.default_workflow import DEFAULT
from portal.demo import participants
from portal.demo.names import (
    DECLINE_NOTES,
    DISCONTINUE_NOTES,
    GOALS,
    OUTCOME_NOTES,
    WITHDRAW_NOTES,
)
from portal.demo.organisations import HOURS_PER_WEEK
from portal.demo.world import DEMO_REGION, LOGINS, Demo
from portal.domain import calendar
from portal.domain.participants.privacy import Personnummer
from portal.models import (
    Consent,
    ConsentMethod,
    ConsentScope,
    DeclineReason,
    Municipality,
    Offer,
    OfferState,
    Outcome,
    Placement,
    PlacementState,
    Referral,
    Supervisor,
    Transition,
)

# Referrals in each state of the default workflow a referral rests in, one participant each
# ("submitted" moves on to "matching" at once; "closed" comes after the demo's time).
REFERRALS_BY_STATE = {
    "draft": 5,
    "matching": 14,
    "offered": 6,
    "accepted": 5,
    "active": 12,
    "completed": 9,
    "discontinued": 4,
    "withdrawn": 5,
}
# The state each step of the default workflow leads to.
TARGET_STATE = {"create": "draft"} | {t.name: t.target for t in DEFAULT.transitions}


class Step(NamedTuple):
    """Who takes a step, and the working days (fewest, most) since the previous step: the
    lead times seen in practice ((0, 0): at once, as the portal does)."""

    actor: str
    lead_days: tuple[int, int] | None


STEPS = {
    "create": Step("caseworker", None),
    "submit": Step("caseworker", (1, 8)),
    "withdraw": Step("caseworker", (2, 20)),
    "start_matching": Step("system", (0, 0)),
    "offer": Step("coordinator", (1, 10)),
    "decline": Step("supervisor", (1, 4)),
    "accept": Step("supervisor", (1, 4)),
    "start": Step("supervisor", (5, 15)),
    "complete": Step("supervisor", (60, 120)),
    "discontinue": Step("supervisor", (15, 55)),
    "start_review": Step("system", (0, 0)),  # the regional workflows' own steps (portal.demo.regional)
    "record_meeting": Step("caseworker", (2, 6)),
}
# Working days (fewest, most) from a referral's last step to `today`: open offers are fresh.
IDLE_DAYS = {
    "draft": (1, 8),
    "matching": (1, 8),
    "offered": (1, 3),
    "accepted": (1, 4),
    "active": (5, 80),
    "completed": (3, 80),
    "discontinued": (3, 60),
    "withdrawn": (2, 40),
    "in_review": (1, 4),
    "meeting_held": (1, 4),
    "trial": (3, 12),
}
HOLDS_A_PLACE = ("offered", "accepted", "active")  # counts against the supervisor's capacity
PLACED = (*HOLDS_A_PLACE, "completed", "discontinued")
OFFER_WORKING_DAYS = 5  # the default of PORTAL_OFFER_EXPIRY_WORKING_DAYS
ENDED = ("completed", "discontinued", "withdrawn")


def add_referrals(demo: Demo) -> None:
    """Referrals dealt round-robin over the states, so the first of each state comes first.

    Those first ones go to the demo caseworker (and, where a supervisor is involved, the
    demo supervisor), so that each demo login has every kind of case to look at.
    """
    numbers = participants.shuffled_numbers(demo)
    rounds = max(REFERRALS_BY_STATE.values())
    plan = [(state, index) for index in range(rounds) for state, count in REFERRALS_BY_STATE.items() if index < count]
    for (state, index), number in zip(plan, numbers, strict=False):
        _add_referral(demo, state, index, number)


def _add_referral(demo: Demo, state: str, index: int, number: Personnummer) -> None:
    """One participant and a referral that went through every step up to `state`."""
    rng, featured = demo.rng, index == 0
    municipality, offered_to = _match(demo, state, index)
    steps = _steps(state, declines=len(offered_to) - (state in PLACED))
    times = _timeline(demo, steps, state)
    caseworker = (
        next(user for user in demo.caseworkers[DEMO_REGION] if user.email == LOGINS["caseworker"])
        if featured
        else rng.choice(demo.caseworkers[municipality.region.code])
    )
    participant = participants.add(demo, number, municipality, caseworker.authority, times[0])
    submitted_at = times[1] if state != "draft" else None
    referral = Referral(
        participant=participant,
        authority=caseworker.authority,
        caseworker=caseworker,
        region=municipality.region,
        workflow_name="default",
        workflow_version=1,
        state=state,
        goal=rng.choice(GOALS),
        hours_per_week=rng.choice(HOURS_PER_WEEK),
        created_at=times[0],
        submitted_at=submitted_at,
        closed_at=times[-1] if state in ENDED else None,
        region_wide=state == "matching" and index % 2 == 0,  # so that the demo's first ones have candidates
    )
    if submitted_at:
        if rng.random() < 0.5:
            referral.earliest_start = calendar.local_date(submitted_at) + timedelta(days=rng.choice((7, 14, 30)))
        demo.session.add(
            Consent(
                participant=participant,
                scope=rng.choice(list(ConsentScope)),
                method=rng.choice(list(ConsentMethod)),
                given_on=calendar.local_date(times[0]),
                recorded_by=caseworker,
                recorded_at=times[0],
            )
        )
    demo.session.add(referral)
    _walk(demo, referral, steps, times, offered_to)
    if state in HOLDS_A_PLACE:
        demo.load[offered_to[-1]] += 1


def _match(demo: Demo, state: str, index: int) -> tuple[Municipality, list[Supervisor]]:
    """Where the participant lives, and whom the referral was offered to, the taker last.

    The taker is certified and active, has room when the referral holds a place, and
    serves the participant's municipality; some referrals were declined by others in
    the region first. The first referral of a state goes to the demo supervisor.
    """
    rng, featured = demo.rng, index == 0
    eligible = [s for s in demo.supervisors if s.active and s.certified]
    takers = []
    if state in PLACED:
        free = [s for s in eligible if state not in HOLDS_A_PLACE or demo.load[s] < s.capacity]
        takers = [demo.supervisors[0] if featured else rng.choice(free)]
        municipality = rng.choice(sorted(takers[0].municipalities, key=lambda m: m.name))
    else:
        municipality = rng.choice(demo.municipalities[DEMO_REGION if featured else rng.choice(sorted(demo.regions))])
    wanted = index % 3 if state == "matching" else int(state in PLACED and index % 4 == 1)
    others = [s for s in eligible if s not in takers and s.cooperative.municipality.region is municipality.region]
    return municipality, rng.sample(others, min(wanted, len(others))) + takers


def _steps(state: str, declines: int) -> list[str]:
    """The transitions of the default workflow that took a new referral to `state`."""
    steps = ["create"] if state == "draft" else ["create", "submit"]
    if state == "withdrawn":
        return steps + ["start_matching", "withdraw"]
    if state == "draft":
        return steps
    steps += ["start_matching"] + ["offer", "decline"] * declines
    after_matching = {
        "matching": [],
        "offered": ["offer"],
        "accepted": ["offer", "accept"],
        "active": ["offer", "accept", "start"],
        "completed": ["offer", "accept", "start", "complete"],
        "discontinued": ["offer", "accept", "start", "discontinue"],
    }
    return steps + after_matching[state]


def _timeline(demo: Demo, steps: list[str], state: str) -> list[datetime]:
    """When each step happened: on working days in office hours, the last some days before `today`."""
    rng, offsets = demo.rng, [0]
    for name in steps[1:]:
        offsets.append(offsets[-1] + rng.randint(*STEPS[name].lead_days))
    last_day = _move_working_days(demo.today, -rng.randint(*IDLE_DAYS[state]))
    moments = []
    for name, offset in zip(steps, offsets, strict=False):
        if STEPS[name].lead_days == (0, 0):  # automatic: the same moment as the step before
            moments.append(moments[-1] + timedelta(seconds=1))
            continue
        moments.append(
            datetime.combine(
                _move_working_days(last_day, offset - offsets[-1]),
                time(rng.randint(7, 14), rng.choice((0, 15, 30, 45))),
                tzinfo=UTC,
            )
        )
    return moments


def _move_working_days(day: date, count: int) -> date:
    """`day` moved `count` Swedish working days forward, or back when negative."""
    step = 1 if count > 0 else -1
    while count:
        day += timedelta(days=step)
        if calendar.is_working_day(day):
            count -= step
    return day


def _walk(
    demo: Demo,
    referral: Referral,
    steps: list[str],
    times: list[datetime],
    offered_to: list[Supervisor],
    targets: dict = TARGET_STATE,
    notes: dict | None = None,
) -> None:
    """Record each step as a Transition, and update the offers and placement as the step does."""
    rng, offer, placement, previous = demo.rng, None, None, None
    queue = iter(offered_to)
    for name, moment in zip(steps, times, strict=False):
        note = None
        if name == "offer":
            offer = Offer(
                referral=referral,
                supervisor=next(queue),
                offered_by=demo.coordinators[referral.region.code],
                offered_at=moment,
                expires_at=calendar.add_working_days(moment, OFFER_WORKING_DAYS),
            )
            demo.session.add(offer)
        elif name == "decline":
            reason = rng.choice(list(DeclineReason))
            offer.state, offer.responded_at = OfferState.DECLINED, moment
            offer.decline_reason = reason
            offer.decline_note = note = DECLINE_NOTES[reason]
        elif name == "accept":
            offer.state, offer.responded_at = OfferState.ACCEPTED, moment
            placement = Placement(
                referral=referral,
                offer=offer,
                supervisor=offer.supervisor,
                state=PlacementState.PLANNED,
                hours_per_week=referral.hours_per_week,
                start_date=_move_working_days(calendar.local_date(moment), rng.randint(*STEPS["start"].lead_days)),
            )
            demo.session.add(placement)
        elif name == "start":
            placement.state, placement.start_date, placement.started_at = (
                PlacementState.ACTIVE,
                calendar.local_date(moment),
                moment,
            )
        elif name == "complete":
            outcome = rng.choice(
                (Outcome.EMPLOYMENT, Outcome.EMPLOYMENT, Outcome.EDUCATION, Outcome.JOB_SEEKING, Outcome.OTHER)
            )
            placement.state, placement.end_date = PlacementState.COMPLETED, calendar.local_date(moment)
            placement.outcome, placement.outcome_note = outcome, OUTCOME_NOTES[outcome]
        elif name == "discontinue":
            placement.state, placement.end_date = PlacementState.DISCONTINUED, calendar.local_date(moment)
            placement.outcome = Outcome.OTHER
            placement.outcome_note = note = rng.choice(DISCONTINUE_NOTES)
        elif name == "withdraw":
            note = rng.choice(WITHDRAW_NOTES)
        note = (notes or {}).get(name, note)
        actors = {
            "system": None,
            "caseworker": referral.caseworker,
            "coordinator": demo.coordinators[referral.region.code],
            "supervisor": offer.supervisor.user if offer else None,
        }
        demo.session.add(
            Transition(
                referral=referral,
                name=name,
                from_state=previous,
                to_state=targets[name],
                actor=actors[STEPS[name].actor],
                occurred_at=moment,
                note=note,
            )
        )
        previous = targets[name]
