"""Who takes part in a referral's conversation (`access.conversations_of`): its
caseworker, its placement's supervisor and the region's coordinators. Messages may be
about the person's health: a colleague at the same authority and the admins see the
rest of the follow-up, but neither read nor write here, and the refusal is audited."""

from __future__ import annotations

from conftest import sign_in
from sqlalchemy import func, select

from portal.domain import access
from portal.domain.audit import REFUSED
from portal.models import AuditEvent, Referral, User
from portal.models.follow_up_records import Message
from portal.testing.helpers import password_hash


def _colleague(session, world) -> User:
    colleague = User(
        email="kollega@fk.example.se",
        name="Kollega",
        role="caseworker",
        authority=world.fk,
        password_hash=password_hash(),
    )
    session.add(colleague)
    session.commit()
    return colleague


def test_only_the_three_parties_take_part(session, world, placement):
    colleague = _colleague(session, world)
    referral = session.get(Referral, placement.referral_id)
    taking_part = {world.caseworker, world.supervisor_user, world.coordinator}
    for user in (world.caseworker, world.supervisor_user, world.coordinator, world.admin, colleague):
        in_sql = session.scalar(select(Referral.id).where(Referral.id == referral.id, access.conversations_of(user)))
        assert (in_sql is not None) == (user in taking_part), user.email
        assert access.takes_part_in_conversation(user, referral) == (user in taking_part), user.email
        visible = session.scalar(
            select(Referral.id).where(Referral.id == referral.id, access.follow_up_visible_to(user))
        )
        assert visible is not None, f"{user.email} still sees the follow-up"


def test_an_admin_and_a_colleague_neither_read_nor_write_and_are_audited(client, session, world, placement):
    colleague = _colleague(session, world)
    path = f"/referrals/{placement.referral_id}/messages"
    for outsider in (world.admin, colleague):
        sign_in(client, outsider.email)
        refused_before = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == REFUSED)
        )
        page = client.get(f"/referrals/{placement.referral_id}").get_data(as_text=True)
        assert path not in page and "/attendance" in page  # the rest of the follow-up stays theirs
        assert client.get(path).status_code == 404
        assert client.post(path, data={"body": "Hej"}).status_code == 404
        session.expire_all()
        refused_after = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == REFUSED))
        assert refused_after == refused_before + 2
        client.post("/sign-out")
    assert session.scalar(select(func.count()).select_from(Message)) == 0
    sign_in(client, world.caseworker.email)
    assert path in client.get(f"/referrals/{placement.referral_id}").get_data(as_text=True)
