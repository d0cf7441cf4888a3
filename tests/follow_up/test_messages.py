"""A referral's conversation: the others are told without the text, unread counts follow
what each has opened, reads are audited, and nobody writes where they cannot see."""

from __future__ import annotations

import pytest
from conftest import sign_in
from sqlalchemy import func, select

from portal.domain.audit import REFUSED
from portal.domain.errors import InvalidInput
from portal.domain.follow_up import messages
from portal.domain.referrals.transitions import Refused
from portal.models import AuditEvent, Notification, OutboxMessage
from portal.models.follow_up_records import Message


def count(session, model, *conditions):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_a_message_tells_the_others_by_mail_without_its_text(app, session, world, placement):
    messages.send(session, app.config, world.supervisor_user, placement.referral_id, "Kim var sjuk i dag.")
    session.commit()
    told = set(session.scalars(select(Notification.user_id).where(Notification.kind == messages.KIND)))
    assert told == {world.caseworker.id, world.coordinator.id}
    mails = session.scalars(select(OutboxMessage).join(Notification).where(Notification.kind == messages.KIND)).all()
    assert {mail.recipient for mail in mails} == {world.caseworker.email, world.coordinator.email}
    for mail in mails:
        assert str(placement.referral_id) in mail.subject
        assert "sjuk" not in mail.body_text and world.supervisor_user.name not in mail.body_text


def test_unread_counts_follow_what_each_has_opened(app, session, world, placement):
    messages.send(session, app.config, world.supervisor_user, placement.referral_id, "Hej")
    messages.send(session, app.config, world.supervisor_user, placement.referral_id, "Hej igen")
    session.commit()
    assert messages.unread_count(session, world.caseworker) == 2
    assert messages.unread_count(session, world.supervisor_user) == 0
    assert messages.unread_count(session, world.other_caseworker) == 0
    conversation = messages.open_conversation(session, world.caseworker, placement.referral_id)
    session.commit()
    assert [m.body for m in conversation.messages] == ["Hej", "Hej igen"]
    assert messages.unread_count(session, world.caseworker) == 0
    assert (
        count(session, AuditEvent, AuditEvent.action == "messages.view", AuditEvent.actor_id == world.caseworker.id)
        == 1
    )
    messages.send(session, app.config, world.caseworker, placement.referral_id, "Tack")
    session.commit()
    assert messages.unread_count(session, world.supervisor_user) == 1
    assert [(s.referral_id, s.unread) for s in messages.summaries(session, world.supervisor_user)] == [
        (placement.referral_id, 1)
    ]


@pytest.mark.parametrize("text", ["", "   ", "x" * (messages.LONGEST + 1)])
def test_an_empty_or_too_long_message_is_refused_at_the_field(app, session, world, placement, text):
    with pytest.raises(InvalidInput) as refused:
        messages.send(session, app.config, world.caseworker, placement.referral_id, text)
    assert set(refused.value.errors) == {"body"}
    session.rollback()
    assert count(session, Message) == 0


def test_nobody_writes_to_a_referral_they_cannot_see(app, session, world, placement):
    with pytest.raises(Refused) as refused:
        messages.send(session, app.config, world.other_caseworker, placement.referral_id, "Hej")
    assert refused.value.status == 404
    session.rollback()
    assert count(session, Message) == 0
    assert count(session, Notification, Notification.kind == messages.KIND) == 0


def test_messages_both_ways_through_the_pages(client, session, world, placement):
    path = f"/referrals/{placement.referral_id}/messages"
    sign_in(client, world.caseworker.email)
    assert client.post(path, data={"body": "Hur går det?"}).status_code == 303
    client.post("/sign-out")
    sign_in(client, world.supervisor_user.email)
    assert "Meddelanden (olästa: 1)" in client.get("/").get_data(as_text=True)
    assert "Hur går det?" in client.get(path).get_data(as_text=True)
    assert "Meddelanden (olästa: 1)" not in client.get("/").get_data(as_text=True)
    response = client.post(path, data={"body": ""})
    assert response.status_code == 400 and 'id="body-error"' in response.get_data(as_text=True)
    assert client.post(path, data={"body": "Bra!"}).status_code == 303
    client.post("/sign-out")
    sign_in(client, world.other_caseworker.email)
    assert client.get(path).status_code == 404
    assert client.post(path, data={"body": "Intrång"}).status_code == 404
    assert [m for m in session.scalars(select(Message.body).order_by(Message.id))] == ["Hur går det?", "Bra!"]
    refused = session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == REFUSED, AuditEvent.actor_id == world.other_caseworker.id)
    ).all()
    assert f"404 POST messages.conversation referral_id={placement.referral_id}" in refused
