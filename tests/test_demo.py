"""domain.demo: the demo data `portal demo` starts with, and the rules it keeps."""

from collections import Counter
from datetime import UTC, datetime
from importlib import resources

import pytest
from sqlalchemy import func, select

from portal.demo import data as demo
from portal.domain.accounts.users import authenticate
from portal.domain.participants.privacy import parse
from portal.extensions import db
from portal.models import (
    Authority,
    AuthorityKind,
    Cooperative,
    Gender,
    Module,
    ModuleCompletion,
    Municipality,
    Offer,
    OfferState,
    Participant,
    Placement,
    PlacementState,
    Referral,
    Region,
    Role,
    Supervisor,
    User,
)

# Every state of the default workflow a referral rests in: "submitted" moves on to "matching"
# at once, and "closed" comes after the demo's time.
WORKFLOW_STATES = ("draft", "matching", "offered", "accepted", "active", "completed", "discontinued", "withdrawn")
RUNNING = (PlacementState.PLANNED, PlacementState.ACTIVE)


@pytest.fixture
def vault(app):
    return app.extensions["portal.vault"]


@pytest.fixture
def logins(session, vault):
    """The demo, loaded and committed as `portal demo` does."""
    logins = demo.load(session, vault)
    session.commit()
    return logins


def row_counts(session) -> dict[str, int]:
    return {table.name: session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables}


def skatteverket_test_numbers() -> set[str]:
    text = resources.files("portal").joinpath("data/test-personnummer.txt").read_text(encoding="utf-8")
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


def luhn_valid(digits: str) -> bool:
    return sum(sum(divmod(int(digit) * (2 - position % 2), 10)) for position, digit in enumerate(digits)) % 10 == 0


def test_loading_twice_adds_nothing(session, vault, logins):
    before = row_counts(session)
    assert demo.load(session, vault) == logins
    session.commit()
    assert row_counts(session) == before


def test_load_leaves_the_commit_to_the_caller(session, vault):
    demo.load(session, vault)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_returns_one_login_per_role(session, logins):
    assert list(logins) == ["caseworker", "supervisor", "coordinator", "admin"]
    roles = {email: role for email, role in session.execute(select(User.email, User.role))}
    assert all(roles[email] == role for role, email in logins.items())


def test_every_login_signs_in_with_the_demo_password(session, logins):
    assert len(demo.DEMO_PASSWORD) >= 12
    for role, email in logins.items():
        user = authenticate(session, email, demo.DEMO_PASSWORD)
        assert user is not None and user.role == role


def test_the_four_regions_and_their_43_municipalities_are_there(session, logins):
    assert session.scalar(select(func.count()).select_from(Region)) == 4
    assert session.scalar(select(func.count()).select_from(Municipality)) == 43


def test_every_region_has_one_coordinator(session, logins):
    coordinators = session.scalars(select(User.region_id).where(User.role == Role.COORDINATOR)).all()
    assert sorted(coordinators) == sorted(session.scalars(select(Region.id)))


def test_every_kind_of_authority_refers_through_a_caseworker(session, logins):
    kinds = session.scalars(select(Authority.kind).join(User, User.authority_id == Authority.id)).all()
    assert set(kinds) == set(AuthorityKind)


def test_26_supervisors_cover_every_region_with_women_and_men(session, logins):
    supervisors = session.scalars(select(Supervisor)).all()
    assert len(supervisors) == 26
    assert {s.cooperative.municipality.region.code for s in supervisors} == set(session.scalars(select(Region.code)))
    assert {Gender.WOMAN, Gender.MAN} <= {s.gender for s in supervisors}
    assert all(s.user.role == Role.SUPERVISOR and 1 <= s.capacity <= 4 and "sv" in s.languages for s in supervisors)


def test_supervisors_serve_their_cooperatives_municipality_and_others_in_its_region(session, logins):
    for supervisor in session.scalars(select(Supervisor)):
        home = supervisor.cooperative.municipality
        assert home in supervisor.municipalities and len(supervisor.municipalities) > 1
        assert {m.region_id for m in supervisor.municipalities} == {home.region_id}


def test_cooperative_numbers_are_unique_luhn_valid_economic_associations(session, logins):
    numbers = session.scalars(select(Cooperative.organisation_number)).all()
    assert len(numbers) == len(set(numbers)) >= 12
    for number in numbers:
        assert len(number) == 11 and number[6] == "-" and number.startswith("769")
        assert luhn_valid(number.replace("-", ""))


def test_certified_supervisors_completed_every_module_and_the_others_did_not(session, logins):
    done = Counter(session.scalars(select(ModuleCompletion.supervisor_id)))
    supervisors = session.scalars(select(Supervisor)).all()
    for supervisor in supervisors:
        modules = session.scalar(select(func.count()).where(Module.cohort_id == supervisor.cohort_id))
        assert 4 <= modules <= 6
        assert (done[supervisor.id] == modules) == supervisor.certified
    assert not all(s.certified for s in supervisors) and not all(s.active for s in supervisors)


def test_referrals_stand_in_every_state_of_the_default_workflow(session, logins):
    referrals = session.scalars(select(Referral)).all()
    assert {r.state for r in referrals} == set(WORKFLOW_STATES)
    assert {(r.workflow_name, r.workflow_version) for r in referrals} == {("default", 1)}
    assert all((r.submitted_at is None) == (r.state == "draft") for r in referrals)


def test_demo_caseworker_has_a_referral_in_every_state(session, logins):
    caseworker = session.scalar(select(User).where(User.email == logins["caseworker"]))
    states = session.scalars(select(Referral.state).where(Referral.caseworker_id == caseworker.id))
    assert set(states) == set(WORKFLOW_STATES)


def test_referrals_belong_to_the_participants_region_and_the_caseworkers_authority(session, logins):
    for referral in session.scalars(select(Referral)):
        assert referral.region_id == referral.participant.municipality.region_id
        assert referral.authority_id == referral.caseworker.authority_id
        assert referral.authority_id == referral.participant.registered_by_authority_id
        assert 1 <= referral.hours_per_week <= 40 and referral.goal


def test_identity_numbers_are_encrypted_test_numbers(session, vault, logins):
    participants = session.scalars(select(Participant)).all()
    test_numbers = skatteverket_test_numbers()
    numbers = [vault.decrypt(p.personnummer_ciphertext) for p in participants]
    assert len(participants) >= 50 and set(numbers) <= test_numbers and len(set(numbers)) == len(numbers)
    for participant, number in zip(participants, numbers, strict=False):
        assert participant.birth_date.strftime("%Y%m%d") == number[:8]
        assert participant.personnummer_index == vault.blind_index(parse(number))


def test_no_participant_row_holds_an_identity_number_in_clear(session, logins):
    ten_digit_forms = {number[2:] for number in skatteverket_test_numbers()}
    for row in session.execute(select(Participant.__table__)):
        for value in row:
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            assert not any(number in text for number in ten_digit_forms)


def test_consent_is_given_on_or_before_every_submission(session, logins):
    for referral in session.scalars(select(Referral).where(Referral.submitted_at.is_not(None))):
        given = [c.given_on for c in referral.participant.consents]
        assert given and min(given) <= referral.submitted_at.date()


def test_no_supervisor_runs_more_placements_than_capacity(session, logins):
    running = Counter(session.scalars(select(Placement.supervisor_id).where(Placement.state.in_(RUNNING))))
    assert running
    for supervisor in session.scalars(select(Supervisor)):
        assert running[supervisor.id] <= supervisor.capacity


def test_offers_and_placements_follow_the_referral_state(session, logins):
    now = datetime.now(UTC)
    placement_state = {
        "accepted": PlacementState.PLANNED,
        "active": PlacementState.ACTIVE,
        "completed": PlacementState.COMPLETED,
        "discontinued": PlacementState.DISCONTINUED,
    }
    for referral in session.scalars(select(Referral)):
        last_offer = referral.offers[-1] if referral.offers else None
        if referral.state == "offered":
            assert last_offer.state == OfferState.OPEN and last_offer.expires_at > now
        if referral.state in placement_state:
            assert last_offer.state == OfferState.ACCEPTED
            assert referral.placement.offer_id == last_offer.id
            assert referral.placement.state == placement_state[referral.state]
        else:
            assert referral.placement is None
        if referral.state in ("completed", "discontinued"):
            assert referral.placement.end_date and referral.placement.outcome
        if referral.state == "discontinued":
            assert referral.placement.outcome == "other" and referral.placement.outcome_note
        assert all(o.state == OfferState.DECLINED and o.decline_reason for o in referral.offers[:-1])


def test_some_referrals_in_matching_were_declined_with_a_reason(session, logins):
    declined = session.scalars(
        select(Offer).join(Referral).where(Referral.state == "matching", Offer.state == OfferState.DECLINED)
    ).all()
    assert declined and all(offer.decline_reason and offer.responded_at for offer in declined)


def test_offers_go_to_supervisors_certified_before_and_serving_the_region(session, logins):
    for offer in session.scalars(select(Offer)):
        supervisor = offer.supervisor
        assert supervisor.certified and supervisor.certified_on < offer.offered_at.date()
        assert supervisor.cooperative.municipality.region_id == offer.referral.region_id
    for placement in session.scalars(select(Placement)):
        assert placement.referral.participant.municipality in placement.supervisor.municipalities


def test_each_referrals_timeline_is_ordered_and_ends_in_its_state(session, logins):
    now = datetime.now(UTC)
    for referral in session.scalars(select(Referral)):
        steps = sorted(referral.transitions, key=lambda t: t.id)
        assert steps[0].from_state is None and steps[0].occurred_at == referral.created_at
        assert [t.from_state for t in steps[1:]] == [t.to_state for t in steps[:-1]]
        assert all(earlier.occurred_at < later.occurred_at for earlier, later in zip(steps, steps[1:], strict=False))
        assert steps[-1].to_state == referral.state and steps[-1].occurred_at < now
        assert all(t.name for t in steps)
        assert all(t.actor_id for t in steps if t.name != "start_matching")  # automatic steps have no actor


def test_ended_referrals_closed_when_they_took_their_last_step(session, logins):
    for referral in session.scalars(select(Referral)):
        last_step = max(referral.transitions, key=lambda t: t.id)
        ended = referral.state in ("completed", "discontinued", "withdrawn")
        assert referral.closed_at == (last_step.occurred_at if ended else None)


REGIONAL = [
    ("fyrbodal", "fyrbodal", "fyrbodal"),
    ("skaraborg", "skaraborg", "skaraborg"),
    ("sjuharad", "sjuharad", "sjuharad"),
    ("goteborg", "goteborgsregionen", "goteborg"),
]


def test_portal_demo_enables_each_bundled_regional_plugin_in_its_own_region_once(runner, session, engine):
    """`make demo` installs the bundled plugins; `portal demo` turns each on where it belongs."""
    from portal.domain.referrals.actions import workflow_for_region

    first = runner.invoke(args=["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    for plugin, region, workflow in REGIONAL:
        assert f"Enabled the plugin {plugin} in {region}." in first.output
        assert workflow_for_region(session, engine, region).name == workflow
    (line,) = [line for line in first.output.splitlines() if line.startswith("Test personnummer")]
    assert len(line.split(": ")[1].split(", ")) == 3
    again = runner.invoke(args=["demo", "--no-serve"])
    assert again.exit_code == 0 and "Enabled the plugin" not in again.output


def test_portal_demo_has_a_referral_in_each_regional_workflows_own_step(runner, session, client):
    """Fyrbodal's review, Skaraborg's three-party meeting, Sjuhärad's trial and Göteborg's
    parallel offers are there to look at, each in its region, and each page opens."""
    assert runner.invoke(args=["demo", "--no-serve"]).exit_code == 0
    own_steps = {
        ("fyrbodal", "fyrbodal", "in_review"),
        ("skaraborg", "skaraborg", "meeting_held"),
        ("sjuharad", "sjuharad", "trial"),
        ("goteborg", "goteborgsregionen", "offered"),
    }
    referrals = session.scalars(select(Referral).where(Referral.workflow_name != "default")).all()
    assert {(r.workflow_name, r.region.code, r.state) for r in referrals} == own_steps
    (parallel,) = [r for r in referrals if r.workflow_name == "goteborg"]
    assert [offer.state for offer in parallel.offers] == [OfferState.OPEN, OfferState.OPEN]
    assert session.scalar(select(func.count()).select_from(Participant)) == len(
        {p for p in session.scalars(select(Participant.personnummer_index))}
    )  # every demo participant has a number of their own
    assert client.post(
        "/sign-in", data={"email": demo.LOGINS["admin"], "password": demo.DEMO_PASSWORD}
    ).status_code in (
        302,
        303,
    )
    for referral in referrals:
        assert client.get(f"/referrals/{referral.id}").status_code == 200, referral.workflow_name
