"""Demo referrals in the regional workflows' own steps, so that `make demo` shows them:
Fyrbodal's review by the coordinator, Skaraborg's three-party meeting, Sjuhärad's trial
period and Göteborgsregionen's parallel offers. Added only for the workflows installed
(the bundled plugins are, in `make demo`), each in its own region, written step by step
as the rest of the demo (`portal.demo.referrals`)."""

from __future__ import annotations

from sqlalchemy import select

from portal.demo import participants, referrals
from portal.domain import calendar
from portal.models import Consent, ConsentMethod, ConsentScope, Offer, Participant, Referral

# (workflow, version, region, steps after "create" and "submit", the state each leads to,
# how many open offers the last "offer" leaves)
REGIONAL = (
    ("fyrbodal", 1, "fyrbodal", (("start_review", "in_review"),), 0),
    (
        "skaraborg",
        2,
        "skaraborg",
        (
            ("start_matching", "matching"),
            ("offer", "offered"),
            ("accept", "accepted"),
            ("record_meeting", "meeting_held"),
        ),
        1,
    ),
    (
        "sjuharad",
        1,
        "sjuharad",
        (("start_matching", "matching"), ("offer", "offered"), ("accept", "accepted"), ("start", "trial")),
        1,
    ),
    ("goteborg", 1, "goteborgsregionen", (("start_matching", "matching"), ("offer", "offered")), 2),
)
NOTES = {
    "record_meeting": "Trepartsmötet hölls på kooperativet; deltagaren var med och ser fram emot starten.",
}


def add_referrals(demo, installed: set[tuple[str, int]]) -> None:
    """One referral in the own step of each installed regional workflow, in its region."""
    for workflow, version, region, steps, offers in REGIONAL:
        if (workflow, version) in installed and region in demo.regions:
            _add_referral(demo, (workflow, version), region, steps, offers, NOTES)


def _add_referral(demo, workflow: tuple[str, int], region: str, steps, open_offers: int, notes: dict) -> None:
    """A referral of `region` under `workflow` (name, version), walked through `steps`
    ((transition, the state it leads to), after "create" and "submit"); its last offer
    leaves `open_offers` offers open (more than one: parallel offers)."""
    rng = demo.rng
    names = ["create", "submit", *(name for name, _state in steps)]
    targets = referrals.TARGET_STATE | dict(steps)
    state = steps[-1][1]
    eligible = [
        s
        for s in demo.supervisors
        if s.active and s.certified and s.cooperative.municipality.region.code == region and demo.load[s] < s.capacity
    ]
    offered_to = rng.sample(eligible, min(open_offers, len(eligible)))
    municipality = (
        rng.choice(sorted(offered_to[0].municipalities, key=lambda m: m.name))
        if offered_to
        else rng.choice(demo.municipalities[region])
    )
    caseworker = rng.choice(demo.caseworkers[region])
    times = referrals._timeline(demo, names, state)
    demo.session.flush()
    taken = set(demo.session.scalars(select(Participant.personnummer_index)))
    number = next(n for n in participants.shuffled_numbers(demo) if demo.vault.blind_index(n) not in taken)
    participant = participants.add(demo, number, municipality, caseworker.authority, times[0])
    referral = Referral(
        participant=participant,
        authority=caseworker.authority,
        caseworker=caseworker,
        region=municipality.region,
        workflow_name=workflow[0],
        workflow_version=workflow[1],
        state=state,
        goal=rng.choice(referrals.GOALS),
        hours_per_week=rng.choice(referrals.HOURS_PER_WEEK),
        created_at=times[0],
        submitted_at=times[1],
    )
    demo.session.add(
        Consent(
            participant=participant,
            scope=ConsentScope.REFERRAL_AND_FOLLOW_UP,
            method=ConsentMethod.WRITTEN,
            given_on=calendar.local_date(times[0]),
            recorded_by=caseworker,
            recorded_at=times[0],
        )
    )
    demo.session.add(referral)
    referrals._walk(demo, referral, names, times, offered_to[:1], targets=targets, notes=notes)
    for supervisor in offered_to:
        demo.load[supervisor] += 1
    for supervisor in offered_to[1:]:  # offered at the same moment as the first: parallel offers
        first = referral.offers[0]
        demo.session.add(
            Offer(
                referral=referral,
                supervisor=supervisor,
                offered_by=first.offered_by,
                offered_at=first.offered_at,
                expires_at=first.expires_at,
            )
        )
