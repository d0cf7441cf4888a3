"""Every interface string goes through Babel and has a Swedish translation."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[1]
TRANSLATIONS = ROOT / "portal" / "translations"
METHODS = [("portal/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_messages() -> set[str]:
    found = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def as_key(value):
    """Plural entries have a tuple of forms; make them comparable and hashable."""
    return tuple(value) if isinstance(value, list | tuple) else value


def translated(catalogue) -> dict:
    """{singular msgid: translation or forms}, for entries with every form translated."""
    result = {}
    for message in catalogue:
        if not message.id:
            continue
        forms = as_key(message.string)
        if forms if not isinstance(forms, tuple) else all(forms):
            result[as_key(message.id)] = forms
    return result


def test_every_string_in_the_source_has_a_swedish_translation():
    swedish = {key[0] if isinstance(key, tuple) else key for key in translated(catalog("sv"))}
    untranslated = sorted(message for message in source_messages() if message not in swedish)
    assert untranslated == [], "run the pybabel commands in the README and translate these"


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_compiled_catalogs_match_their_sources(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        compiled = translated(read_mo(handle))
    written = translated(catalog(locale))
    stale = {key: value for key, value in written.items() if compiled.get(key) != value}
    assert stale == {}, "run: scripts/update-translations"


def test_no_fuzzy_swedish_translations():
    assert [message.id for message in catalog("sv") if message.fuzzy and message.id] == []
