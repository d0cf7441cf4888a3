"""Issue 10.5: a refused attempt at an object is in the audit trail: who, what, when."""

from conftest import sign_in
from sqlalchemy import select

from portal.domain.audit import REFUSED
from portal.domain.calendar import local_today
from portal.models import AuditEvent


def refusals(session):
    session.rollback()
    return session.scalars(select(AuditEvent).where(AuditEvent.action == REFUSED).order_by(AuditEvent.id)).all()


def test_a_404_on_another_authoritys_referral_is_audited(client, session, world, case):
    sign_in(client, world.other_caseworker.email)
    assert client.get(f"/referrals/{case['referral_id']}").status_code == 404
    [event] = refusals(session)
    assert event.actor_id == world.other_caseworker.id and event.occurred_at is not None
    assert event.detail == f"404 GET referrals.show referral_id={case['referral_id']}"


def test_a_403_for_a_role_is_audited(client, session, world, case):
    sign_in(client, world.supervisor_user.email)
    response = client.post(
        f"/participants/{case['participant_id']}/consents",
        data={"scope": "referral", "method": "written", "given_on": local_today().isoformat()},
    )
    assert response.status_code == 403
    [event] = refusals(session)
    assert event.actor_id == world.supervisor_user.id
    assert event.detail.startswith("403 POST participants.add_consent participant_id=")


def test_a_missing_object_is_audited_and_allowed_pages_are_not(client, session, world, case):
    sign_in(client, world.caseworker.email)
    assert client.get(f"/referrals/{case['referral_id']}").status_code == 200
    assert client.get("/participants/999999").status_code == 404
    assert [event.detail for event in refusals(session)] == ["404 GET participants.show participant_id=999999"]
