"""Removing a registration made by mistake (a mistyped identity number): only a caseworker
of the registering authority, only while no referral of the person has been submitted;
the person goes with their consents and drafts, the trail stays without the number, a
second click is told the registration is gone, and the person can be registered again."""

import pytest
from conftest import sign_in
from sqlalchemy import func, select

from portal.domain import access, audit
from portal.domain.participants import mistaken
from portal.models import (
    AuditEvent,
    Consent,
    Notification,
    Participant,
    Referral,
    Transition,
    User,
)
from portal.models.participants import ParticipantNeed
from portal.testing import at_once, password_hash

NUMBER = "200001012384"  # flows.register's


@pytest.fixture
def drafted(session, engine, vault, world):
    """Kim Andersson, registered by the FK caseworker, with consent and a draft referral
    that has a notification about it: what a removal must take with her."""
    from flows import consent, draft

    referral = draft(session, engine, vault, world)
    consent(session, world, referral)
    session.add(Notification(user=world.caseworker, kind="referral.submitted", referral_id=referral.id))
    session.commit()
    return referral.participant_id


@pytest.fixture
def submitted_case(session, engine, vault, world):
    from flows import submitted

    return submitted(session, engine, vault, world).participant_id


def removable_for(session, user, participant_id) -> bool:
    session.rollback()
    return mistaken.removable(session, user, participant_id)


def remove(client, participant_id, confirm=True):
    return client.post(f"/participants/{participant_id}/remove", data={"confirm_removal": "y"} if confirm else {})


def left_of(session, participant_id, referral_ids) -> dict:
    """How many rows of the person and their drafts are left, table by table."""
    session.rollback()
    counts = {
        "participant": select(func.count()).where(Participant.id == participant_id),
        "consent": select(func.count()).where(Consent.participant_id == participant_id),
        "need": select(func.count()).where(ParticipantNeed.participant_id == participant_id),
        "referral": select(func.count()).where(Referral.participant_id == participant_id),
        "transition": select(func.count()).where(Transition.referral_id.in_(referral_ids)),
        "notification": select(func.count()).where(Notification.referral_id.in_(referral_ids)),
    }
    return {name: session.scalar(query) for name, query in counts.items()}


def details(session, action) -> list:
    session.rollback()
    return session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_the_registering_caseworker_may_remove_with_drafts_or_none(session, vault, world, drafted):
    from flows import register

    bare = register(session, vault, world, number="191212121212")
    session.commit()
    assert removable_for(session, world.caseworker, drafted)
    assert removable_for(session, world.caseworker, bare.id)


def test_no_one_may_remove_once_a_referral_was_submitted(session, world, submitted_case):
    for user in (world.caseworker, world.other_caseworker, world.coordinator, world.admin, world.supervisor_user):
        assert not removable_for(session, user, submitted_case)


@pytest.mark.parametrize("role", ["other_caseworker", "coordinator", "admin", "supervisor_user"])
def test_other_roles_and_authorities_may_not_remove(session, world, drafted, role):
    user = getattr(world, role)
    assert not removable_for(session, user, drafted)
    assert access.may_on_participant(user, access.ParticipantAction.REMOVE) == (user.role == "caseworker")


def test_the_page_offers_the_removal_only_while_it_is_allowed(client, session, engine, world, drafted):
    from portal.domain.referrals import actions as referrals

    sign_in(client, world.caseworker.email)
    page = client.get(f"/participants/{drafted}").get_data(as_text=True)
    assert "Registrerad av misstag?" in page and f"/participants/{drafted}/remove" in page
    session.rollback()
    referral_id = session.scalar(select(Referral.id).where(Referral.participant_id == drafted))
    referrals.act(session, engine, world.caseworker, referral_id, "submit")
    session.commit()
    assert "/remove" not in client.get(f"/participants/{drafted}").get_data(as_text=True)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_offices_see_no_removal_and_are_refused_403_audited(client, session, world, drafted, role):
    sign_in(client, getattr(world, role).email)
    assert "/remove" not in client.get(f"/participants/{drafted}").get_data(as_text=True)
    assert remove(client, drafted).status_code == 403
    assert left_of(session, drafted, [])["participant"] == 1
    assert details(session, audit.REFUSED)[-1] == f"403 POST participants.remove participant_id={drafted}"


@pytest.mark.parametrize("role", ["other_caseworker", "supervisor_user"])
def test_who_cannot_see_the_person_gets_404_audited(client, session, world, drafted, role):
    sign_in(client, getattr(world, role).email)
    assert remove(client, drafted).status_code == 404
    assert left_of(session, drafted, [])["participant"] == 1
    assert details(session, audit.REFUSED)[-1] == f"404 POST participants.remove participant_id={drafted}"


def test_after_submission_the_caseworker_is_refused_and_nothing_goes(client, session, world, submitted_case):
    sign_in(client, world.caseworker.email)
    response = remove(client, submitted_case)
    assert response.status_code == 403
    assert "innan någon remiss om personen har skickats in" in response.get_data(as_text=True)
    assert left_of(session, submitted_case, [])["referral"] == 1
    assert details(session, audit.REFUSED)[-1] == f"403 POST participants.remove participant_id={submitted_case}"


def test_without_the_confirmation_the_error_is_at_the_box_and_nothing_goes(client, session, world, drafted):
    sign_in(client, world.caseworker.email)
    response = remove(client, drafted, confirm=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="confirm_removal-error"' in page and "Kryssa i rutan för att bekräfta." in page
    assert left_of(session, drafted, [])["participant"] == 1
    assert details(session, mistaken.REMOVED) == []


def test_the_removal_takes_everything_and_the_trail_keeps_the_id_not_the_number(client, session, world, drafted):
    session.rollback()
    referral_ids = list(session.scalars(select(Referral.id).where(Referral.participant_id == drafted)))
    sign_in(client, world.caseworker.email)
    client.get(f"/participants/{drafted}")
    response = remove(client, drafted)
    assert response.status_code == 303 and response.location == "/participants"
    assert "Registreringen har tagits bort." in client.get(response.location).get_data(as_text=True)
    assert set(left_of(session, drafted, referral_ids).values()) == {0}
    removal = session.scalars(select(AuditEvent).where(AuditEvent.action == mistaken.REMOVED)).one()
    assert (removal.actor_id, removal.participant_id) == (world.caseworker.id, drafted)
    assert removal.detail == f"registered_by_mistake referrals={referral_ids[0]}"
    assert session.scalar(select(func.count()).where(AuditEvent.participant_id == drafted)) > 1  # earlier reads stay
    trail = " ".join(detail or "" for detail in session.scalars(select(AuditEvent.detail)))
    assert NUMBER not in trail and NUMBER[2:8] not in trail


def test_a_second_click_is_told_the_registration_is_gone(client, session, world, drafted):
    sign_in(client, world.caseworker.email)
    assert remove(client, drafted).status_code == 303
    again = remove(client, drafted)
    assert again.status_code == 303 and again.location == "/participants"
    assert "Registreringen var redan borttagen." in client.get(again.location).get_data(as_text=True)
    assert len(details(session, mistaken.REMOVED)) == 1


def test_to_another_authority_a_removed_registration_is_like_none(client, session, world, drafted):
    sign_in(client, world.caseworker.email)
    remove(client, drafted)
    client.post("/sign-out")
    sign_in(client, world.other_caseworker.email)
    assert remove(client, drafted).status_code == 404


def test_two_tabs_at_once_remove_once_and_neither_fails(app, session, world, drafted):
    caseworker_id = world.caseworker.id

    def removing(session):
        mistaken.remove(session, session.get(User, caseworker_id), drafted)

    outcomes = at_once(app, [removing, removing])
    assert sorted(map(str, outcomes)) == [f"AlreadyRemoved({drafted})", "ok"]
    assert len(details(session, mistaken.REMOVED)) == 1


def test_the_person_is_registered_again_after_the_removal(client, session, world, drafted):
    sign_in(client, world.caseworker.email)
    remove(client, drafted)
    response = client.post(
        "/participants/new",
        data={
            "personnummer": NUMBER,
            "given_name": "Kim",
            "family_name": "Andersson",
            "municipality_id": str(world.municipality["Trollhättan"].id),
            "gender": "woman",
        },
    )
    assert response.status_code == 302
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Participant)) == 1
    assert response.location == f"/participants/{session.scalar(select(Participant.id))}"


def test_a_colleague_at_the_same_authority_may_remove(session, world, drafted):
    colleague = User(
        email="kollega@fk.example.se",
        name="Kollega",
        role="caseworker",
        authority_id=world.caseworker.authority_id,
        password_hash=password_hash(),
    )
    session.add(colleague)
    session.commit()
    assert removable_for(session, colleague, drafted)


def test_a_removal_racing_a_consent_withdrawal_leaves_the_person_gone(app, session, engine, world, drafted):
    """The removal locks the consent first, as the withdrawal does: no deadlock, and
    whichever goes second sees what the first did (a withdrawal after: no such consent)."""
    from portal.domain.calendar import local_today
    from portal.domain.participants import withdrawal

    session.rollback()
    consent_id = session.scalar(select(Consent.id).where(Consent.participant_id == drafted))
    caseworker_id = world.caseworker.id

    def removing(session):
        mistaken.remove(session, session.get(User, caseworker_id), drafted)

    def withdrawing(session):
        actor = session.get(User, caseworker_id)
        withdrawal.withdraw_consent(session, engine, actor, drafted, consent_id, local_today())

    outcomes = at_once(app, [removing, withdrawing])
    assert outcomes[0] == "ok" and outcomes[1] in ("ok", 404)
    assert set(left_of(session, drafted, []).values()) == {0}


def test_a_removed_registrations_ids_are_never_given_again(session, engine, vault, world, drafted):
    """The trail names the person and the draft by id: the next registration and the
    next referral get new ids, not the removed ones (SQLite too, migration 0024)."""
    from flows import draft

    referral_id = session.scalars(select(Referral.id).where(Referral.participant_id == drafted)).one()
    assert drafted == session.scalar(select(func.max(Participant.id)))
    assert referral_id == session.scalar(select(func.max(Referral.id)))
    mistaken.remove(session, world.caseworker, drafted)
    session.commit()
    again = draft(session, engine, vault, world)
    assert again.participant_id > drafted and again.id > referral_id
