"""A small world of referrals in Q2 2026 whose report figures are worked out by hand in
the tests. Every moment is 10:00 UTC, so that days between them are whole numbers.

Fyrbodal (the Försäkringskassan caseworker, a woman), supervisors A (woman, certified)
and B (man, in training) at the cooperative Vägen:

  R1 woman, 35 at start, long-term unemployed, ISCED 0–2: submitted 04-01, offer A 04-03,
     accepted 04-05, started 04-10, completed 06-19 (employment), 20 h/week
  R2 man, 23 at start, unemployed, ISCED 3–4: submitted 04-01, offer B 04-02 declined 04-04,
     offer A 04-06 accepted 04-09, started 04-20, running, 10 h/week
  R3 woman, 66 at start, inactive, education not recorded: submitted 04-10, offer A 04-14,
     accepted 04-15, started 04-25, discontinued 05-25 (other), 20 h/week
  R5 not stated, 46 at start, long-term unemployed, ISCED 5–8: submitted 03-20, offer B 03-25,
     accepted 04-02, started 04-08, running, 30 h/week (supervised by B)
  R6 woman: submitted 05-05, offer B 05-06 expired
  R7 woman: submitted 06-01, waiting for an offer

Skaraborg (the social services caseworker, a man), supervisor C (woman, certified 04-15):

  R4 man: submitted 05-01, offer C 05-11, accepted 05-12, started 05-22, running, 20 h/week

Training: Fyrbodal's cohort (2026-01-10 – 05-30, 3 modules): A completed all (the last
05-20), certified 06-01; B completed two (the second 04-15). Skaraborg's cohort
(2026-02-01 – 04-30, 2 modules): C completed both (the second 04-10), certified 04-15.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from portal.domain import access
from portal.domain.reports import catalogue as reports
from portal.models import (
    Cohort,
    Cooperative,
    Module,
    ModuleCompletion,
    Offer,
    Participant,
    Placement,
    Referral,
    Supervisor,
    User,
)
from portal.testing import password_hash


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, tzinfo=UTC)


def build(session, world) -> SimpleNamespace:
    fyrbodal, skaraborg = world.region["fyrbodal"], world.region["skaraborg"]
    world.caseworker.gender, world.other_caseworker.gender = "woman", "man"
    supervisor_a = world.supervisor
    supervisor_b = _supervisor(session, world, "handledare.b@vagen.example.se", "man", world.cooperative)
    skovde = Cooperative(
        name="Kooperativet Bron", organisation_number="769600-0002", municipality=world.municipality["Skövde"]
    )
    supervisor_c = _supervisor(session, world, "handledare.c@bron.example.se", "woman", skovde)

    fyrbodal_cohort = _cohort(session, fyrbodal, "Omgång Fyrbodal 2026", date(2026, 1, 10), date(2026, 5, 30), 3)
    skaraborg_cohort = _cohort(session, skaraborg, "Omgång Skaraborg 2026", date(2026, 2, 1), date(2026, 4, 30), 2)
    _trained(
        session,
        supervisor_a,
        fyrbodal_cohort,
        [date(2026, 1, 20), date(2026, 3, 15), date(2026, 5, 20)],
        certified_on=date(2026, 6, 1),
    )
    _trained(session, supervisor_b, fyrbodal_cohort, [date(2026, 1, 20), date(2026, 4, 15)])
    _trained(
        session, supervisor_c, skaraborg_cohort, [date(2026, 2, 10), date(2026, 4, 10)], certified_on=date(2026, 4, 15)
    )

    trollhattan, skovde_town = world.municipality["Trollhättan"], world.municipality["Skövde"]
    fk = dict(authority=world.fk, caseworker=world.caseworker, region=fyrbodal, municipality=trollhattan)
    social = dict(authority=world.social, caseworker=world.other_caseworker, region=skaraborg, municipality=skovde_town)
    made = SimpleNamespace(
        supervisor_a=supervisor_a, supervisor_b=supervisor_b, supervisor_c=supervisor_c, referrals={}
    )

    def referral(name, gender, submitted, place, *, born=None, status=None, education=None, state="matching", hours=20):
        participant = Participant(
            given_name=name,
            family_name="Test",
            gender=gender,
            birth_date=born,
            labour_market_status=status,
            education_level=education,
            municipality=place["municipality"],
            registered_by_authority=place["authority"],
        )
        made_referral = Referral(
            participant=participant,
            authority=place["authority"],
            caseworker=place["caseworker"],
            region=place["region"],
            workflow_name="default",
            workflow_version=1,
            state=state,
            goal="Arbetsträning",
            hours_per_week=hours,
            created_at=submitted - timedelta(days=1),
            submitted_at=submitted,
        )
        session.add(made_referral)
        made.referrals[name] = made_referral
        return made_referral

    def offer(to_referral, supervisor, offered, state, answered=None):
        made_offer = Offer(
            referral=to_referral,
            supervisor=supervisor,
            offered_by=world.caseworker,
            state=state,
            offered_at=offered,
            expires_at=offered + timedelta(days=7),
            responded_at=answered,
        )
        session.add(made_offer)
        return made_offer

    def placement(to_referral, accepted_offer, start, state, end=None, outcome=None):
        made_placement = Placement(
            referral=to_referral,
            offer=accepted_offer,
            supervisor=accepted_offer.supervisor,
            state=state,
            start_date=start.date(),
            started_at=start,
            hours_per_week=to_referral.hours_per_week,
            end_date=end,
            outcome=outcome,
            status_at_entry=to_referral.participant.labour_market_status,
            education_at_entry=to_referral.participant.education_level,
        )
        session.add(made_placement)
        return made_placement

    made.referral, made.offer, made.placement, made.fyrbodal = referral, offer, placement, fk  # for more cases

    r1 = referral(
        "R1",
        "woman",
        at(4, 1),
        fk,
        born=date(1990, 5, 10),
        status="long_term_unemployed",
        education="isced_0_2",
        state="completed",
    )
    placement(
        r1,
        offer(r1, supervisor_a, at(4, 3), "accepted", at(4, 5)),
        at(4, 10),
        "completed",
        date(2026, 6, 19),
        "employment",
    )
    r2 = referral(
        "R2",
        "man",
        at(4, 1),
        fk,
        born=date(2003, 2, 1),
        status="unemployed",
        education="isced_3_4",
        state="active",
        hours=10,
    )
    offer(r2, supervisor_b, at(4, 2), "declined", at(4, 4))
    placement(r2, offer(r2, supervisor_a, at(4, 6), "accepted", at(4, 9)), at(4, 20), "active")
    r3 = referral("R3", "woman", at(4, 10), fk, born=date(1960, 1, 1), status="inactive", state="discontinued")
    placement(
        r3,
        offer(r3, supervisor_a, at(4, 14), "accepted", at(4, 15)),
        at(4, 25),
        "discontinued",
        date(2026, 5, 25),
        "other",
    )
    r4 = referral("R4", "man", at(5, 1), social, born=date(1985, 1, 1), state="active")
    placement(r4, offer(r4, supervisor_c, at(5, 11), "accepted", at(5, 12)), at(5, 22), "active")
    r5 = referral(
        "R5",
        "not_stated",
        at(3, 20),
        fk,
        born=date(1980, 3, 3),
        status="long_term_unemployed",
        education="isced_5_8",
        state="active",
        hours=30,
    )
    placement(r5, offer(r5, supervisor_b, at(3, 25), "accepted", at(4, 2)), at(4, 8), "active")
    r6 = referral("R6", "woman", at(5, 5), fk)
    offer(r6, supervisor_b, at(5, 6), "expired")
    referral("R7", "woman", at(6, 1), fk)
    session.commit()
    return made


def _supervisor(session, world, email, gender, cooperative) -> Supervisor:
    user = User(
        email=email, name=email.split("@")[0].title(), role="supervisor", gender=gender, password_hash=password_hash()
    )
    supervisor = Supervisor(
        user=user, cooperative=cooperative, gender=gender, capacity=3, municipalities={cooperative.municipality}
    )
    session.add(supervisor)
    return supervisor


def _cohort(session, region, name, starts_on, ends_on, modules) -> Cohort:
    cohort = Cohort(region=region, name=name, starts_on=starts_on, ends_on=ends_on)
    for position in range(1, modules + 1):
        Module(cohort=cohort, position=position, title=f"Moment {position}", hours=8)
    session.add(cohort)
    session.flush()
    return cohort


def _trained(session, supervisor, cohort, completed_on, certified_on=None) -> None:
    supervisor.cohort, supervisor.certified_on = cohort, certified_on
    session.flush()
    session.add_all(
        ModuleCompletion(supervisor_id=supervisor.id, module_id=module.id, completed_on=day)
        for module, day in zip(cohort.modules, completed_on, strict=False)
    )


def build_report(app, session, identifier, **raw):
    """A core report built as the pages build it, with `raw` as the page's arguments."""
    offered = app.extensions["portal.reports"].reports[identifier]
    with app.test_request_context():
        values, errors = reports.parse(session, offered.report, raw, access.ReportScope(), date(2026, 11, 1))
        assert errors == {}
        return reports.build(session, offered, values)


def rows(table) -> list[tuple]:
    """Rows with labels as plain text, to compare with hand-written ones."""
    return [tuple(str(value) if hasattr(value, "__html__") else value for value in row) for row in table.rows]


def generate(session, world, made, seed: int = 11, count: int = 60) -> None:
    """`count` more referrals on top of `build`'s, at random (a fixed seed) across 2025 and
    2026 in Fyrbodal and Skaraborg: small cells in most periods, regions and genders."""
    import random

    rng = random.Random(seed)
    fyrbodal, skaraborg = world.region["fyrbodal"], world.region["skaraborg"]
    places = (
        (
            world.fk,
            world.caseworker,
            fyrbodal,
            world.municipality["Trollhättan"],
            (made.supervisor_a, made.supervisor_b),
        ),
        (
            world.social,
            world.other_caseworker,
            skaraborg,
            world.municipality["Skövde"],
            (made.supervisor_c, made.supervisor_a),
        ),
    )
    for number in range(count):
        authority, caseworker, region, municipality, supervisors = rng.choice(places)
        submitted = datetime(2025, 1, 2, 9, tzinfo=UTC) + timedelta(days=rng.randrange(600), hours=rng.randrange(10))
        participant = Participant(
            given_name=f"G{number}",
            family_name="Test",
            gender=rng.choice(("woman", "man", "woman", "man", "not_stated")),
            birth_date=date(rng.randint(1960, 2008), rng.randint(1, 12), rng.randint(1, 28)),
            labour_market_status=rng.choice(("unemployed", "long_term_unemployed", "inactive", None)),
            education_level=rng.choice(("isced_0_2", "isced_3_4", "isced_5_8", None)),
            municipality=municipality,
            registered_by_authority=authority,
        )
        fate = rng.choice(("matching", "declined", "active", "completed", "discontinued", "completed"))
        referral = Referral(
            participant=participant,
            authority=authority,
            caseworker=caseworker,
            region=region,
            workflow_name="default",
            workflow_version=1,
            state="matching" if fate in ("matching", "declined") else fate,
            goal="Arbetsträning",
            hours_per_week=rng.choice((10, 20, 30)),
            created_at=submitted - timedelta(days=1),
            submitted_at=submitted,
        )
        session.add(referral)
        if fate == "matching":
            continue
        offered = submitted + timedelta(days=rng.randint(1, 12), hours=2)
        if fate == "declined" or rng.random() < 0.3:
            declined = Offer(
                referral=referral,
                supervisor=supervisors[-1],
                offered_by=caseworker,
                state=rng.choice(("declined", "expired")),
                offered_at=offered,
                expires_at=offered + timedelta(days=7),
                responded_at=offered + timedelta(days=rng.randint(1, 7)),
            )
            session.add(declined)
            offered += timedelta(days=8)
        if fate == "declined":
            continue
        answered = offered + timedelta(days=rng.randint(1, 6), hours=3)
        accepted = Offer(
            referral=referral,
            supervisor=supervisors[0],
            offered_by=caseworker,
            state="accepted",
            offered_at=offered,
            expires_at=offered + timedelta(days=7),
            responded_at=answered,
        )
        start = (answered + timedelta(days=rng.randint(0, 14))).date()
        ended = start + timedelta(days=rng.randint(10, 120)) if fate in ("completed", "discontinued") else None
        ended = max(min(ended, date(2026, 11, 20)), start) if ended else None
        session.add(
            Placement(
                referral=referral,
                offer=accepted,
                supervisor=accepted.supervisor,
                state=fate,
                start_date=start,
                started_at=datetime.combine(start, datetime.min.time(), UTC) + timedelta(hours=8),
                hours_per_week=referral.hours_per_week,
                end_date=ended,
                outcome=rng.choice(("employment", "education", "job_seeking", "other")) if ended else None,
                status_at_entry=participant.labour_market_status,
                education_at_entry=participant.education_level,
            )
        )
    session.commit()


def generate_training(session, world, made, seed: int = 5, count: int = 14) -> None:
    """`count` supervisors of a 2025 Fyrbodal cohort, trained and certified at random
    over 2025 and 2026: running totals of 5 and more with a few added each quarter (the
    cells that subtracting one quarter's totals from the next would give away)."""
    import random

    rng = random.Random(seed)
    cohort = _cohort(session, world.region["fyrbodal"], "Omgång Fyrbodal 2025", date(2025, 1, 15), date(2026, 9, 30), 2)
    cooperative = made.supervisor_a.cooperative
    for number in range(count):
        supervisor = _supervisor(
            session, world, f"handledare.{number}@kurs.example.se", rng.choice(("woman", "man")), cooperative
        )
        first = date(2025, 1, 20) + timedelta(days=rng.randrange(200))
        last = first + timedelta(days=rng.randrange(20, 400))
        certified = last + timedelta(days=rng.randrange(5, 60)) if rng.random() < 0.8 else None
        _trained(session, supervisor, cohort, [first, min(last, date(2026, 9, 30))], certified_on=certified)
    session.commit()
