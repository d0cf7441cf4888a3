"""Offices enable installed plugins per region, on the admin page or the command line;
every change is audited; each region's workflow can be seen as a picture, also as it
would be with a plugin enabled."""

import re

import pytest
from sample_plugins import Review
from sqlalchemy import select

from portal.models import AuditEvent, PluginEnablement
from portal.testing import sign_in

REGIONS = ("Fyrbodal", "Göteborgsregionen", "Sjuhärad", "Skaraborg")


@pytest.fixture
def app(make_app):
    """In English: the page texts asserted are new and may not be translated yet. Only
    `review` of the plugins: the page is counted, whatever else is installed."""
    return make_app(plugins={"review": Review}, PLUGINS="review", DEFAULT_LOCALE="en")


def enabled(session):
    session.rollback()
    return {(row.plugin, row.region.code) for row in session.scalars(select(PluginEnablement))}


def test_the_admin_sees_every_plugin_with_its_version_and_hooks_in_every_region(client, world):
    sign_in(client, world.admin.email)
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert "review" in page and "portal_region_workflow" in page and "portal.builtin.default_workflow" in page
    for name in REGIONS:
        assert f'<th scope="col">{name}</th>' in page
    assert page.count("Turn on<") == len(REGIONS)


def test_a_coordinator_sees_and_switches_only_their_own_region(client, session, world):
    sign_in(client, world.coordinator.email)
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert '<th scope="col">Fyrbodal</th>' in page and "Skaraborg" not in page
    assert client.post("/admin/plugins/review/fyrbodal/enable").status_code == 303
    assert client.post("/admin/plugins/review/skaraborg/enable").status_code == 403
    assert enabled(session) == {("review", "fyrbodal")}


@pytest.mark.parametrize("role", ["caseworker", "supervisor_user"])
def test_caseworkers_and_supervisors_have_no_plugin_pages(client, world, role):
    sign_in(client, getattr(world, role).email)
    for path in ("/admin/plugins", "/admin/workflows/fyrbodal", "/admin/referrals/stranded"):
        assert client.get(path).status_code == 403, path
    assert client.post("/admin/plugins/review/fyrbodal/enable").status_code == 403


def test_enabling_and_disabling_is_audited_with_who_what_and_where(client, session, world):
    sign_in(client, world.admin.email)
    client.post("/admin/plugins/review/skaraborg/enable")
    assert enabled(session) == {("review", "skaraborg")}
    assert "review is now on in Skaraborg" in client.get("/admin/plugins").get_data(as_text=True)
    client.post("/admin/plugins/review/skaraborg/disable", data={"confirm": "yes"})
    assert enabled(session) == set()
    events = session.execute(
        select(AuditEvent.actor_id, AuditEvent.action, AuditEvent.detail)
        .where(AuditEvent.action.like("plugin.%"))
        .order_by(AuditEvent.id)
    ).all()
    assert events == [
        (world.admin.id, "plugin.enable", "plugin=review region=skaraborg"),
        (world.admin.id, "plugin.disable", "plugin=review region=skaraborg"),
    ]


def test_enabling_twice_changes_nothing_and_is_audited_once(client, session, world):
    sign_in(client, world.admin.email)
    client.post("/admin/plugins/review/fyrbodal/enable")
    client.post("/admin/plugins/review/fyrbodal/enable")
    assert enabled(session) == {("review", "fyrbodal")}
    assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "plugin.enable")).all()) == 1


def test_signing_in_comes_first(client):
    for path in ("/admin/plugins", "/admin/workflows/fyrbodal", "/admin/referrals/stranded"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.location, path


def test_a_plugin_no_longer_installed_can_still_be_disabled(make_app, session, world):
    make_app(plugins={"review": Review}, enabled={"fyrbodal": ["review"]})
    runner = make_app().test_cli_runner()
    assert runner.invoke(args=["plugins", "enable", "review", "fyrbodal"]).exit_code == 2
    assert runner.invoke(args=["plugins", "disable", "review", "fyrbodal"]).output == "review disabled for fyrbodal.\n"
    assert enabled(session) == set()


def test_unknown_plugins_regions_and_built_ins_cannot_be_switched(client, world):
    sign_in(client, world.admin.email)
    assert client.post("/admin/plugins/nothing/fyrbodal/enable").status_code == 404
    assert (
        client.post("/admin/plugins/nothing/fyrbodal/disable", data={"confirm": "yes"}).status_code == 303
    )  # nothing to switch off
    assert client.post("/admin/plugins/review/atlantis/enable").status_code == 404
    assert client.post("/admin/plugins/portal.builtin.default_workflow/fyrbodal/disable").status_code == 404


def test_switching_needs_the_forms_csrf_token(make_app, world):
    client = make_app(plugins={"review": Review}, DEFAULT_LOCALE="en", WTF_CSRF_ENABLED=True).test_client()
    sign_in(client, world.admin.email)  # refused too, which is fine: the point is the switch
    assert client.post("/admin/plugins/review/fyrbodal/enable").status_code == 400


def test_the_plugins_command_lists_name_version_hooks_and_regions(runner, session, world):
    assert runner.invoke(args=["plugins", "enable", "review", "fyrbodal"]).output == "review enabled for fyrbodal.\n"
    output = runner.invoke(args=["plugins", "list"]).output
    assert re.search(
        r"^review \S+ \(\S+\)\n  region-scoped hooks \(only where enabled\): portal_region_workflow, "
        r"portal_transition_done\n  global hooks \(every region, enabled or not\): portal_workflows\n"
        r"  regions: fyrbodal$",
        output,
        re.MULTILINE,
    ), output
    assert re.search(
        r"^portal.builtin.default_workflow 0\S* \(handledarportalen\)\n.*\n.*\n  regions: all \(built-in\)$",
        output,
        re.MULTILINE,
    ), output
    assert runner.invoke(args=["plugins", "disable", "review", "fyrbodal"]).output == "review disabled for fyrbodal.\n"
    assert enabled(session) == set()
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id.is_(None))).all()
    assert actions == ["plugin.enable", "plugin.disable"]


def test_the_plugins_command_refuses_an_unknown_plugin(runner, world):
    result = runner.invoke(args=["plugins", "enable", "nothing", "fyrbodal"])
    assert result.exit_code == 2 and "nothing" in result.output


@pytest.mark.parametrize("region", ["fyrbodal", "skaraborg", "sjuharad", "goteborgsregionen"])
def test_every_regions_workflow_is_drawn_with_its_steps_and_who_takes_them(client, world, region):
    sign_in(client, world.admin.email)
    page = client.get(f"/admin/workflows/{region}").get_data(as_text=True)
    assert '<svg class="workflow-diagram" role="img"' in page
    assert page.count('<g class="state') == 10  # the default workflow's states
    assert '<th scope="row">Submit</th>' in page  # the steps table, the text alternative
    assert "Caseworker" in page and "The portal, automatically" in page


def test_a_plugins_workflow_can_be_previewed_before_it_is_enabled(client, session, world):
    sign_in(client, world.admin.email)
    page = client.get("/admin/workflows/fyrbodal?plugin=review").get_data(as_text=True)
    assert "Preview" in page and "With a review" in page and "Approve for matching" in page
    assert enabled(session) == set()
    assert "With a review" not in client.get("/admin/workflows/fyrbodal").get_data(as_text=True)
    assert client.get("/admin/workflows/fyrbodal?plugin=nothing").status_code == 404
    assert client.get("/admin/workflows/atlantis").status_code == 404


def test_the_menu_links_offices_to_the_plugins_page(app, world):
    coordinator, caseworker = app.test_client(), app.test_client()
    sign_in(coordinator, world.coordinator.email)
    assert '<a href="/admin/plugins">Plugins</a>' in coordinator.get("/").get_data(as_text=True)
    sign_in(caseworker, world.caseworker.email)
    assert "/admin/plugins" not in caseworker.get("/").get_data(as_text=True)
