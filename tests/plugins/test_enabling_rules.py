"""What a plugin says about itself is shown to the offices and holds them to it: a plugin
made for other regions is turned on elsewhere by an admin who confirmed a warning, two
plugins that both choose a region's workflow are never on together, and coordinators
see only their own region's workflow."""

import pytest
from sample_plugins import Review, with_review
from sqlalchemy import select

from portal.hookspecs import PluginMetadata, hookimpl
from portal.models import PluginEnablement
from portal.testing import sign_in


class MadeForSkaraborg(Review):
    PORTAL_PLUGIN = PluginMetadata("Skaraborg's review", "A coordinator reviews each referral.", regions=("skaraborg",))


class AlsoChooses:
    PORTAL_PLUGIN = PluginMetadata("Second review")

    @staticmethod
    @hookimpl
    def portal_workflows():
        from dataclasses import replace

        return [replace(with_review(), name="second")]

    @staticmethod
    @hookimpl
    def portal_region_workflow(region_code):
        return "second"


class Quiet:
    """Chooses no workflow: it can be on beside any plugin."""

    @staticmethod
    @hookimpl
    def portal_navigation_links(user):
        return None


@pytest.fixture
def app(make_app):
    return make_app(
        plugins={"review": MadeForSkaraborg, "second": AlsoChooses, "quiet": Quiet},
        PLUGINS="review,second,quiet",
        DEFAULT_LOCALE="en",
    )


def enabled(session):
    session.rollback()
    return {(row.plugin, row.region.code) for row in session.scalars(select(PluginEnablement))}


def test_the_plugin_page_shows_the_display_name_description_and_intended_regions(client, world):
    sign_in(client, world.admin.email)
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert "Skaraborg&#39;s review" in page and "A coordinator reviews each referral." in page
    assert "Made for: Skaraborg" in page  # the region's name, not its code
    assert "<code>portal_region_workflow</code> (only where on)" in page  # for who runs the portal
    assert "<code>portal_workflows</code> (everywhere)" in page


def test_the_offices_see_no_hook_or_package_names(client, world):
    sign_in(client, world.coordinator.email)
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert "Skaraborg&#39;s review" in page
    assert "portal_" not in page and "<code>" not in page


def test_an_admin_turns_a_plugin_on_outside_its_regions_only_after_confirming(client, session, world):
    sign_in(client, world.admin.email)
    warning = client.post("/admin/plugins/review/fyrbodal/enable")
    assert warning.status_code == 200
    text = warning.get_data(as_text=True)
    assert "is made for Skaraborg, not for Fyrbodal" in text and 'name="confirm" value="yes"' in text
    assert enabled(session) == set()
    assert client.post("/admin/plugins/review/fyrbodal/enable", data={"confirm": "yes"}).status_code == 303
    assert enabled(session) == {("review", "fyrbodal")}


def test_an_admin_turns_it_on_in_its_own_region_without_a_warning(client, session, world):
    sign_in(client, world.admin.email)
    assert client.post("/admin/plugins/review/skaraborg/enable").status_code == 303
    assert enabled(session) == {("review", "skaraborg")}


def test_a_coordinator_cannot_turn_on_a_plugin_made_for_other_regions(client, session, world):
    sign_in(client, world.coordinator.email)  # Fyrbodal's
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert "only an administrator can turn it on here" in page
    refused = client.post("/admin/plugins/review/fyrbodal/enable", data={"confirm": "yes"})
    assert refused.status_code == 403
    assert "Only an administrator can turn it on in Fyrbodal." in refused.get_data(as_text=True)
    assert enabled(session) == set()


def test_two_plugins_choosing_the_workflow_are_never_on_in_one_region(client, session, world):
    sign_in(client, world.admin.email)
    client.post("/admin/plugins/second/skaraborg/enable")
    refused = client.post("/admin/plugins/review/skaraborg/enable")
    assert refused.status_code == 409
    text = refused.get_data(as_text=True).replace("&#39;", "'")
    assert "cannot be turned on in Skaraborg: Second review already chooses the region's workflow." in text
    assert client.post("/admin/plugins/quiet/skaraborg/enable").status_code == 303
    assert enabled(session) == {("second", "skaraborg"), ("quiet", "skaraborg")}


def test_a_coordinator_sees_only_their_own_region_s_workflow(client, world):
    sign_in(client, world.coordinator.email)
    assert client.get("/admin/workflows/fyrbodal").status_code == 200
    assert client.get("/admin/workflows/skaraborg").status_code == 403
    assert client.get("/admin/workflows/skaraborg?plugin=second").status_code == 403


def test_the_command_line_warns_and_enables_with_confirm(runner, session, world):
    result = runner.invoke(args=["plugins", "enable", "review", "fyrbodal"])
    assert result.exit_code == 2
    assert "Warning: Skaraborg's review is made for Skaraborg, not for Fyrbodal." in result.output
    assert "again with --confirm" in result.output
    assert runner.invoke(args=["plugins", "enable", "review", "fyrbodal", "--confirm"]).exit_code == 0
    result = runner.invoke(args=["plugins", "enable", "second", "fyrbodal"])
    assert result.exit_code == 2 and "Error: Second review cannot be turned on in Fyrbodal: Skaraborg's review" in (
        result.output
    )


def test_the_listing_says_which_hooks_are_region_scoped_and_which_global(runner, world):
    output = runner.invoke(args=["plugins", "list"]).output
    review = output.split("review ")[1].split("\nsecond")[0]
    assert "  name:    Skaraborg's review\n" in review and "  made for: skaraborg\n" in review
    assert "  region-scoped hooks (only where enabled): portal_region_workflow, portal_transition_done\n" in review
    assert "  global hooks (every region, enabled or not): portal_workflows\n" in review
