"""Issue 14, point 8: a region's plugin asks questions of its own on the end report
(`portal_end_report_questions`), checked, stored and shown like referral fields."""

import pytest
from sqlalchemy import select

from portal.domain.referrals import actions as referrals
from portal.domain.referrals.fields import ReferralField
from portal.hookspecs import hookimpl
from portal.models import EndReport
from portal.plugins import PluginError
from portal.testing import approve_plan, sign_in

REPORT = {"result_0": "achieved", "can_do_now": "Arbetar i kaféet.", "next_step": "work", "outcome": "employment"}


class Questions:
    """A plugin asking Fyrbodal's end reports whether the person wants to go on."""

    @hookimpl
    def portal_end_report_questions(self, region_code):
        return [ReferralField("continue_wanted", "Vill personen fortsätta?", kind="yes-no", required=True)]


@pytest.fixture
def app(make_app):
    return make_app(plugins={"questions": Questions()}, enabled={"fyrbodal": ["questions"]})


def report_of(session, referral_id):
    session.rollback()
    return session.scalar(select(EndReport).where(EndReport.referral_id == referral_id))


def test_a_regions_plugin_adds_a_question_that_is_checked_stored_and_shown(client, session, engine, world, accepted):
    referral = accepted()  # in Trollhättan, Fyrbodal
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.supervisor_user, referral.id, "start")
    session.commit()
    sign_in(client, world.supervisor_user.email)
    response = client.post(f"/referrals/{referral.id}/end-report", data=REPORT)
    assert response.status_code == 400 and "Besvara frågan." in response.get_data(as_text=True)
    assert report_of(session, referral.id) is None
    answered = {**REPORT, "questions.continue_wanted": "yes"}
    assert client.post(f"/referrals/{referral.id}/end-report", data=answered).status_code == 303
    assert report_of(session, referral.id).answers == {"questions.continue_wanted": "yes"}
    page = client.get(f"/referrals/{referral.id}/end-report").get_data(as_text=True)
    assert "<dt>Vill personen fortsätta?</dt><dd>Ja</dd>" in page


def test_a_question_of_an_unknown_kind_stops_start_up_naming_the_plugin(make_app):
    class Broken:
        @hookimpl
        def portal_end_report_questions(self, region_code):
            return [ReferralField("when", "När?", kind="time")]

    with pytest.raises(PluginError, match="broken.*end report questions"):
        make_app(plugins={"broken": Broken()})
