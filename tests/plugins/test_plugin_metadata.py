"""What a plugin says about itself is what people see: its display name heads its factors
in the match page's explanation, and the bundled regional plugins each declare theirs."""

import importlib

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
