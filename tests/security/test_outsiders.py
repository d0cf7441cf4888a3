"""Issue 10, done when: every participant and referral action (every route of the URL map
that takes one of their ids, with a complete and valid form) tried on a case of another
authority, another cooperative and another region succeeds 0 times and changes nothing;
and every route answers every outsider without a server error."""

import pytest
from conftest import sign_in
from route_walk import build, path_for
from sqlalchemy import func, select

from portal.domain.calendar import local_today
from portal.models import Consent, Offer, Participant, Placement, PluginEnablement, Referral, Transition

OBJECT_ARGUMENTS = {"participant_id", "referral_id", "offer_id", "consent_id"}
OUTSIDERS = ["other_authority", "other_cooperative", "other_region"]


def who(world, outsiders, kind):
    return {
        "other_authority": world.other_caseworker,
        "other_cooperative": outsiders.supervisor_user,
        "other_region": outsiders.coordinator,
    }[kind]


def valid_form(outsiders) -> dict:
    today = local_today().isoformat()
    return {
        "scope": "referral",
        "method": "written",
        "given_on": today,
        "withdrawn_on": today,
        "note": "Försök",
        "goal": "Arbetsträning",
        "hours_per_week": "10",
        "supervisor_id": str(outsiders.supervisor.id),
        "reason": "timing",
        "start_date": today,
        "end_date": today,
        "outcome": "employment",
        "r1-state": "matching",
        "r1-note": "Försök",
        "given_name": "Försök",
        "family_name": "Försök",
        "municipality_id": str(outsiders.supervisor.cooperative.municipality_id),
        "gender": "man",
    }


def snapshot(session) -> tuple:
    session.rollback()
    return (
        tuple(session.execute(select(Referral.id, Referral.state, Referral.goal).order_by(Referral.id)).all()),
        tuple(session.execute(select(Consent.id, Consent.withdrawn_on).order_by(Consent.id)).all()),
        tuple(session.execute(select(Offer.id, Offer.state).order_by(Offer.id)).all()),
        session.scalar(select(func.count()).select_from(Placement)),
        session.scalar(select(func.count()).select_from(Transition)),
        tuple(
            session.execute(
                select(
                    Participant.id, Participant.given_name, Participant.municipality_id, Participant.gender
                ).order_by(Participant.id)
            ).all()
        ),
        session.scalar(select(func.count()).select_from(PluginEnablement)),
    )


def transitions(app) -> set:
    registry = app.extensions["portal.engine"].registry
    return {t.name for workflow in registry for t in workflow.transitions} | {"no-such-step"}


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_no_action_on_another_authoritys_cooperatives_or_regions_case_succeeds(
    app, client, session, world, outsiders, case, kind
):
    before = snapshot(session)
    sign_in(client, who(world, outsiders, kind).email)
    successes, tried = [], 0
    for rule in app.url_map.iter_rules():
        if not (OBJECT_ARGUMENTS & set(rule.arguments)):
            continue
        names = sorted(transitions(app)) if "transition" in rule.arguments else [None]
        for name in names:
            path = path_for(rule, {**case, "transition": name} if name else case)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(path, method=method, data=valid_form(outsiders) if method == "POST" else None)
                tried += 1
                if response.status_code < 400:
                    successes.append((method, path, response.status_code))
    assert tried > 15
    assert successes == []
    assert snapshot(session) == before


def test_no_change_to_another_regions_plugins_succeeds(app, client, session, world, outsiders):
    before = snapshot(session)
    sign_in(client, outsiders.coordinator.email)
    plugins = list(app.extensions["portal.plugins"].portal_info) or ["no-such-plugin"]
    for rule in app.url_map.iter_rules():
        if "region_code" not in rule.arguments or "POST" not in rule.methods:
            continue
        for plugin in plugins:
            for change in ("enable", "disable"):
                path = build(rule, {"region_code": "fyrbodal", "plugin": plugin, "change": change})
                assert client.post(path).status_code >= 400, path
    assert snapshot(session) == before


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_every_route_answers_every_outsider_without_a_server_error(app, client, world, outsiders, case, kind):
    sign_in(client, who(world, outsiders, kind).email)
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("auth.sign_out",):
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(path_for(rule, case), method=method)
            response.close()
            assert response.status_code < 500, (method, rule.rule)
