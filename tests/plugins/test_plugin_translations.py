"""Every string of the bundled regional plugins has a Swedish translation, in the plugin's
own catalogue or, for the strings core has too, in core's; a plugin's catalogue never
repeats one of core's (it would override core's wording on every page).
`scripts/update-plugin-translations` extracts, merges and compiles them."""

from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[2]
PLUGINS = ("fyrbodal", "skaraborg", "sjuharad", "goteborg")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


@cache
def source_messages(directory: Path) -> frozenset[str]:
    return frozenset(
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(str(directory), METHODS, keywords=KEYWORDS)
    )


def catalogue_path(plugin: str) -> Path:
    return ROOT / "plugins" / plugin / f"portal_{plugin}" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"


def translated(entries) -> dict:
    return {
        message.id if isinstance(message.id, str) else message.id[0]: message.string
        for message in entries
        if message.id and message.string
    }


@pytest.mark.parametrize("plugin", PLUGINS)
def test_every_string_of_the_plugin_has_a_swedish_translation_of_its_own_or_cores(plugin):
    with catalogue_path(plugin).open("rb") as handle:
        swedish = translated(read_po(handle))
    core = source_messages(ROOT / "portal")
    own = source_messages(ROOT / "plugins" / plugin / f"portal_{plugin}")
    assert sorted(own - core - swedish.keys()) == [], "run scripts/update-plugin-translations and translate these"
    assert sorted(swedish.keys() & core) == [], "core translates these itself"


@pytest.mark.parametrize("plugin", PLUGINS)
def test_the_plugins_compiled_catalogue_matches_its_source(plugin):
    path = catalogue_path(plugin)
    with path.open("rb") as handle:
        written = read_po(handle)
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = translated(read_mo(handle))
    assert compiled == translated(written), "run scripts/update-plugin-translations"
    assert [message.id for message in written if message.fuzzy and message.id] == []
