"""Every route, requested by every role and by nobody: never a server error, never a leak."""

import re
from datetime import date

import pytest
from conftest import sign_in

ROLES = ["caseworker", "other_caseworker", "coordinator", "supervisor_user", "admin", None]


def get_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments:
            yield rule.rule


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_every_role_without_a_server_error(app, client, world, role):
    if role:
        sign_in(client, getattr(world, role).email)
    for path in get_routes(app):
        response = client.get(path)
        assert response.status_code < 500, path
        if response.mimetype == "text/html":
            assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
            assert response.headers["Cache-Control"] == "no-store"


def test_pages_load_nothing_from_other_sites(app, client, world):
    sign_in(client, world.admin.email)
    for path in get_routes(app):
        page = client.get(path).get_data(as_text=True).replace('xmlns="http://www.w3.org/2000/svg"', "")  # a name
        assert "http://" not in page.replace("http://localhost", "") and "https://" not in page, path


def test_a_crash_shows_a_plain_page_without_details(make_app):
    app = make_app(TESTING=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail 19121212-1212")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Något gick fel hos oss" in page
    assert "secret detail" not in page and "Traceback" not in page


def test_identity_numbers_never_reach_the_log(make_app, caplog):
    app = make_app(TESTING=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("lookup failed for 19121212-1212 and 201212121212")

    with caplog.at_level("ERROR"):
        app.test_client().get("/boom")
    logged = "\n".join(caplog.messages + [record.exc_text or "" for record in caplog.records])
    assert "lookup failed for [personnummer] and [personnummer]" in logged
    assert "1212-1212" not in logged and "201212121212" not in logged


ARGUMENTS = {
    "region_code": "fyrbodal",
    "plugin": "no-such-plugin",
    "change": "enable",
    "transition": "withdraw",
    "filename": "portal.css",
}


def _build(rule, values):
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:[^:<>]+(?:\([^)]*\))?:)?{name}>", str(value), path)
    return path


@pytest.fixture
def case(session, engine, vault, world, certified):
    from datetime import date

    from flows import offered

    from portal.models import Cohort, Module

    referral, offer = offered(session, engine, vault, world, certified)
    cohort = Cohort(
        region=world.region["fyrbodal"], name="Omgång 1", starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 1)
    )
    module = Module(cohort=cohort, position=1, title="Bemötande", hours=8)
    certified.cohort = cohort
    session.add_all([cohort, module])
    session.commit()
    return {
        "cooperative_id": world.cooperative.id,
        "supervisor_id": certified.id,
        "cohort_id": cohort.id,
        "module_id": module.id,
        "referral_id": referral.id,
        "participant_id": referral.participant_id,
        "offer_id": offer.id,
        "consent_id": referral.participant.consents[0].id,
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_route_with_arguments_answers_every_role_without_a_server_error(app, client, world, case, role):
    if role:
        sign_in(client, getattr(world, role).email)
    for rule in app.url_map.iter_rules():
        if not rule.arguments:
            continue
        path = _build(rule, {name: case.get(name, ARGUMENTS.get(name)) for name in rule.arguments})
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(path, method=method)
            response.close()  # static files are streamed from disk
            assert response.status_code < 500, (method, path)


@pytest.mark.parametrize(
    "role, status",
    [
        ("caseworker", 200),
        ("other_caseworker", 404),
        ("coordinator", 200),
        ("supervisor_user", 200),
        ("admin", 200),
    ],
)
def test_the_referral_and_participant_pages_follow_the_access_rules(client, world, case, role, status):
    sign_in(client, getattr(world, role).email)
    assert client.get(f"/referrals/{case['referral_id']}").status_code == status
    assert client.get(f"/participants/{case['participant_id']}").status_code == status


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("caseworker", False),
        ("other_caseworker", False),
        ("coordinator", True),
        ("supervisor_user", False),
        ("admin", True),
    ],
)
def test_the_directorys_edit_pages_and_the_training_registry_are_the_offices(client, world, case, role, allowed):
    sign_in(client, getattr(world, role).email)
    for path in (
        f"/directory/cooperatives/{case['cooperative_id']}/edit",
        f"/directory/supervisors/{case['supervisor_id']}/edit",
        f"/training/cohorts/{case['cohort_id']}",
        f"/training/modules/{case['module_id']}/session",
        f"/training/supervisors/{case['supervisor_id']}/certification",
        "/training/cohorts/new",
    ):
        status = client.get(path).status_code
        assert status == 200 if allowed else status in (403, 404), path  # 404: not even shown to exist


def test_a_write_the_database_refuses_meanwhile_answers_409_and_saves_nothing(make_app, world, caplog):
    """A row removed by another request at the same moment (a registration removed while
    a consent is recorded for it): the foreign key refuses the write; the user is told the
    case changed, nothing is half-written, and the log names no value."""
    from portal.extensions import db
    from portal.models import Consent

    app = make_app(TESTING=False)

    @app.get("/refused")
    def refused():
        db.session.add(
            Consent(
                participant_id=987654321,
                scope="referral",
                method="written",
                given_on=date(2026, 11, 2),
                recorded_by_id=world.caseworker.id,
            )
        )
        db.session.commit()
        return "saved"

    with caplog.at_level("WARNING"):
        response = app.test_client().get("/refused")
    assert response.status_code == 409
    assert "Ärendet ändrades medan du arbetade" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Consent).filter_by(participant_id=987654321).count() == 0
    assert any("write refused by the database" in message for message in caplog.messages)
    assert not any("987654321" in message for message in caplog.messages)
