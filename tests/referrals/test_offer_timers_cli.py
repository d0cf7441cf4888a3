"""`portal offers expire`: overdue offers expire and go back to matching; reminders go once."""

from datetime import UTC, datetime, timedelta

from flows import offered
from sqlalchemy import select

from portal.models import Notification, Offer, Referral


def test_the_command_expires_overdue_offers_and_reports_counts(runner, session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    offer.offered_at = datetime.now(UTC) - timedelta(days=8)
    offer.expires_at = datetime.now(UTC) - timedelta(minutes=5)
    session.commit()
    result = runner.invoke(args=["offers", "expire"])
    assert result.exit_code == 0, result.output
    assert "Expired 1 offers." in result.output and "Reminded 0 supervisors." in result.output
    session.rollback()
    assert session.get(Referral, referral.id).state == "matching"
    assert session.scalar(select(Offer.state).where(Offer.id == offer.id)) == "expired"
    assert runner.invoke(args=["offers", "expire"]).output.startswith("Expired 0 offers.")


def test_the_command_reminds_a_day_before(runner, session, engine, vault, world, certified):
    referral, offer = offered(session, engine, vault, world, certified)
    # Made a week ago, ending in 10 hours: the reminder's 08:00 has passed whatever the
    # hour and the day the test runs (`calendar.reminder_at`; tests/test_calendar.py walks the hours).
    offer.offered_at = datetime.now(UTC) - timedelta(days=8)
    offer.expires_at = datetime.now(UTC) + timedelta(hours=10)
    session.commit()
    assert "Reminded 1 supervisors." in runner.invoke(args=["offers", "expire"]).output
    assert "Reminded 0 supervisors." in runner.invoke(args=["offers", "expire"]).output
    session.rollback()
    kinds = session.scalars(select(Notification.kind).where(Notification.user_id == world.supervisor_user.id)).all()
    assert sorted(kinds) == ["offer_received", "offer_reminder"]
