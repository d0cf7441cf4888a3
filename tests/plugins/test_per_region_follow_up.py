"""What a region's plugin sets for following a placement (issue 14, point 8): the
progress-report interval, through the workflow the region follows, and the end report's
questions, asked only of the plugins enabled in the region."""

from dataclasses import replace
from datetime import timedelta

import pytest

from portal.builtin.default_workflow import DEFAULT
from portal.domain.follow_up import end_reports, progress
from portal.domain.referrals import actions as referrals
from portal.domain.referrals.fields import ReferralField
from portal.hookspecs import hookimpl
from portal.testing import approve_plan

BIWEEKLY = replace(DEFAULT, name="biweekly", version=1, progress_report_weeks=2)


class Biweekly:
    """Fyrbodal's placements report every other week and answer one more question."""

    @staticmethod
    @hookimpl
    def portal_workflows():
        return [BIWEEKLY]

    @staticmethod
    @hookimpl
    def portal_region_workflow(region_code):
        return BIWEEKLY.name

    @staticmethod
    @hookimpl
    def portal_end_report_questions(region_code):
        return [ReferralField("mentor_wanted", "Vill personen ha en mentor?", kind="yes-no", required=True)]


@pytest.fixture
def app(make_app):
    return make_app(plugins={"biweekly": Biweekly}, enabled={"fyrbodal": ["biweekly"]})


def test_the_regions_workflow_sets_the_progress_report_interval(session, engine, world, draft):
    fyrbodal, skaraborg = draft("Trollhättan"), draft("Skövde", number="200001011493")
    assert progress.interval_weeks(engine, fyrbodal.workflow_name, fyrbodal.workflow_version) == 2  # the plugin on
    assert progress.interval_weeks(engine, skaraborg.workflow_name, skaraborg.workflow_version) == 4  # core's


def test_a_running_placement_in_the_region_has_its_first_report_due_after_two_weeks(session, engine, world, accepted):
    referral = accepted()  # in Trollhättan, Fyrbodal
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.supervisor_user, referral.id, "start")
    session.commit()
    page = progress.load(session, engine, world.supervisor_user, referral.id)
    assert referral.workflow_name == "biweekly"
    assert page.due.period == 1 and page.due.due_on == page.placement.start_date + timedelta(weeks=2)


def test_the_end_report_questions_are_the_regions_own(session, engine, world):
    assert [item.key for item in end_reports.questions(session, engine, "fyrbodal")] == ["biweekly.mentor_wanted"]
    assert end_reports.questions(session, engine, "skaraborg") == []
