"""Issue 14, point 2: structured meetings on a placement, booked with a calendar
invitation that later changes and cancellations update (same UID, next SEQUENCE,
METHOD:CANCEL), then recorded with who attended, notes and agreed actions."""

from datetime import timedelta

import pytest
from mailserver import SENDER
from sqlalchemy import select

from portal.domain.calendar import local_today
from portal.domain.follow_up import calendar_files
from portal.domain.notifications.outbox import MailerSettings, send_due
from portal.models import Meeting
from portal.testing import sign_in

TOMORROW = (local_today() + timedelta(days=1)).isoformat()
BOOKING = {"kind": "start", "day": TOMORROW, "at": "10:00", "minutes": "60", "place": "Kooperativet, Storgatan 1"}


def meetings_of(session, referral_id):
    session.rollback()
    return session.scalars(select(Meeting).where(Meeting.referral_id == referral_id)).all()


def invitations(session, mail_server):
    """Send what the outbox holds to the real SMTP server; the calendar parts received."""
    send_due(session, MailerSettings(host="127.0.0.1", port=mail_server.port, sender=SENDER, timeout=5))
    found = []
    for message in mail_server.inbox.messages:
        for part in message.iter_attachments():
            if part.get_content_type() == "text/calendar":
                found.append((message["To"], part.get_param("method"), part.get_content()))
    mail_server.inbox.messages.clear()
    return found


def field(text, name):
    return next(line.split(":", 1)[1] for line in text.split("\r\n") if line.split(":", 1)[0].split(";")[0] == name)


def test_booking_changing_and_cancelling_send_one_event_updated_in_place(
    mailed_settings, client, session, world, accepted, mail_server
):
    referral = accepted()
    sign_in(client, world.supervisor_user.email)
    assert client.post(f"/referrals/{referral.id}/meetings", data=BOOKING).status_code == 303
    [meeting] = meetings_of(session, referral.id)

    booked = invitations(session, mail_server)
    assert sorted(to for to, _, _ in booked) == sorted([world.caseworker.email, world.supervisor_user.email])
    _, method, ics = booked[0]
    assert method == "REQUEST" and field(ics, "METHOD") == "REQUEST"
    assert field(ics, "UID") == meeting.uid and field(ics, "SEQUENCE") == "0"
    assert field(ics, "SUMMARY") == f"Startmöte\\, remiss nr {referral.id}"  # no name, the referral's number
    assert field(ics, "LOCATION") == "Kooperativet\\, Storgatan 1"
    assert field(ics, "DTSTART").endswith("Z") and "Kim" not in ics

    moved = {**BOOKING, "at": "13:30", "place": "Arbetsförmedlingen"}
    assert client.post(f"/referrals/{referral.id}/meetings/{meeting.id}/edit", data=moved).status_code == 303
    _, method, ics = invitations(session, mail_server)[0]
    assert method == "REQUEST" and field(ics, "UID") == meeting.uid and field(ics, "SEQUENCE") == "1"
    assert field(ics, "LOCATION") == "Arbetsförmedlingen"

    assert client.post(f"/referrals/{referral.id}/meetings/{meeting.id}/cancel").status_code == 303
    _, method, ics = invitations(session, mail_server)[0]
    assert method == "CANCEL" and field(ics, "METHOD") == "CANCEL" and field(ics, "STATUS") == "CANCELLED"
    assert field(ics, "UID") == meeting.uid and field(ics, "SEQUENCE") == "2"
    assert "Inställt" in client.get(f"/referrals/{referral.id}/meetings").get_data(as_text=True)


@pytest.mark.parametrize(
    "change, name, message",
    [
        ({"day": local_today().isoformat(), "at": "00:00"}, "day", "Ett möte kan inte bokas bakåt i tiden."),
        ({"place": ""}, "place", "Ange en plats, en videolänk eller båda."),
        (
            {"video_url": "http://example.se/möte"},
            "video_url",
            "Ange videolänken som en adress som börjar med https://.",
        ),
        ({"kind": "party"}, "kind", "Välj vilket slags möte det är."),
    ],
)
def test_a_bad_booking_is_refused_at_its_field_and_nothing_is_booked(
    client, session, world, accepted, change, name, message
):
    referral = accepted()
    sign_in(client, world.caseworker.email)
    response = client.post(f"/referrals/{referral.id}/meetings", data={**BOOKING, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{name}-error"' in page and message in page
    assert meetings_of(session, referral.id) == []


def test_a_meeting_is_recorded_once_it_has_begun(client, session, world, accepted):
    referral = accepted()
    sign_in(client, world.caseworker.email)
    client.post(f"/referrals/{referral.id}/meetings", data={**BOOKING, "kind": "three_party"})
    [meeting] = meetings_of(session, referral.id)
    record = f"/referrals/{referral.id}/meetings/{meeting.id}/record"
    early = client.post(record, data={f"m{meeting.id}-attended": ["participant"]})
    assert early.status_code == 400 and "Ett möte registreras när det har börjat." in early.get_data(as_text=True)
    meeting.starts_at -= timedelta(days=2)  # the day has come
    session.commit()
    nobody = client.post(record, data={f"m{meeting.id}-notes": "Bra möte"})
    assert nobody.status_code == 400 and "Ange vilka som deltog." in nobody.get_data(as_text=True)
    assert "Bra möte" in nobody.get_data(as_text=True)  # kept
    form = {
        f"m{meeting.id}-attended": ["participant", "caseworker", "supervisor"],
        f"m{meeting.id}-notes": "Alla tre var med.",
        f"m{meeting.id}-agreed_actions": "Börja måndag kl 9.",
    }
    assert client.post(record, data=form).status_code == 303
    [meeting] = meetings_of(session, referral.id)
    assert meeting.attended == ["participant", "caseworker", "supervisor"]
    page = client.get(f"/referrals/{referral.id}/meetings").get_data(as_text=True)
    assert "Alla tre var med." in page and "Börja måndag kl 9." in page


@pytest.mark.parametrize(
    "role, read, book",
    [
        ("supervisor_user", 200, 303),
        ("caseworker", 200, 303),
        ("other_caseworker", 404, 404),
        ("coordinator", 200, 403),
        ("admin", 200, 403),
    ],
)
def test_who_reads_and_books_meetings(client, session, world, accepted, role, read, book):
    referral = accepted()
    sign_in(client, getattr(world, role).email)
    assert client.get(f"/referrals/{referral.id}/meetings").status_code == read
    assert client.post(f"/referrals/{referral.id}/meetings", data=BOOKING).status_code == book
    assert len(meetings_of(session, referral.id)) == (1 if book == 303 else 0)


def test_only_those_who_handle_meetings_change_cancel_or_record_them(client, session, world, accepted):
    referral = accepted()
    sign_in(client, world.caseworker.email)
    client.post(f"/referrals/{referral.id}/meetings", data=BOOKING)
    [meeting] = meetings_of(session, referral.id)
    client.post("/sign-out")
    for role, status in (("coordinator", 403), ("other_caseworker", 404), ("admin", 403)):
        sign_in(client, getattr(world, role).email)
        base = f"/referrals/{referral.id}/meetings/{meeting.id}"
        assert client.get(f"{base}/edit").status_code == status
        assert client.post(f"{base}/edit", data=BOOKING).status_code == status
        assert client.post(f"{base}/cancel").status_code == status
        assert client.post(f"{base}/record", data={f"m{meeting.id}-attended": ["caseworker"]}).status_code == status
        client.post("/sign-out")
    [after] = meetings_of(session, referral.id)
    assert (after.sequence, after.cancelled_at, after.recorded_at) == (0, None, None)


def test_long_lines_are_folded_without_splitting_a_letter():
    folded = calendar_files.fold("SUMMARY:" + "å" * 60)
    lines = folded.split("\r\n ")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "".join(lines) == "SUMMARY:" + "å" * 60


def test_moving_a_meeting_into_the_past_is_refused_at_its_field_and_nothing_changes(client, session, world, accepted):
    referral = accepted()
    sign_in(client, world.caseworker.email)
    client.post(f"/referrals/{referral.id}/meetings", data=BOOKING)
    [meeting] = meetings_of(session, referral.id)
    before = (meeting.starts_at, meeting.sequence)
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    response = client.post(f"/referrals/{referral.id}/meetings/{meeting.id}/edit", data={**BOOKING, "day": yesterday})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="day-error"' in page and "bakåt i tiden" in page
    assert yesterday in page  # what was written is kept
    [after] = meetings_of(session, referral.id)
    assert (after.starts_at, after.sequence) == before  # no new invitation either


def test_two_changing_the_same_meeting_at_once_never_send_two_events_of_one_sequence(
    app, session, engine, world, accepted
):
    """The caseworker and the supervisor move the same meeting at once: each invitation
    sent has its own SEQUENCE (calendars keep the highest), and the stored meeting is the
    one the last invitation says."""
    from datetime import time

    from portal.domain.follow_up import meetings
    from portal.models import Notification, User
    from portal.testing import at_once

    referral = accepted()
    details = meetings.MeetingDetails(
        kind="start", day=local_today() + timedelta(days=1), at=time(10), minutes=60, place="A"
    )
    meeting = meetings.book(session, engine.settings, world.caseworker, referral.id, details)
    session.commit()

    def moving(user_id, hour):
        def job(job_session):
            moved = meetings.MeetingDetails(**{**details.__dict__, "at": time(hour)})
            meetings.change(
                job_session, engine.settings, job_session.get(User, user_id), referral.id, meeting.id, moved
            )

        return job

    outcomes = at_once(app, [moving(world.caseworker.id, 13), moving(world.supervisor_user.id, 14)])
    [after] = meetings_of(session, referral.id)
    assert after.sequence == outcomes.count("ok"), outcomes  # 0 when booked, one more per change
    assert after.starts_at.hour in (12, 13, 14) and outcomes.count("ok") >= 1
    changed = session.scalars(select(Notification).where(Notification.kind == "meeting_changed")).all()
    assert len(changed) == 2 * outcomes.count("ok")  # each change told to the caseworker and the supervisor
