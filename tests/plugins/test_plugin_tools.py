"""Tools for plugin authors: `portal plugin new` writes a skeleton that works as written,
`portal plugin translations` keeps its own Swedish catalogue without core's strings, and
`portal plugins list` on a database not yet migrated says what to run."""

import importlib
import sys

import pytest
from babel.messages.pofile import read_po
from commands import portal


@pytest.fixture
def skeleton(tmp_path, monkeypatch):
    done = portal("plugin", "new", "tolk", "--region", "skaraborg", "--directory", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "portal-tolk"
    assert done.stdout.startswith(f"Wrote {folder}.")
    monkeypatch.syspath_prepend(str(folder))
    sys.modules.pop("portal_tolk", None)
    yield folder
    sys.modules.pop("portal_tolk", None)


def test_the_skeleton_has_its_entry_point_metadata_catalogue_tests_and_readme(skeleton):
    import tomllib

    project = tomllib.loads((skeleton / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["portal"] == {"tolk": "portal_tolk"}
    assert project["project"]["dependencies"] == ["handledarportalen"]
    for name in (
        "README.md",
        "tests/conftest.py",
        "tests/test_tolk.py",
        "portal_tolk/translations/sv/LC_MESSAGES/messages.mo",
    ):
        assert (skeleton / name).exists(), name
    module = importlib.import_module("portal_tolk")
    assert module.PORTAL_PLUGIN.regions == ("skaraborg",)


def test_the_skeleton_is_a_plugin_the_portal_starts_with(skeleton, make_app, session, world):
    from portal.domain.referrals.fields import for_region

    module = importlib.import_module("portal_tolk")
    app = make_app(plugins={"tolk": module}, enabled={"skaraborg": ["tolk"]})
    engine = app.extensions["portal.engine"]
    session.rollback()
    assert [field.key for field in for_region(session, engine, "skaraborg")] == ["tolk.interpreter"]
    assert for_region(session, engine, "fyrbodal") == []


@pytest.mark.parametrize(
    "name, message",
    [("Tolk", "use 2 to 30 lower-case letters"), ("tolk-2", "use 2 to 30 lower-case letters")],
)
def test_a_bad_name_is_refused_with_the_rule(tmp_path, name, message):
    done = portal("plugin", "new", name, "--directory", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr and not list(tmp_path.iterdir())


def test_an_existing_folder_is_never_overwritten(skeleton):
    done = portal("plugin", "new", "tolk", "--directory", str(skeleton.parent), cwd=skeleton.parent)
    assert done.returncode == 2 and "exists already" in done.stderr


def test_translations_keep_the_plugins_own_strings_and_leave_out_cores(skeleton):
    module = skeleton / "portal_tolk" / "__init__.py"
    module.write_text(
        module.read_text() + '\n\nEXTRA = (_("Yes"), _("Interpreter booked"))\n', encoding="utf-8"
    )  # "Yes" core translates
    done = portal("plugin", "translations", "update", str(skeleton), cwd=skeleton)
    assert done.returncode == 0, done.stderr
    assert "1 to translate" in done.stdout and "'Interpreter booked'" in done.stdout
    po = skeleton / "portal_tolk" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = {message.id: message.string for message in read_po(handle) if message.id}
    assert "Yes" not in catalog
    assert catalog["Does the participant need an interpreter?"] == "Behöver deltagaren tolk?"
    assert catalog["Interpreter booked"] == ""
    assert not (skeleton / "portal_tolk" / "translations" / "messages.pot").exists()
    done = portal("plugin", "translations", "extract", str(skeleton), cwd=skeleton)
    assert done.returncode == 0 and done.stdout.startswith("4 strings of the plugin's own in ")
    pot = (skeleton / "portal_tolk" / "translations" / "messages.pot").read_text()
    assert "Interpreter booked" in pot and 'msgid "Yes"' not in pot

    po.write_text(
        po.read_text().replace(
            'msgid "Interpreter booked"\nmsgstr ""', 'msgid "Interpreter booked"\nmsgstr "Tolk bokad"'
        )
    )
    done = portal("plugin", "translations", "compile", str(skeleton), cwd=skeleton)
    assert done.returncode == 0 and done.stdout.startswith("Compiled ")


def test_translations_of_a_folder_without_a_plugin_say_so(tmp_path):
    done = portal("plugin", "translations", "extract", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "should hold exactly one package portal_<name>/" in done.stderr
