"""Loading plugins: a broken one stops start-up naming it; region-scoped hooks reach only
the plugins enabled for the region; core's built-ins are always on."""

import textwrap

import pytest
from sample_plugins import Review

from portal import create_app
from portal.domain.plugins import enabling as plugin_admin
from portal.domain.referrals.actions import workflow_for_region
from portal.plugins import PluginError
from portal.testing import make_settings


def install_fake_plugin(tmp_path, monkeypatch, name: str, code: str) -> None:
    """A distribution `portal-<name>` on sys.path with an entry point in group `portal`,
    found the way an installed plugin is."""
    module = f"portal_{name}"
    (tmp_path / module).mkdir()
    (tmp_path / module / "__init__.py").write_text(textwrap.dedent(code))
    info = tmp_path / f"portal_{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: portal-{name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[portal]\n{name} = {module}\n")
    monkeypatch.syspath_prepend(str(tmp_path))


def start(tmp_path, **settings):
    return create_app({**make_settings(f"sqlite:///{tmp_path / 'portal.sqlite3'}", tmp_path), **settings})


def test_an_installed_plugin_is_loaded_with_its_name_version_and_hooks(tmp_path, monkeypatch):
    install_fake_plugin(
        tmp_path,
        monkeypatch,
        "hello",
        """
        from portal.hookspecs import hookimpl

        @hookimpl
        def portal_navigation_links(user):
            return [("Hello", "/hello")]
    """,
    )
    info = start(tmp_path).extensions["portal.plugins"].portal_info["hello"]
    assert (info.distribution, info.version, info.builtin) == ("portal-hello", "1.0", False)
    assert info.hooks == ("portal_navigation_links",)


def test_a_plugin_that_fails_to_import_stops_start_up_naming_it(tmp_path, monkeypatch):
    install_fake_plugin(tmp_path, monkeypatch, "broken", "import portal_a_dependency_nobody_installed\n")
    with pytest.raises(
        PluginError,
        match=r"plugin 'broken' failed to import: ModuleNotFoundError: .*"
        r"portal_a_dependency_nobody_installed",
    ):
        start(tmp_path)


def test_a_plugin_with_an_invalid_workflow_stops_start_up_naming_it(tmp_path, monkeypatch):
    install_fake_plugin(
        tmp_path,
        monkeypatch,
        "loops",
        """
        from portal.domain.referrals.workflow import State, Transition, Workflow
        from portal.hookspecs import hookimpl

        @hookimpl
        def portal_workflows():
            return [Workflow(name="loops", version=1, title="Loops", initial="a",
                             states=(State("a", "A"), State("b", "B")),
                             transitions=(Transition("go", ("a",), "b", frozenset({"caseworker"}), "Go"),))]
    """,
    )
    with pytest.raises(
        PluginError,
        match=r"plugin 'loops' declares an invalid workflow: workflow 'loops' "
        r"version 1: no terminal state",
    ):
        start(tmp_path)


def test_a_misspelt_hook_stops_start_up_naming_the_plugin_and_the_hook(tmp_path, monkeypatch):
    install_fake_plugin(
        tmp_path,
        monkeypatch,
        "typo",
        """
        from portal.hookspecs import hookimpl

        @hookimpl
        def portal_workflow():
            return []
    """,
    )
    with pytest.raises(PluginError, match=r"plugin 'typo' implements an unknown hook: .*'portal_workflow'"):
        start(tmp_path)


def test_a_hook_taking_an_argument_the_hook_does_not_have_stops_start_up(tmp_path, monkeypatch):
    install_fake_plugin(
        tmp_path,
        monkeypatch,
        "wrongargs",
        """
        from portal.hookspecs import hookimpl

        @hookimpl
        def portal_region_workflow(region):
            return None
    """,
    )
    with pytest.raises(PluginError, match=r"plugin 'wrongargs' could not be registered: .*region"):
        start(tmp_path)


def test_invalid_referral_fields_stop_start_up_naming_the_plugin(tmp_path, monkeypatch):
    install_fake_plugin(
        tmp_path,
        monkeypatch,
        "fields",
        """
        from portal.domain.referrals.fields import ReferralField
        from portal.hookspecs import hookimpl

        @hookimpl
        def portal_referral_fields(region_code):
            return [ReferralField("colour", "Colour", kind="choice")]
    """,
    )
    with pytest.raises(
        PluginError,
        match=r"plugin 'fields' declares invalid referral fields for region "
        r"'\w+': choice field 'colour' has no choices",
    ):
        start(tmp_path)


def test_a_plugin_failing_at_start_up_stops_it_naming_the_plugin(tmp_path, monkeypatch):
    install_fake_plugin(
        tmp_path,
        monkeypatch,
        "crash",
        """
        from portal.hookspecs import hookimpl

        @hookimpl
        def portal_startup(app):
            raise RuntimeError("no licence file")
    """,
    )
    with pytest.raises(PluginError, match=r"plugin 'crash' failed in its start-up hook .*no licence file"):
        start(tmp_path)


def test_core_adds_a_plugins_translations_folder_once_also_when_the_plugin_adds_it(tmp_path, monkeypatch):
    """API 1.5.0: the folder beside the module is core's to add; a 1.4 plugin still adds it."""
    install_fake_plugin(
        tmp_path,
        monkeypatch,
        "older",
        """
        from pathlib import Path

        from portal.hookspecs import hookimpl
        from portal.plugins import add_translations

        @hookimpl
        def portal_startup(app):
            add_translations(app, Path(__file__).parent / "translations")
    """,
    )
    (tmp_path / "portal_older" / "translations").mkdir()
    install_fake_plugin(tmp_path, monkeypatch, "newer", "")
    (tmp_path / "portal_newer" / "translations").mkdir()
    directories = start(tmp_path).extensions["babel"].translation_directories
    for name in ("older", "newer"):
        assert directories.count(str(tmp_path / f"portal_{name}" / "translations")) == 1


def test_portal_plugins_limits_which_installed_plugins_load(tmp_path, monkeypatch):
    install_fake_plugin(tmp_path, monkeypatch, "broken", "raise ImportError('never imported')\n")
    install_fake_plugin(tmp_path, monkeypatch, "hello", "")
    monkeypatch.setenv("PORTAL_PLUGINS", "hello")
    loaded = start(tmp_path).extensions["portal.plugins"].portal_info
    assert "hello" in loaded and "broken" not in loaded
    assert "portal.builtin.default_workflow" in loaded  # core's built-ins always load


def test_tracing_logs_every_hook_call(tmp_path, caplog):
    app = start(tmp_path, TRACE_PLUGINS=True)
    with caplog.at_level("INFO", logger="portal.plugins"):
        app.extensions["portal.plugins"].hook.portal_region_workflow(region_code="fyrbodal")
    assert any("portal_region_workflow" in message for message in caplog.messages)


def test_region_scoped_hooks_reach_only_the_plugins_enabled_for_the_region(make_app, session, world):
    app = make_app(plugins={"review": Review})
    engine, manager = app.extensions["portal.engine"], app.extensions["portal.plugins"]
    assert workflow_for_region(session, engine, "fyrbodal").name == "default"  # installed, not enabled
    plugin_admin.enable(session, manager, world.admin, "review", "fyrbodal")
    session.commit()
    assert workflow_for_region(session, engine, "fyrbodal").name == "review"
    assert workflow_for_region(session, engine, "skaraborg").name == "default"
    plugin_admin.disable(session, manager, world.admin, "review", "fyrbodal")
    session.commit()
    assert workflow_for_region(session, engine, "fyrbodal").name == "default"


def test_reactions_of_a_plugin_are_heard_only_in_the_regions_it_is_enabled_for(make_app, session, vault, world):
    from flows import submitted

    app = make_app(plugins={"review": Review}, enabled={"skaraborg": ["review"]})
    Review.heard.clear()
    submitted(session, app.extensions["portal.engine"], vault, world)  # a referral in Fyrbodal
    assert Review.heard == []


def test_reactions_follow_the_referral_through_the_plugins_workflow(make_app, session, vault, world):
    from flows import submitted

    app = make_app(plugins={"review": Review}, enabled={"fyrbodal": ["review"]})
    Review.heard.clear()
    referral = submitted(session, app.extensions["portal.engine"], vault, world)
    assert (referral.workflow_name, referral.state) == ("review", "review")
    assert Review.heard == [("fyrbodal", "submit"), ("fyrbodal", "start_review")]


def test_a_plugin_registered_twice_under_one_name_is_refused(tmp_path):
    with pytest.raises(PluginError, match=r"plugin 'portal.builtin.default_workflow' could not be registered"):
        create_app(
            make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path),
            plugins={"portal.builtin.default_workflow": Review},
        )
