"""The route-and-role walk over every follow-up route of a started placement: each role
sees what it may (supervisors their own placements, caseworkers their authority's,
coordinators their region's) and writes only what it may; an outsider gets 404 and
changes nothing. Routes are taken from the URL map, so a new one is walked too."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from conftest import sign_in
from outsiders import outsiders  # noqa: F401 (a fixture)
from route_walk import build
from sqlalchemy import func, select

from portal.domain.calendar import local_today
from portal.domain.follow_up import meetings, progress
from portal.models import EndReport, Meeting, PlanVersion, Supervisor, User
from portal.models.follow_up_records import AttendanceDay, AttendanceWeek, Message, ProgressReport
from portal.testing import password_hash

BLUEPRINTS = ("attendance.", "progress.", "messages.")
# Every follow-up route of a referral, the plan, meetings and end report too.
FOLLOW_UP = (*BLUEPRINTS, "follow_up.", "meetings.", "end_reports.")
READS = {"supervisor_user": 200, "caseworker": 200, "coordinator": 200, "admin": 200, "other_caseworker": 404}
# The conversation is its three parties' only (access.conversations_of): not the admins'.
CONVERSATION_READS = {**READS, "admin": 404}
# What a complete, valid form of each write does, by role (303: done; 403: not theirs to do).
WRITES = {
    "attendance.week": {
        "supervisor_user": 303,
        "caseworker": 403,
        "coordinator": 403,
        "admin": 403,
        "other_caseworker": 404,
    },
    "progress.reports": {
        "supervisor_user": 303,
        "caseworker": 403,
        "coordinator": 403,
        "admin": 403,
        "other_caseworker": 404,
    },
    "messages.conversation": {
        "supervisor_user": 303,
        "caseworker": 303,
        "coordinator": 303,
        "admin": 404,
        "other_caseworker": 404,
    },
}


def follow_up_rules(app, method, blueprints=BLUEPRINTS):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(blueprints) and "referral_id" in rule.arguments and method in rule.methods
    ]


def form(last_week):
    return {
        "week": last_week[0].isoformat(),
        "version": "0",
        f"hours-{last_week[0]}": "6",
        "progress-0": "on_track",
        "period": "1",
        "body": "Hej",
    }


@pytest.mark.parametrize("role", READS)
def test_every_follow_up_page_answers_each_role_as_the_access_rules_say(app, client, world, placement, role):
    sign_in(client, getattr(world, role).email)
    rules = [
        rule for rule in follow_up_rules(app, "GET", FOLLOW_UP) if not {"report_id", "meeting_id"} & rule.arguments
    ]
    assert len(rules) >= 7
    for rule in rules:
        path = build(rule, {"referral_id": placement.referral_id, "format_id": "csv"})
        expected = CONVERSATION_READS if rule.endpoint.startswith("messages.") else READS
        assert client.get(path).status_code == expected[role], path


@pytest.mark.parametrize("role", READS)
def test_every_follow_up_write_is_done_only_by_whom_it_is_for(app, client, session, world, placement, last_week, role):
    sign_in(client, getattr(world, role).email)
    rules = [rule for rule in follow_up_rules(app, "POST") if rule.endpoint in WRITES]
    assert {rule.endpoint for rule in rules} == set(WRITES)
    for rule in rules:
        path = build(rule, {"referral_id": placement.referral_id})
        assert client.post(path, data=form(last_week)).status_code == WRITES[rule.endpoint][role], path
    session.expire_all()
    written = [
        session.scalar(select(func.count()).select_from(model)) for model in (AttendanceDay, ProgressReport, Message)
    ]
    assert written == [int(WRITES[endpoint][role] == 303) for endpoint in WRITES]


@pytest.fixture
def strangers(session, world, outsiders):  # noqa: F811
    """Those who must not see this placement's follow-up (it is in Fyrbodal): another
    authority's caseworker, another cooperative's supervisor and a colleague at the
    placement's own cooperative who is not its supervisor, another region's coordinator."""
    colleague = User(email="kollega@vagen.example.se", name="Kollega", role="supervisor", password_hash=password_hash())
    session.add(Supervisor(user=colleague, cooperative=world.cooperative, gender="man"))
    session.commit()
    return [outsiders.caseworker, outsiders.supervisor_user, colleague, outsiders.coordinator]


def follow_up_rows(session, meeting_id) -> tuple:
    """What any follow-up write would change: the rows of each kind, and the meeting's state."""
    session.expire_all()
    counted = (PlanVersion, Meeting, AttendanceWeek, AttendanceDay, ProgressReport, Message, EndReport)
    meeting = session.get(Meeting, meeting_id)
    return (
        *(session.scalar(select(func.count()).select_from(model)) for model in counted),
        (meeting.sequence, meeting.cancelled_at, meeting.recorded_at),
    )


def test_outsiders_get_404_on_every_follow_up_route_and_change_nothing(
    app, client, session, engine, world, placement, last_week, strangers
):
    """Every route of the plan, meetings, attendance, statement, progress reports, messages
    and end report, read and written, by each outsider: 404 (as if there were nothing
    there), and not one row changed. The routes come from the URL map."""
    referral_id = placement.referral_id
    booking = meetings.MeetingDetails(
        kind="follow_up", day=local_today() + timedelta(days=1), at=time(10), minutes=60, place="Kaféet"
    )
    meeting = meetings.book(session, engine.settings, world.caseworker, referral_id, booking)
    report = progress.write(session, engine, world.supervisor_user, referral_id, {0: ("on_track", "")}, period=1)
    session.commit()
    ids = {"referral_id": referral_id, "meeting_id": meeting.id, "report_id": report.id, "format_id": "csv"}
    before = follow_up_rows(session, meeting.id)
    reads, writes = follow_up_rules(app, "GET", FOLLOW_UP), follow_up_rules(app, "POST", FOLLOW_UP)
    assert {rule.endpoint.split(".")[0] for rule in reads + writes} == {name.rstrip(".") for name in FOLLOW_UP}
    data = {
        **form(last_week),
        "goals": "Ett annat mål",
        "activities": "Annat",
        "hours_per_week": "10",
        "send": "1",
        "approve": "1",
        "kind": "start",
        "day": (local_today() + timedelta(days=2)).isoformat(),
        "at": "09:00",
        "minutes": "60",
        "place": "Annanstans",
    }
    for outsider in strangers:
        sign_in(client, outsider.email)
        for rule in reads:
            assert client.get(build(rule, ids)).status_code == 404, (outsider.email, rule.rule)
        for rule in writes:
            assert client.post(build(rule, ids), data=data).status_code == 404, (outsider.email, rule.rule)
        client.post("/sign-out")
    assert follow_up_rows(session, meeting.id) == before
