"""A plugin's own Swedish catalogue, for a plugin outside this repository.

`portal plugin translations extract|update|compile PATH`, where PATH is the plugin's
folder (with ``pyproject.toml`` and its ``portal_<name>/`` package). Strings that core
already translates are left out: core's wording is used for them, and a plugin's
catalogue that repeated one would override core's wording on every page. Core's
translations are read from the installed portal (its compiled Swedish catalogue), so
this works against a plain ``pip install handledarportalen`` too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
LOCALE = "sv"


class TranslationsError(ValueError):
    """PATH is not a plugin's folder."""


def package(path: Path) -> Path:
    """The plugin's package in PATH: the one ``portal_*`` folder with an ``__init__.py``."""
    found = sorted(folder for folder in Path(path).glob("portal_*") if (folder / "__init__.py").exists())
    if len(found) != 1:
        raise TranslationsError(f"{path} should hold exactly one package portal_<name>/, found {len(found)}")
    return found[0]


@cache
def core_translated() -> frozenset[str]:
    """Every message id core's installed Swedish catalogue translates."""
    from portal.resources import PACKAGE_DIR

    with (PACKAGE_DIR / "translations" / LOCALE / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        catalog = read_mo(handle)
    return frozenset(_message_id(message.id) for message in catalog if message.id and message.string)


def template(path: Path) -> Catalog:
    """The plugin's own strings (code and templates), without those core translates."""
    code = package(path)
    catalog = Catalog(project=code.name.replace("_", "-"), locale=LOCALE)
    found: dict = {}
    for _file, _line, message, comments, _context in extract_from_dir(str(code), METHODS, keywords=KEYWORDS):
        found.setdefault(message if isinstance(message, str) else tuple(message), comments)
    for message, comments in sorted(found.items(), key=lambda item: str(item[0])):
        if _message_id(message) not in core_translated():
            catalog.add(message, auto_comments=comments)
    return catalog


def extract(path: Path) -> str:
    """Write ``portal_<name>/translations/messages.pot``."""
    catalog = template(path)
    pot = package(path) / "translations" / "messages.pot"
    pot.parent.mkdir(parents=True, exist_ok=True)
    with pot.open("wb") as handle:
        write_po(handle, catalog, no_location=True, sort_output=True, omit_header=True, width=100)
    return f"{len(catalog)} strings of the plugin's own in {pot}"


def update(path: Path) -> str:
    """Merge the plugin's strings into its Swedish messages.po (created when missing),
    drop those no longer used, compile, and say what is left to translate."""
    po_path = _po_path(path)
    if po_path.exists():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=LOCALE)
    else:
        po_path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(project=package(path).name.replace("_", "-"), locale=LOCALE)
    catalog.update(template(path), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    with po_path.open("wb") as handle:
        write_po(handle, catalog, no_location=True, sort_output=True, omit_header=True, width=100)
    compile_catalogues(path)
    missing = [_message_id(message.id) for message in catalog if message.id and not message.string]
    lines = [f"{len(catalog)} strings, {len(missing)} to translate in {po_path}"]
    return "\n".join(lines + [f"  {message!r}" for message in missing])


def compile_catalogues(path: Path) -> str:
    """Compile every ``messages.po`` under the plugin's ``translations/`` folder."""
    compiled = []
    for po_path in sorted((package(path) / "translations").glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        compiled.append(str(po_path.with_suffix(".mo")))
    if not compiled:
        raise TranslationsError(f"no translations/<locale>/LC_MESSAGES/messages.po in {package(path)}")
    return "\n".join(f"Compiled {name}" for name in compiled)


def _po_path(path: Path) -> Path:
    return package(path) / "translations" / LOCALE / "LC_MESSAGES" / "messages.po"


def _message_id(message) -> str:
    return message if isinstance(message, str) else message[0]
