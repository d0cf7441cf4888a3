"""Issue 14, points 5 and 8: the end report (slutrapport), per goal achieved, partly or
not, what the person can do now and the next step; required before *complete* and
*discontinue*; its result at exit is the outcome the ESF report counts; a region's
plugin adds questions of its own."""

import pytest
from sqlalchemy import select

from portal.domain.referrals import actions as referrals
from portal.domain.referrals.transitions import Refused
from portal.models import EndReport, Placement
from portal.testing import approve_plan, sign_in

REPORT = {
    "result_0": "achieved",
    "can_do_now": "Arbetar fyra timmar om dagen i kaféet.",
    "next_step": "work",
    "outcome": "employment",
}


@pytest.fixture
def running(session, engine, world, accepted):
    """A placement with an approved plan of one goal, started."""

    def start():
        referral = accepted()
        approve_plan(session, engine, world, referral.id)
        referrals.act(session, engine, world.supervisor_user, referral.id, "start")
        session.commit()
        return referral

    return start


def report_of(session, referral_id):
    session.rollback()
    return session.scalar(select(EndReport).where(EndReport.referral_id == referral_id))


def test_the_end_report_is_written_through_the_page_and_its_result_becomes_the_outcome(
    client, session, engine, world, running
):
    referral = running()
    sign_in(client, world.supervisor_user.email)
    page = client.get(f"/referrals/{referral.id}/end-report").get_data(as_text=True)
    assert "Arbeta fyra timmar om dagen" in page  # the approved plan's goal
    assert client.post(f"/referrals/{referral.id}/end-report", data=REPORT).status_code == 303
    report = report_of(session, referral.id)
    assert (report.results, report.next_step, report.outcome) == (["achieved"], "work", "employment")
    referrals.act(session, engine, world.caseworker, referral.id, "complete")  # no outcome given: the report's
    session.commit()
    assert session.scalar(select(Placement.outcome).where(Placement.referral_id == referral.id)) == "employment"


def test_complete_and_discontinue_wait_for_the_end_report(session, engine, world, running):
    referral = running()
    for step in ("complete", "discontinue"):
        with pytest.raises(Refused, match="end report") as refusal:
            referrals.act(session, engine, world.caseworker, referral.id, step, params={"outcome": "other"})
        assert refusal.value.status == 409
        session.rollback()


@pytest.mark.parametrize(
    "change, name, message",
    [
        ({"result_0": ""}, "result_0", "Ange om målet uppnåddes."),
        ({"result_0": "perhaps"}, "result_0", "Ange om målet uppnåddes."),
        ({"can_do_now": " "}, "can_do_now", "Beskriv vad personen kan göra nu."),
        ({"next_step": ""}, "next_step", "Välj rekommenderat nästa steg."),
        ({"outcome": "rich"}, "outcome", "Välj resultatet vid avslut."),
    ],
)
def test_a_report_missing_a_goals_result_or_more_is_refused_at_the_field(
    client, session, world, running, change, name, message
):
    referral = running()
    sign_in(client, world.supervisor_user.email)
    response = client.post(f"/referrals/{referral.id}/end-report", data={**REPORT, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{name}-error">{message}' in page
    assert report_of(session, referral.id) is None


@pytest.mark.parametrize(
    "role, read, write",
    [
        ("supervisor_user", 200, 303),
        ("caseworker", 200, 403),
        ("other_caseworker", 404, 404),
        ("coordinator", 200, 403),
        ("admin", 200, 403),
    ],
)
def test_who_reads_and_writes_the_end_report(client, session, world, running, role, read, write):
    referral = running()
    sign_in(client, getattr(world, role).email)
    assert client.get(f"/referrals/{referral.id}/end-report").status_code == read
    assert client.post(f"/referrals/{referral.id}/end-report", data=REPORT).status_code == write
    assert (report_of(session, referral.id) is not None) == (write == 303)


def test_the_database_keeps_the_outcome_within_the_outcomes_at_exit(session, world, running):
    """The form checks the outcome; the table refuses anything else too, as it does the next step."""
    from sqlalchemy.exc import IntegrityError

    referral = running()
    fields = {"goals": ["Ett"], "results": ["achieved"], "can_do_now": "Allt", "next_step": "work"}
    session.add(EndReport(referral_id=referral.id, outcome="rich", written_by_id=world.supervisor_user.id, **fields))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    session.add(EndReport(referral_id=referral.id, outcome="other", written_by_id=world.supervisor_user.id, **fields))
    session.flush()
