"""Notifications: written with the change they report, in each recipient's language,
with nothing personal in them; the in-app list, marking read, and the header count."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import sign_in
from queries import counting_queries
from sqlalchemy import func, select

from portal.domain.notifications import inbox as notifications
from portal.domain.participants.privacy import parse
from portal.models import Notification, Offer, OutboxMessage, Participant, Referral

BASE_URL = "https://portal.example.se"
IDENTITY_NUMBER = "200001012384"  # Skatteverket's test number


@pytest.fixture
def referral(app, session, world):
    vault = app.extensions["portal.vault"]
    number = parse(IDENTITY_NUMBER)
    person = Participant(
        given_name="Märta",
        family_name="Testsson",
        municipality=world.municipality["Trollhättan"],
        registered_by_authority=world.fk,
        personnummer_ciphertext=vault.encrypt(number),
        personnummer_index=vault.blind_index(number),
    )
    case = Referral(
        participant=person,
        authority=world.fk,
        caseworker=world.caseworker,
        region=world.region["fyrbodal"],
        workflow_name="default",
        workflow_version=1,
        state="offered",
        hours_per_week=10,
        goal="Arbetsträning efter utmattningssyndrom",
        notes="Diagnos: depression",
    )
    session.add(case)
    world.caseworker.name, world.supervisor_user.name = "Karin Lindqvist", "Olle Berg"
    session.commit()
    return case


def notify(app, session, recipients, kind="offer_received", referral_id=None, **extra):
    with app.app_context():
        return notifications.notify(
            session,
            recipients=recipients,
            kind=kind,
            referral_id=referral_id,
            settings={**app.config, "BASE_URL": BASE_URL},
            **extra,
        )


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_notify_writes_a_notification_and_an_email_per_recipient_when_the_caller_commits(app, session, world, referral):
    notify(app, session, [world.supervisor_user, world.caseworker], referral_id=referral.id)
    session.commit()
    rows = session.scalars(select(Notification).order_by(Notification.id)).all()
    assert [(row.user_id, row.kind, row.referral_id, row.read_at) for row in rows] == [
        (world.supervisor_user.id, "offer_received", referral.id, None),
        (world.caseworker.id, "offer_received", referral.id, None),
    ]
    messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(message.notification_id, message.recipient) for message in messages] == [
        (rows[0].id, world.supervisor_user.email),
        (rows[1].id, world.caseworker.email),
    ]
    assert all(message.sent_at is None and message.attempts == 0 for message in messages)


def test_notify_is_rolled_back_with_the_callers_transaction(app, session, world, referral):
    notify(app, session, [world.supervisor_user], referral_id=referral.id)
    session.rollback()
    assert count(session, Notification) == count(session, OutboxMessage) == 0


def test_each_recipient_gets_the_email_in_their_own_language(app, session, world, referral):
    world.supervisor_user.locale = "en"
    notify(app, session, [world.supervisor_user, world.caseworker], referral_id=referral.id)
    session.commit()
    english, swedish = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert english.subject == f"New referral offered to you (no. {referral.id})"
    assert "has been offered to you" in english.body_text
    assert swedish.subject == f"Ny remiss erbjuden till dig (nr {referral.id})"
    assert "har erbjudits dig" in swedish.body_text


def test_an_offer_email_says_when_to_answer_by(app, session, world, referral):
    expires = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
    session.add(
        Offer(
            referral=referral,
            supervisor=world.supervisor,
            offered_by=world.caseworker,
            state="open",
            offered_at=expires - timedelta(days=7),
            expires_at=expires,
        )
    )
    session.commit()
    notify(app, session, [world.supervisor_user], referral_id=referral.id)
    message = session.scalar(select(OutboxMessage))
    assert "Svara senast 9 december 2026 10:00." in message.body_text  # Stockholm time


@pytest.mark.parametrize("kind", notifications.KINDS)
def test_emails_carry_only_the_kind_the_number_and_a_link(app, session, world, referral, kind):
    notify(app, session, [world.supervisor_user], kind=kind, referral_id=referral.id)
    message = session.scalar(select(OutboxMessage))
    text = message.subject + "\n" + message.body_text
    assert str(referral.id) in message.subject
    assert f"{BASE_URL}/referrals/{referral.id}" in message.body_text
    for secret in (
        "Märta",
        "Testsson",
        IDENTITY_NUMBER,
        "000101-2384",
        "utmattning",
        "depression",
        world.caseworker.name,
        world.supervisor_user.name,
    ):
        assert secret.lower() not in text.lower(), secret


def test_without_a_referral_the_email_links_to_the_notifications_page(app, session, world):
    notify(app, session, [world.caseworker], kind="offer_expired", referral_id=None)
    message = session.scalar(select(OutboxMessage))
    assert f"{BASE_URL}/notifications" in message.body_text and "/referrals/" not in message.body_text


def test_an_inactive_account_gets_the_notification_but_no_email(app, session, world, referral):
    world.caseworker.active = False
    notify(app, session, [world.caseworker], kind="offer_accepted", referral_id=referral.id)
    session.commit()
    assert count(session, Notification) == 1 and count(session, OutboxMessage) == 0


def test_an_unknown_kind_is_refused(app, session, world):
    with pytest.raises(ValueError):
        notify(app, session, [world.caseworker], kind="no_such_kind")


def test_list_and_count_show_only_the_users_own_notifications_newest_first(app, session, world, referral):
    notify(app, session, [world.caseworker], kind="offer_accepted", referral_id=referral.id)
    notify(app, session, [world.caseworker, world.other_caseworker], kind="placement_started", referral_id=referral.id)
    session.commit()
    page = notifications.list_for(session, world.caseworker, 1, 10)
    assert [row.kind for row in page.items] == ["placement_started", "offer_accepted"]
    assert page.total == 2
    assert notifications.unread_count(session, world.caseworker) == 2
    assert notifications.unread_count(session, world.other_caseworker) == 1


def test_mark_read_touches_only_the_users_own_rows(app, session, world, referral):
    notify(app, session, [world.caseworker, world.other_caseworker], kind="offer_declined", referral_id=referral.id)
    session.commit()
    own, others = session.scalars(select(Notification).order_by(Notification.id)).all()
    assert notifications.mark_read(session, world.caseworker, [own.id, others.id]) == 1
    session.commit()
    session.expire_all()
    assert own.read_at is not None and others.read_at is None
    assert notifications.mark_read(session, world.caseworker, [own.id]) == 0, "already read"


def test_notifications_page_requires_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and response.location.startswith("/sign-in")


def test_notifications_page_lists_own_notifications_with_links_and_unread_marked(app, client, session, world, referral):
    notify(app, session, [world.caseworker], kind="offer_accepted", referral_id=referral.id)
    notify(app, session, [world.other_caseworker], kind="referral_withdrawn", referral_id=referral.id)
    session.commit()
    sign_in(client, world.caseworker.email)
    page = client.get("/notifications").get_data(as_text=True)
    assert "<h1>Notiser</h1>" in page and "<caption" in page
    assert f'<a href="/referrals/{referral.id}">Erbjudandet antaget (remiss nr {referral.id})</a>' in page
    assert "Oläst" in page
    assert "återkallats" not in page, "another user's notification"
    assert "Märta" not in page


def test_marking_read_clears_the_unread_mark_and_the_header_count(app, client, session, world, referral):
    notify(app, session, [world.caseworker], kind="offer_accepted", referral_id=referral.id)
    notify(app, session, [world.caseworker], kind="placement_started", referral_id=referral.id)
    session.commit()
    sign_in(client, world.caseworker.email)
    assert "Notiser (2)" in client.get("/").get_data(as_text=True)
    ids = session.scalars(select(Notification.id)).all()
    response = client.post("/notifications/read", data={"notification_id": ids, "page": "1"})
    assert response.status_code == 302 and response.location == "/notifications?page=1"
    page = client.get("/notifications").get_data(as_text=True)
    assert "Notiser (0)" in page and "Oläst" not in page


def test_marking_read_ignores_other_users_notifications(app, client, session, world, referral):
    notify(app, session, [world.other_caseworker], kind="offer_accepted", referral_id=referral.id)
    session.commit()
    sign_in(client, world.caseworker.email)
    other = session.scalar(select(Notification))
    assert client.post("/notifications/read", data={"notification_id": [other.id]}).status_code == 302
    session.expire_all()
    assert other.read_at is None


def test_marking_read_needs_the_forms_csrf_token(make_app, session, world, referral):
    app = make_app(WTF_CSRF_ENABLED=True)
    notify(app, session, [world.caseworker], kind="offer_accepted", referral_id=referral.id)
    session.commit()
    client = app.test_client()
    with client.session_transaction() as browser_session:
        browser_session["_user_id"] = str(world.caseworker.id)
        browser_session["_fresh"] = True
    notification = session.scalar(select(Notification))
    assert client.post("/notifications/read", data={"notification_id": [notification.id]}).status_code == 400
    session.expire_all()
    assert notification.read_at is None


def test_the_header_count_costs_one_query(app, client, session, world, referral):
    notify(app, session, [world.caseworker], kind="offer_accepted", referral_id=referral.id)
    session.commit()
    sign_in(client, world.caseworker.email)
    with counting_queries(app) as statements:
        page = client.get("/").get_data(as_text=True)
    assert "Notiser (1)" in page
    counts = [s for s in statements if "notification" in s and "count(*)" in s.lower()]  # the to-do list reads others
    assert len(counts) == 1


def unread(session, user) -> list[int | None]:
    session.expire_all()
    query = select(Notification.referral_id).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    return list(session.scalars(query))


@pytest.mark.parametrize("page", ["/referrals/{id}", "/referrals/{id}/match"])
def test_opening_the_referral_marks_the_users_notifications_about_it_read(app, client, session, world, referral, page):
    referral.state = "matching"  # where both the referral page and its match page open
    other = Referral(
        participant=referral.participant,
        authority=world.fk,
        caseworker=world.caseworker,
        region=world.region["fyrbodal"],
        workflow_name="default",
        workflow_version=1,
        state="withdrawn",
        hours_per_week=10,
        goal="Tidigare remiss",
    )
    session.add(other)
    session.commit()
    notify(app, session, [world.caseworker, world.coordinator], kind="referral_needs_action", referral_id=referral.id)
    notify(app, session, [world.caseworker], kind="referral_needs_action", referral_id=other.id)
    session.commit()
    sign_in(client, world.caseworker.email)
    assert client.get(page.format(id=referral.id)).status_code < 400
    assert unread(session, world.caseworker) == [other.id]
    assert unread(session, world.coordinator) == [referral.id]


def test_an_offer_made_through_the_domain_is_answered_by_a_day_a_person_can_read(
    app, session, engine, vault, world, certified
):
    from flows import submitted

    from portal.domain.calendar import last_day
    from portal.domain.referrals.transitions import fire

    referral = submitted(session, engine, vault, world)
    saturday = datetime(2025, 11, 29, 15, 0, tzinfo=UTC)
    fire(
        session,
        engine,
        referral,
        "offer",
        actor=world.caseworker,
        params={"supervisor_ids": [certified.id]},
        now=saturday,
    )
    session.commit()
    offer = session.scalar(select(Offer).where(Offer.referral_id == referral.id))
    assert last_day(offer.expires_at, "Europe/Stockholm").isoformat() == "2025-12-05"
    notify(app, session, [world.supervisor_user], referral_id=referral.id)
    message = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert "Svara senast fredag 5 december 2025." in message.body_text


@pytest.mark.parametrize("kind", sorted(notifications.KINDS))
def test_every_kind_of_notification_links_to_what_it_is_about_and_opening_it_marks_it_read(
    app, client, session, world, referral, kind
):
    notify(app, session, [world.caseworker], kind=kind, referral_id=referral.id)
    session.commit()
    sign_in(client, world.caseworker.email)
    listed = client.get("/notifications").get_data(as_text=True)
    link = f'href="/referrals/{referral.id}"'
    assert link in listed, kind
    assert unread(session, world.caseworker) == [referral.id]
    assert client.get(f"/referrals/{referral.id}").status_code == 200
    assert unread(session, world.caseworker) == [], kind
