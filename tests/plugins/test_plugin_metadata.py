"""What a plugin says about itself is what people see: its display name heads its factors
in the match page's explanation, and the bundled regional plugins each declare theirs."""

import html
import importlib
import re

import pytest
from flows import consent

from portal.domain.matching.factors import Factor
from portal.domain.referrals.actions import act
from portal.hookspecs import PluginMetadata, hookimpl
from portal.testing import sign_in


class Nearby:
    PORTAL_PLUGIN = PluginMetadata("Close to home", "Prefers supervisors near the participant.", ("fyrbodal",))

    @staticmethod
    @hookimpl
    def portal_matching_factors(region_code):
        return [Factor("nearby", "Nearby", 1.0, score=lambda c, m: 1.0, explain=lambda c, m: "Close by.")]


@pytest.fixture
def app(make_app):
    return make_app(plugins={"nearby": Nearby}, enabled={"fyrbodal": ["nearby"]}, DEFAULT_LOCALE="en")


def test_the_match_page_explains_a_plugin_s_factor_under_its_display_name(
    client, session, engine, world, draft, certified
):
    referral = draft()
    consent(session, world, referral)
    act(session, engine, world.caseworker, referral.id, "submit")
    session.commit()
    sign_in(client, world.caseworker.email)
    page = client.get(f"/referrals/{referral.id}/match").get_data(as_text=True)
    assert "<dt>Close to home</dt>" in page and "Close by." in page
    assert "<dt>nearby</dt>" not in page


@pytest.mark.parametrize(
    "plugin, region",
    [("fyrbodal", "fyrbodal"), ("skaraborg", "skaraborg"), ("sjuharad", "sjuharad"), ("goteborg", "goteborgsregionen")],
)
def test_each_regional_plugin_declares_its_name_and_region(plugin, region):
    metadata = importlib.import_module(f"portal_{plugin}").PORTAL_PLUGIN
    assert metadata.regions == (region,) and metadata.display_name and metadata.description


BUNDLED = {  # entry-point name: the name the offices read (issue 12, point 11)
    "fyrbodal": "Fyrbodals arbetsgång",
    "skaraborg": "Skaraborgs arbetsgång",
    "sjuharad": "Sjuhärads arbetsgång",
    "goteborg": "Göteborgsregionens arbetsgång",
    "xlsx": "Rapporter i Excel (XLSX)",
    "pdf": "Rapporter som PDF",
}


def test_the_offices_read_each_bundled_plugin_by_its_name_not_its_code(make_app, world):
    client = make_app().test_client()  # every installed plugin, the bundled ones among them
    sign_in(client, world.coordinator.email)
    page = client.get("/admin/plugins").get_data(as_text=True)
    names = {re.split(r"<br>|\n", cell)[0].strip() for cell in re.findall(r'<th scope="row">(.*?)</th>', page, re.S)}
    assert set(BUNDLED.values()) <= names
    assert not names & set(BUNDLED) and "portal_region_workflow" not in page  # codes and hooks are for admins

    answer = client.post("/admin/plugins/fyrbodal/fyrbodal/enable", follow_redirects=True)
    assert "Fyrbodals arbetsgång är nu på i Fyrbodal." in answer.get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    answer = client.post("/admin/plugins/fyrbodal/fyrbodal/disable", data={"confirm": "yes"}, follow_redirects=True)
    assert "Fyrbodal's workflow is now off in Fyrbodal." in html.unescape(answer.get_data(as_text=True))
