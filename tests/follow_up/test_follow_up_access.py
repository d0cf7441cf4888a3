"""The route-and-role walk over every follow-up route of a started placement: each role
sees what it may (supervisors their own placements, caseworkers their authority's,
coordinators their region's) and writes only what it may; an outsider gets 404 and
changes nothing. Routes are taken from the URL map, so a new one is walked too."""

from __future__ import annotations

import pytest
from conftest import sign_in
from route_walk import build
from sqlalchemy import func, select

from portal.models.follow_up_records import AttendanceDay, Message, ProgressReport

BLUEPRINTS = ("attendance.", "progress.", "messages.")
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


def follow_up_rules(app, method):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(BLUEPRINTS) and "referral_id" in rule.arguments and method in rule.methods
    ]


def form(last_week):
    return {
        "week": last_week[0].isoformat(),
        "version": "0",
        f"hours-{last_week[0]}": "6",
        "progress-0": "on_track",
        "body": "Hej",
    }


@pytest.mark.parametrize("role", READS)
def test_every_follow_up_page_answers_each_role_as_the_access_rules_say(app, client, world, placement, role):
    sign_in(client, getattr(world, role).email)
    rules = [rule for rule in follow_up_rules(app, "GET") if "report_id" not in rule.arguments]
    assert len(rules) >= 4
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
