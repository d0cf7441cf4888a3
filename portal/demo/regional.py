"""Demo referrals in the regional workflows' own steps, so that `make demo` shows them:
Fyrbodal's review by the coordinator, Skaraborg's three-party meeting, Sjuhärad's trial
period and Göteborgsregionen's parallel offers. Added only for the workflows installed
(the bundled plugins are, in `make demo`), each in its own region, written step by step
as the rest of the demo (`portal.demo.referrals`)."""

from __future__ import annotations

from portal.demo import referrals

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
            referrals.add_regional(demo, (workflow, version), region, steps, offers, NOTES)
