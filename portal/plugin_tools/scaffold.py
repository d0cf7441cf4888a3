"""`portal plugin new NAME`: a working plugin skeleton outside the repository.

It writes ``portal-NAME/`` with ``pyproject.toml`` (the entry point in group ``portal``),
``portal_NAME/__init__.py`` (its metadata, one referral field and its start-up hook), a
Swedish catalogue already compiled, tests that use core's exported fixtures, and a
README that says what to do next. Its tests pass as written, in a fresh virtual
environment with the portal installed from its wheel; the author changes them from there.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from portal.domain.geography import region_codes

NAME = re.compile(r"^[a-z][a-z0-9]{1,29}$")


class ScaffoldError(ValueError):
    """The name or the folder cannot be used; the message says why."""


PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "portal-$name"
dynamic = ["version"]
description = "Handledarportalen: $name"
requires-python = ">=3.11"
dependencies = ["handledarportalen"]

[project.optional-dependencies]
test = ["handledarportalen[test]"]

[project.entry-points.portal]
$name = "portal_$name"

[tool.setuptools.packages.find]
include = ["portal_$name*"]

[tool.setuptools.dynamic]
version = {attr = "portal_$name.__version__"}

[tool.setuptools.package-data]
portal_$name = ["templates/**/*", "translations/*/LC_MESSAGES/*"]

[tool.pytest.ini_options]
testpaths = ["tests"]
filterwarnings = ["error"]
"""

MODULE = '''\
"""portal_$name: a plugin for Handledarportalen, made for $region.

Written by `portal plugin new`. The hooks are in `portal.hookspecs`; the guide is
docs/plugins.md in the portal's repository.
"""

from __future__ import annotations

from pathlib import Path

from portal.i18n import lazy_gettext as _

from portal.domain.referrals.fields import ReferralField
from portal.hookspecs import PluginMetadata, hookimpl
from portal.plugins import add_translations

__version__ = "0.1.0"

PORTAL_PLUGIN = PluginMetadata(
    display_name=_("Interpreter question ($name)"),
    description=_("Asks on the referral form whether the participant needs an interpreter."),
    regions=("$region",),
    requires_api=">=$api_major.$api_minor,<$next_major",
)


@hookimpl
def portal_referral_fields(region_code):
    return [ReferralField("interpreter", _("Does the participant need an interpreter?"), kind="yes-no")]


@hookimpl
def portal_startup(app):
    add_translations(app, Path(__file__).parent / "translations")
'''

CONFTEST = '''\
"""The portal with portal-$name enabled in $region only (core's fixtures: `portal.testing`)."""

import pytest

import portal_$name


@pytest.fixture
def app(make_app):
    return make_app(plugins={"$name": portal_$name}, enabled={"$region": ["$name"]})


@pytest.fixture
def home_municipality():
    """Where `person`, `draft` and `accepted` place the participant: in $region."""
    return "$municipality"


@pytest.fixture
def referral_answers():
    return {"$name.interpreter": "yes"}
'''

TESTS = '''\
"""portal-$name asks its question in $region only, and speaks Swedish."""

from portal.domain.referrals.fields import answers_of, for_region


def test_the_referral_form_asks_the_question_in_the_plugins_region_only(session, engine, world):
    assert "$name.interpreter" in [field.key for field in for_region(session, engine, "$region")]
    assert "$name.interpreter" not in [field.key for field in for_region(session, engine, "$other_region")]


def test_the_answer_is_stored_and_read_back_as_a_typed_value(session, engine, draft):
    referral = draft()
    assert answers_of(session, engine, referral.id, "$name")["interpreter"] is True


def test_the_plugin_shows_its_swedish_name(app):
    info = app.extensions["portal.plugins"].portal_info["$name"]
    with app.test_request_context():
        assert str(info.display_name) == "Tolkfråga ($name)"
'''

SWEDISH = """\
msgid "Interpreter question ($name)"
msgstr "Tolkfråga ($name)"

msgid "Asks on the referral form whether the participant needs an interpreter."
msgstr "Frågar på remissformuläret om deltagaren behöver tolk."

msgid "Does the participant need an interpreter?"
msgstr "Behöver deltagaren tolk?"
"""

README = """\
# portal-$name

A plugin for Handledarportalen, made for $region. Written by `portal plugin new $name`.

    python -m venv .venv && .venv/bin/pip install -e '.[test]'
    PORTAL_TEST_BACKENDS=sqlite .venv/bin/pytest       # or with PostgreSQL running: pytest

Next steps:

- add hooks in `portal_$name/__init__.py` (the list: `portal.hookspecs`);
- after changing texts: `portal plugin translations update .`, translate the new entries in
  `portal_$name/translations/sv/LC_MESSAGES/messages.po`, then `portal plugin translations compile .`;
- install it beside the portal (`pip install .`), restart it, and turn it on for a region:
  `portal plugins enable $name $region`.
"""

MUNICIPALITY = {"fyrbodal": "Trollhättan", "skaraborg": "Skövde", "sjuharad": "Borås", "goteborgsregionen": "Göteborg"}


def write(name: str, directory: Path, region: str = "fyrbodal") -> Path:
    """Write the skeleton in ``directory/portal-<name>`` and answer that folder."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from portal.hookspecs import API_VERSION

    if not NAME.match(name):
        raise ScaffoldError(f"{name!r}: use 2 to 30 lower-case letters and digits, starting with a letter")
    if region not in region_codes():
        raise ScaffoldError(f"{region!r} is not a region code ({', '.join(region_codes())})")
    folder = Path(directory) / f"portal-{name}"
    if folder.exists():
        raise ScaffoldError(f"{folder} exists already: choose another name or folder")
    major, minor, _patch = (int(part) for part in API_VERSION.split("."))
    values = {
        "name": name,
        "region": region,
        "other_region": next(code for code in region_codes() if code != region),
        "municipality": MUNICIPALITY[region],
        "api_major": major,
        "api_minor": minor,
        "next_major": major + 1,
    }
    package = folder / f"portal_{name}"
    catalogue = package / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
    files = {
        folder / "pyproject.toml": PYPROJECT,
        folder / "README.md": README,
        package / "__init__.py": MODULE,
        folder / "tests" / "conftest.py": CONFTEST,
        folder / "tests" / f"test_{name}.py": TESTS,
        catalogue: SWEDISH,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(text).substitute(values), encoding="utf-8")
    with catalogue.open("rb") as handle:
        parsed = read_po(handle, locale="sv")
    with catalogue.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, parsed)
    return folder
