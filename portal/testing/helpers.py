"""Helpers for tests that act as people do: sign in, act at once, go through the pages.

Exported by `portal.testing` (``from portal.testing import sign_in, at_once``); kept
apart from the fixtures so that each module reads in one sitting.
"""

from __future__ import annotations

PASSWORD = "correct horse battery"
_PASSWORD_HASH: list[str] = []


def password_hash() -> str:
    """scrypt is deliberately slow; hash the shared test password once per run."""
    if not _PASSWORD_HASH:
        from werkzeug.security import generate_password_hash

        _PASSWORD_HASH.append(generate_password_hash(PASSWORD, method="scrypt"))
    return _PASSWORD_HASH[0]


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through the sign-in page, as the person would."""
    return client.post("/sign-in", data={"email": email, "password": password})


def at_once(app, jobs) -> list:
    """Run each ``job(session)`` in a thread of its own, all released together at a barrier,
    each with its own session and connection; returns each outcome in job order: "ok",
    the status of a `Refused`, or the repr of anything unexpected (so a test shows it).
    The database decides the order: how tests prove that people acting at once leave
    one consistent state.

    The race has an engine of its own with a connection per job, each made before the
    barrier: what races is the jobs, not connections being set up at once on a busy
    machine (once longer than the 2 s connect timeout in CI), nor jobs waiting for the
    app's pool (smaller than some races)."""
    import threading

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from portal.config import engine_options
    from portal.domain.referrals.transitions import Refused
    from portal.extensions import db

    with app.app_context():
        racers = create_engine(db.engine.url, pool_size=len(jobs), max_overflow=0, **engine_options(app.config))
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def race(session, job):
        barrier.wait(timeout=60)
        try:
            job(session)
            session.commit()
            return "ok"
        except Refused as refusal:
            session.rollback()
            return refusal.status

    def run(index, job):
        try:
            with racers.connect() as connection, Session(bind=connection) as session:
                outcomes[index] = race(session, job)
        except Exception as error:  # reported, so that the test shows what went wrong
            barrier.abort()  # the others do not wait for a job that cannot start
            outcomes[index] = repr(error)

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    racers.dispose()
    return outcomes


def accepting(engine, user_id: int, offer_id: int):
    """A job for `at_once`: the user accepts the offer."""

    def job(session):
        from portal.domain.referrals import actions as referrals
        from portal.models import User

        referrals.answer(session, engine, session.get(User, user_id), offer_id, accept=True)

    return job


def offered_through_pages(client, world, participant, form: dict, supervisor_id: int) -> tuple[int, str]:
    """As the world's caseworker, through the pages: write a referral with `form`, submit it
    and offer it to the supervisor; signs out and answers (referral id, its address)."""
    sign_in(client, world.caseworker.email)
    location = client.post(f"/participants/{participant.id}/referrals/new", data=form).location
    referral_id = int(location.rsplit("/", 1)[1])
    assert client.post(f"/referrals/{referral_id}/act/submit").status_code == 303
    assert (
        client.post(f"/referrals/{referral_id}/offers", data={"supervisor_id": str(supervisor_id)}).status_code == 303
    )
    client.post("/sign-out")
    return referral_id, location


def accept_through_pages(client, email: str, location: str) -> None:
    """Sign in as the supervisor `email` and accept the offer shown on the referral page."""
    import re

    sign_in(client, email)
    offer_id = re.search(r"/offers/(\d+)/accept", client.get(location).get_data(as_text=True)).group(1)
    assert client.post(f"/offers/{offer_id}/accept").status_code == 303


def approve_plan(session, engine, world, referral_id: int) -> None:
    """The world's supervisor writes the placement's plan and sends it, the world's
    caseworker approves it (committed): what the default workflow asks before *start*."""
    from portal.domain.follow_up import plans

    session.commit()  # what the test did so far: the plan's write starts afresh
    draft = plans.PlanDraft(goals=["Arbeta fyra timmar om dagen"], activities="Kafé och kök", hours_per_week=20)
    plans.save(session, engine.settings, world.supervisor_user, referral_id, draft, seen_version=0, submit=True)
    session.commit()
    plans.decide(session, engine.settings, world.caseworker, referral_id, seen_version=1, approve=True)
    session.commit()


def hold_meeting(session, engine, world, referral_id: int, kind: str = "three_party") -> None:
    """The world's caseworker books a meeting of `kind` for tomorrow; the day comes; it is
    recorded with all three present (committed). Skaraborg's step waits for this."""
    from datetime import time, timedelta

    from portal.domain.calendar import local_today
    from portal.domain.follow_up import meetings

    details = meetings.MeetingDetails(kind, local_today() + timedelta(days=1), time(10), 60, place="Kooperativet")
    meeting = meetings.book(session, engine.settings, world.caseworker, referral_id, details)
    session.commit()
    meeting.starts_at -= timedelta(days=2)
    session.commit()
    attended = ["participant", "caseworker", "supervisor"]
    meetings.record(session, world.caseworker, referral_id, meeting.id, attended=attended, notes="", agreed_actions="")
    session.commit()


def write_end_report(session, engine, world, referral_id: int, outcome: str = "employment") -> None:
    """The world's supervisor writes the running placement's end report, every goal
    achieved (committed): what the default workflow asks before *complete* and *discontinue*."""
    from portal.domain.follow_up import end_reports
    from portal.models import Referral, User

    session.commit()  # what the test did so far: the report's write starts afresh
    supervisor = session.get(User, world.supervisor_user.id)
    goals = end_reports.goals_of(session, session.get(Referral, referral_id))
    draft = end_reports.EndReportDraft(["achieved"] * len(goals), "Arbeta självständigt", "work", outcome)
    end_reports.write(session, engine, supervisor, referral_id, draft)
    session.commit()
