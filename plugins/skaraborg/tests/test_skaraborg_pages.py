"""Skaraborg's meeting and question through the portal's own pages (in Swedish, the default)."""

from datetime import timedelta

from sqlalchemy import select

from portal.domain.calendar import local_today
from portal.models import Meeting, Referral, ReferralFieldValue
from portal.testing import accept_through_pages, approve_plan, offered_through_pages, sign_in

FORM = {"goal": "Arbetsträning i snickeri", "hours_per_week": "25", "skaraborg.meeting_place": "video"}


def test_the_form_asks_where_to_meet_and_the_page_shows_the_answer(client, session, world, person):
    participant = person("Skövde")
    sign_in(client, world.caseworker.email)
    form = client.get(f"/participants/{participant.id}/referrals/new").get_data(as_text=True)
    assert "Var vill deltagaren helst hålla trepartsmötet?" in form and "På kooperativet" in form
    response = client.post(f"/participants/{participant.id}/referrals/new", data=FORM)
    assert response.status_code == 302
    session.rollback()
    assert session.scalar(select(ReferralFieldValue.value).where(ReferralFieldValue.name == "meeting_place")) == "video"
    assert "<dt>Var vill deltagaren helst hålla trepartsmötet?</dt><dd>Via video</dd>" in client.get(
        response.location
    ).get_data(as_text=True)


def test_an_unknown_meeting_place_is_refused(client, session, world, person):
    participant = person("Skövde")
    sign_in(client, world.caseworker.email)
    response = client.post(
        f"/participants/{participant.id}/referrals/new", data={**FORM, "skaraborg.meeting_place": "on-the-moon"}
    )
    assert response.status_code == 400
    session.rollback()
    assert session.scalar(select(Referral)) is None


def test_a_form_elsewhere_does_not_ask_where_to_meet(client, world, person):
    participant = person("Trollhättan")
    sign_in(client, world.caseworker.email)
    assert "skaraborg." not in client.get(f"/participants/{participant.id}/referrals/new").get_data(as_text=True)


def test_the_meeting_then_the_start_through_the_referral_page(client, session, engine, world, person, certified):
    referral_id, location = offered_through_pages(client, world, person("Skövde"), FORM, certified.id)
    accept_through_pages(client, world.supervisor_user.email, location)
    page = client.get(location).get_data(as_text=True)
    assert "Registrera trepartsmötet" in page and "Starta placeringen" not in page
    assert client.post(f"/referrals/{referral_id}/act/start").status_code == 409
    response = client.post(f"/referrals/{referral_id}/act/record_meeting")
    assert response.status_code == 409 and "Registrera först trepartsmötet" in response.get_data(as_text=True)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    booking = {
        "kind": "three_party",
        "day": tomorrow,
        "at": "10:00",
        "minutes": "60",
        "video_url": "https://möte.example.se/1",
    }
    assert client.post(f"/referrals/{referral_id}/meetings", data=booking).status_code == 303
    meeting = session.scalar(select(Meeting).where(Meeting.referral_id == referral_id))
    meeting.starts_at -= timedelta(days=2)  # the day of the meeting has come
    session.commit()
    held = {
        f"m{meeting.id}-attended": ["participant", "caseworker", "supervisor"],
        f"m{meeting.id}-notes": "Alla tre var med.",
    }
    assert client.post(f"/referrals/{referral_id}/meetings/{meeting.id}/record", data=held).status_code == 303
    assert client.post(f"/referrals/{referral_id}/act/record_meeting").status_code == 303
    page = client.get(location).get_data(as_text=True)
    assert "Trepartsmöte hållet" in page and "Starta placeringen" in page
    approve_plan(session, engine, world, referral_id)
    assert (
        client.post(f"/referrals/{referral_id}/act/start", data={"start_date": local_today().isoformat()}).status_code
        == 303
    )
    session.rollback()
    assert session.get(Referral, referral_id).state == "active"


def test_the_admin_page_draws_the_workflow_skaraborg_follows(client, world):
    sign_in(client, world.admin.email)
    response = client.get("/admin/workflows/skaraborg")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Trepartsmöte hållet" in page
    assert "Registrera trepartsmötet" in page


def test_under_version_1_the_page_asks_for_the_note_instead_of_refusing_the_step(
    client, session, world, person, certified
):
    referral_id, location = offered_through_pages(client, world, person("Skövde"), FORM, certified.id)
    accept_through_pages(client, world.supervisor_user.email, location)
    session.get(Referral, referral_id).workflow_version = 1  # accepted before the structured meeting came
    session.commit()
    page = client.get(location).get_data(as_text=True)
    assert 'id="record_meeting-blocked"' not in page
    assert '<textarea id="record_meeting-note" maxlength="2000" name="note" required>' in page
    response = client.post(f"/referrals/{referral_id}/act/record_meeting", data={"note": " "})
    assert "Skriv i anteckningen när mötet hölls" in response.get_data(as_text=True)
    assert response.status_code in (400, 409)
    note = "Möte 2026-11-20 på kooperativet; deltagaren var med."
    assert client.post(f"/referrals/{referral_id}/act/record_meeting", data={"note": note}).status_code == 303
    session.rollback()
    assert session.get(Referral, referral_id).state == "meeting_held"
