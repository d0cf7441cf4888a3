"""Mistakes in what plugins declare, or in the settings that name plugins' things, stop
start-up with a message that names the plugin or the setting and says what to do."""

from dataclasses import replace

import pytest

from portal import create_app, hookspecs
from portal.builtin.matching_factors import CORE_FACTORS
from portal.domain.matching.factors import Factor
from portal.hookspecs import PluginMetadata, hookimpl
from portal.plugins import PluginError
from portal.testing import make_settings


def start(tmp_path, plugins=None, **settings):
    return create_app(
        {**make_settings(f"sqlite:///{tmp_path / 'portal.sqlite3'}", tmp_path), **settings}, plugins=plugins
    )


class ChoosesAnUndeclaredWorkflow:
    @staticmethod
    @hookimpl
    def portal_region_workflow(region_code):
        return "intkae" if region_code == "sjuharad" else None


def test_a_region_workflow_no_plugin_declares_stops_start_up(tmp_path):
    with pytest.raises(
        PluginError,
        match=r"plugin 'typo' chooses the workflow 'intkae' for region 'sjuharad' \(portal_region_workflow\), "
        r"but no installed plugin declares it \(declared: default, .*\): declare it in the plugin's portal_workflows",
    ):
        start(tmp_path, plugins={"typo": ChoosesAnUndeclaredWorkflow})


def factor_plugin(factor):
    class Plugin:
        @staticmethod
        @hookimpl
        def portal_matching_factors(region_code):
            return [factor]

    return Plugin


LANGUAGE = next(factor for factor in CORE_FACTORS if factor.name == "language")


@pytest.mark.parametrize(
    "factor, message",
    [
        (replace(LANGUAGE, name="mute", explain=None), r"plugin 'factors': matching factor 'mute' has no explanation"),
        (replace(LANGUAGE, name="nameless", label=""), r"matching factor 'nameless' has no label"),
        (
            replace(LANGUAGE, name="percent", score=lambda candidate, match: 100 * candidate.capacity),
            r"matching factor 'percent' scored 100 for a sample candidate: a score must be a number in \[0, 1\]",
        ),
        (
            replace(LANGUAGE, name="nan", score=lambda candidate, match: float("nan")),
            r"matching factor 'nan' scored nan",
        ),
        (
            replace(LANGUAGE, name="silent", explain=lambda candidate, match: None),
            r"matching factor 'silent' explained nothing",
        ),
        (
            replace(LANGUAGE, name="fragile", score=lambda candidate, match: 1 / len(match.needs)),
            r"matching factor 'fragile' failed on a sample candidate: ZeroDivisionError",
        ),
        (replace(LANGUAGE, name="negative", weight=-1), r"matching factor 'negative' has the weight -1"),
        ("language=2", r"plugin 'factors' declares a matching factor for region '\w+' that is not a .*Factor"),
    ],
)
def test_a_broken_matching_factor_stops_start_up_naming_the_plugin_and_the_factor(tmp_path, factor, message):
    with pytest.raises(PluginError, match=message):
        start(tmp_path, plugins={"factors": factor_plugin(factor)})


def test_a_factor_with_a_prepare_step_is_checked_when_it_ranks_not_on_the_sample(tmp_path):
    needs_data = Factor("needs_data", "Needs data", 1.0, score=lambda c, m: m.prepared["needs_data"][c], explain=str)
    start(tmp_path, plugins={"factors": factor_plugin(replace(needs_data, prepare=lambda *args: {}))})


def test_an_unknown_factor_in_the_weights_setting_stops_start_up(tmp_path):
    with pytest.raises(
        PluginError,
        match=r"PORTAL_MATCHING_WEIGHTS names 'langauge', which no installed plugin declares as a matching factor "
        r"\(known: accessibility, continuity, interests, language, load, needs, travel\): correct the setting",
    ):
        start(tmp_path, MATCHING_WEIGHTS="langauge=2,travel=1")


def test_a_plugin_s_factor_may_be_weighted_in_the_setting(tmp_path):
    plugin = factor_plugin(replace(LANGUAGE, name="nearby"))
    start(tmp_path, plugins={"factors": plugin}, MATCHING_WEIGHTS="nearby=3")


def test_an_unknown_plugin_in_the_plugins_setting_stops_start_up(tmp_path):
    with pytest.raises(
        PluginError,
        match=r"PORTAL_PLUGINS names 'fyrbodl', which no installed plugin is called \(installed: .*fyrbodal.*\): "
        r"correct the setting, or install the plugin with pip",
    ):
        start(tmp_path, PLUGINS="fyrbodal,fyrbodl")


def metadata_plugin(metadata):
    class Plugin:
        PORTAL_PLUGIN = metadata

    return Plugin


def test_the_api_version_is_semantic():
    from packaging.version import Version

    assert Version(hookspecs.API_VERSION).release[:3] == tuple(int(n) for n in hookspecs.API_VERSION.split("."))


def test_a_plugin_that_requires_another_api_version_stops_start_up(tmp_path):
    with pytest.raises(
        PluginError,
        match=rf"plugin 'future' requires plugin API >=2,<3, but this portal offers {hookspecs.API_VERSION}: "
        r"install a version of the plugin made for",
    ):
        start(tmp_path, plugins={"future": metadata_plugin(PluginMetadata("Future", requires_api=">=2,<3"))})


def test_a_plugin_that_accepts_this_api_version_starts_with_its_metadata(tmp_path):
    metadata = PluginMetadata("Fyrbodal's review", "A review step.", regions=["fyrbodal"], requires_api=">=1.1,<2")
    app = start(tmp_path, plugins={"review": metadata_plugin(metadata)})
    info = app.extensions["portal.plugins"].portal_info["review"]
    assert (info.display_name, info.description, info.intended_regions) == (
        "Fyrbodal's review",
        "A review step.",
        ("fyrbodal",),
    )


def test_a_requirement_that_is_not_a_version_range_stops_start_up(tmp_path):
    with pytest.raises(PluginError, match=r"plugin 'odd': requires_api 'one or two' is not a version range"):
        start(tmp_path, plugins={"odd": metadata_plugin(PluginMetadata("Odd", requires_api="one or two"))})
