"""A referral stuck in matching (issue 12, point 1): the page says which hard filter
removes the region's supervisors, the caseworker can widen the area while it waits for
an offer, and the region's coordinators are alerted once when it has waited N working
days (Swedish holidays excepted) without an offer."""

from datetime import UTC, datetime, timedelta

from conftest import sign_in
from flows import offered, submitted
from sqlalchemy import select

from portal.domain.calendar import add_working_days
from portal.domain.matching import none_listed
from portal.domain.referrals import actions as referrals
from portal.domain.referrals import no_offer
from portal.models import Notification, Referral


def test_the_page_says_which_filter_removes_the_supervisors(client, session, engine, vault, world):
    """The world's supervisor is not certified: that is the reason given, with the count."""
    referral = submitted(session, engine, vault, world)
    why = none_listed.why_none(session, engine, referral, world.caseworker)
    assert why.main is not None and why.main.name == "certified" and why.main.count == 1
    sign_in(client, world.caseworker.email)
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "inte certifierade (utbildningen inte genomförd): 1" in page


def test_a_decline_with_nobody_left_does_not_promise_next_candidates(client, session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    referrals.answer(session, engine, world.supervisor_user, offer.id, accept=False, reason="no_capacity")
    session.commit()
    sign_in(client, world.caseworker.email)
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "tackade nej till erbjudandet" in page and "Här är nästa kandidater" not in page
    assert "redan erbjudna remissen: 1" in page


def test_the_caseworker_widens_the_area_while_the_referral_waits(client, session, engine, vault, world):
    referral = submitted(session, engine, vault, world)
    sign_in(client, world.caseworker.email)
    assert client.post(f"/referrals/{referral.id}/widen").status_code == 303
    session.rollback()
    assert session.get(Referral, referral.id).region_wide is True
    again = client.post(f"/referrals/{referral.id}/widen")  # already region-wide: refused on the page
    assert again.status_code == 409 and f"<h1>Remiss {referral.id}</h1>" in again.get_data(as_text=True)


def test_a_draft_cannot_be_widened_this_way(session, engine, vault, world):
    from flows import draft

    referral = draft(session, engine, vault, world)
    assert not none_listed.may_widen(engine, referral, world.caseworker)


def test_the_coordinator_is_alerted_once_after_the_working_days(session, engine, vault, world):
    referral = submitted(session, engine, vault, world)
    referral.submitted_at = datetime(2026, 12, 23, 9, tzinfo=UTC)  # the day before Christmas Eve
    session.commit()
    assert no_offer.alert_waiting(session, engine, now=datetime(2026, 12, 31, 9, tzinfo=UTC)) == 0  # holidays
    due = add_working_days(datetime(2026, 12, 23, 9, tzinfo=UTC), 5)
    assert due.date() > datetime(2026, 12, 31).date()
    assert no_offer.alert_waiting(session, engine, now=due - timedelta(minutes=1)) == 0
    assert no_offer.alert_waiting(session, engine, now=due) == 1
    assert no_offer.alert_waiting(session, engine, now=due + timedelta(days=30)) == 0  # not repeated
    session.rollback()
    alerts = session.scalars(select(Notification).where(Notification.kind == "referral_no_offer")).all()
    assert [(n.user_id, n.referral_id) for n in alerts] == [(world.coordinator.id, referral.id)]


def test_an_open_offer_keeps_the_alert_away(session, engine, vault, world, certified):
    referral, _ = offered(session, engine, vault, world, certified)
    later = referral.submitted_at + timedelta(days=60)
    assert no_offer.alert_waiting(session, engine, now=later) == 0
