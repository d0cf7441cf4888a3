"""Referrals, offers and placements at scale for `bench.generate`: states dealt from
shares, written in chunks so that memory stays flat.

A referral and its offers carry the participant's gender (as the portal copies it); a
referral in matching may have been declined or let expire by someone first; a placement
has its accepted offer and its referral's authority; running placements stay within
their supervisors' capacity.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from portal.domain.vocabulary import ACCESSIBILITY, LANGUAGES, NEEDS, TRADES

TODAY = date(2026, 11, 2)
MIDNIGHT = datetime(2026, 11, 2, tzinfo=UTC)
CHUNK = 50_000  # referrals written per round
OTHER_LANGUAGES = sorted(set(LANGUAGES) - {"sv"})
GIVEN_NAMES = ("Anna", "Erik", "Fatima", "Johan", "Sara", "Ahmed", "Maria", "Lars", "Amina", "Karl", "Leyla", "Nils")
FAMILY_NAMES = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Hassan", "Berg", "Lund", "Nowak", "Ali", "Holm")
# The referrals' states, as shares of the whole; running placements come from capacity.
STATE_SHARES = {"draft": 0.01, "matching": 0.02, "offered": 0.01, "withdrawn": 0.10, "discontinued": 0.10}
ENDED = ("completed", "discontinued", "withdrawn")


class ReferralRows:
    """The referrals part of `bench.generate._Builder`: needs its writer, scale, rng, log and
    the geography, authorities, caseworkers and supervisors it built before."""

    def referrals(self) -> None:
        """States dealt from shares; running placements fill each eligible supervisor's capacity
        part of the way, some to the brim, so that the capacity filter has work to do."""
        rng, total = self.rng, self.scale.referrals
        running = [s for s in self.eligible for _ in range(rng.choice((0, 1, self.capacity[s]))) if self.capacity[s]][
            : total // 20
        ]
        rng.shuffle(running)
        plan = [("active" if rng.random() < 0.8 else "accepted", supervisor) for supervisor in running]
        for state, share in STATE_SHARES.items():
            plan += [(state, None)] * int(total * share)
        plan += [("completed", None)] * (total - len(plan))
        rng.shuffle(plan)
        for start in range(0, total, CHUNK):
            self._chunk(plan[start : start + CHUNK], first_id=start + 1)
            self.log(f"  referrals {min(start + CHUNK, total):,} of {total:,}")

    def _chunk(self, plan: list[tuple[str, int | None]], first_id: int) -> None:
        rng = self.rng
        rows = defaultdict(list)
        offer_id = self.offer_ids
        for referral, (state, supervisor) in enumerate(plan, start=first_id):
            if state in ("completed", "discontinued", "offered") and supervisor is None:
                supervisor = rng.choice(self.eligible)
            municipality = (
                rng.choice(self.served[supervisor]) if supervisor else rng.choice(list(self.municipality_region))
            )
            region = self.municipality_region[municipality]
            authority = (
                self.local_authority[municipality]
                if rng.random() < 0.5
                else rng.choice(self.regional_authorities[region])
            )
            caseworker = self.caseworker[authority]
            created = MIDNIGHT - timedelta(days=rng.randint(1, 1800))
            submitted = None if state == "draft" else created + timedelta(days=rng.randint(0, 5))
            closed = submitted + timedelta(days=rng.randint(10, 200)) if state in ENDED else None
            given_name, family_name = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
            gender = rng.choice(("woman", "man", "not_stated"))
            rows["participant"].append(
                (
                    referral,
                    given_name,
                    family_name,
                    gender,
                    municipality,
                    authority,
                    created,
                )
            )
            self._participant_codes(rows, referral)
            rows["referral"].append(
                (
                    referral,
                    referral,
                    gender,
                    authority,
                    caseworker,
                    region,
                    "default",
                    1,
                    state,
                    "Arbetsträning",
                    rng.choice((10, 15, 20, 25)),
                    state == "matching" and rng.random() < 0.3 or rng.random() < 0.1,
                    created,
                    submitted,
                    closed,
                )
            )
            if state in ("draft", "withdrawn"):
                continue
            offered = submitted + timedelta(days=rng.randint(1, 10))
            servers = self.serving[municipality]
            if rng.random() < (0.4 if state == "matching" else 0.15):  # someone declined or let it expire first
                other = rng.choice(servers)
                if other != supervisor:
                    answer = "declined" if rng.random() < 0.7 else "expired"
                    rows["offer"].append(
                        (
                            next(offer_id),
                            referral,
                            gender,
                            other,
                            caseworker,
                            answer,
                            offered,
                            offered + timedelta(days=7),
                            offered + timedelta(days=3),
                            "timing" if answer == "declined" else None,
                        )
                    )
            if supervisor is None:
                continue
            offer = next(offer_id)
            answered = offered + timedelta(days=rng.randint(1, 5))
            rows["offer"].append(
                (
                    offer,
                    referral,
                    gender,
                    supervisor,
                    caseworker,
                    "open" if state == "offered" else "accepted",
                    offered,
                    offered + timedelta(days=7),
                    None if state == "offered" else answered,
                    None,
                )
            )
            if state == "offered":
                continue
            start = (answered + timedelta(days=rng.randint(3, 20))).date()
            ended = (closed.date() if closed else None) if state in ENDED else None
            placement_state = {"accepted": "planned"}.get(state, state)
            outcome = {
                "completed": rng.choice(("employment", "education", "job_seeking")),
                "discontinued": "other",
            }.get(state)
            rows["placement"].append(
                (
                    referral,
                    referral,
                    offer,
                    supervisor,
                    authority,
                    placement_state,
                    start,
                    20,
                    max(ended, start) if ended else None,
                    outcome,
                )
            )
        for table, columns in CHUNK_TABLES:
            self.writer.write(table, columns, rows[table])

    def _participant_codes(self, rows, participant: int) -> None:
        rng = self.rng
        needs = rng.sample(list(NEEDS), rng.randint(1, 3))
        rows["participant_need"] += [(participant, code) for code in needs]
        rows["participant_language"] += [(participant, code) for code in ("sv", *other_language(rng, 0.2))]
        rows["participant_interest"] += [(participant, code) for code in rng.sample(list(TRADES), rng.randint(1, 3))]
        rows["participant_accessibility"] += [
            (participant, code) for code in rng.sample(list(ACCESSIBILITY), rng.choice((0, 0, 1, 2)))
        ]


CHUNK_TABLES = (
    (
        "participant",
        ("id", "given_name", "family_name", "gender", "municipality_id", "registered_by_authority_id", "created_at"),
    ),
    ("participant_need", ("participant_id", "code")),
    ("participant_language", ("participant_id", "code")),
    ("participant_interest", ("participant_id", "code")),
    ("participant_accessibility", ("participant_id", "code")),
    (
        "referral",
        (
            "id",
            "participant_id",
            "participant_gender",
            "authority_id",
            "caseworker_id",
            "region_id",
            "workflow_name",
            "workflow_version",
            "state",
            "goal",
            "hours_per_week",
            "region_wide",
            "created_at",
            "submitted_at",
            "closed_at",
        ),
    ),
    (
        "offer",
        (
            "id",
            "referral_id",
            "participant_gender",
            "supervisor_id",
            "offered_by_id",
            "state",
            "offered_at",
            "expires_at",
            "responded_at",
            "decline_reason",
        ),
    ),
    (
        "placement",
        (
            "id",
            "referral_id",
            "offer_id",
            "supervisor_id",
            "authority_id",
            "state",
            "start_date",
            "hours_per_week",
            "end_date",
            "outcome",
        ),
    ),
)


def other_language(rng: random.Random, chance: float) -> tuple[str, ...]:
    return (rng.choice(OTHER_LANGUAGES),) if rng.random() < chance else ()
