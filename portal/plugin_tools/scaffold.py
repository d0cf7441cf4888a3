"""`portal plugin new NAME`: a working plugin skeleton outside the repository.

It writes ``portal-NAME/`` with ``pyproject.toml`` (the entry point in group ``portal``),
``portal_NAME/__init__.py`` (its metadata and one referral field), a Swedish catalogue
already compiled (core adds it), tests that use core's exported fixtures, and a README
that says what to do next, from the templates in ``skeleton/`` (files, not code: they
are shipped in the wheel and filled in with `string.Template`). Its tests pass as
written, in a fresh virtual environment with the portal installed from its wheel; the
author changes them from there.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from portal.domain.geography import region_codes

NAME = re.compile(r"^[a-z][a-z0-9]{1,29}$")


class ScaffoldError(ValueError):
    """The name or the folder cannot be used; the message says why."""


SKELETON = Path(__file__).parent / "skeleton"

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
        folder / "pyproject.toml": "pyproject.toml",
        folder / "README.md": "README.md",
        package / "__init__.py": "__init__.py",
        folder / "tests" / "conftest.py": "conftest.py",
        folder / "tests" / f"test_{name}.py": "test_plugin.py",
        catalogue: "messages.po",
    }
    for path, skeleton in files.items():
        text = (SKELETON / f"{skeleton}.tmpl").read_text(encoding="utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(text).substitute(values), encoding="utf-8")
    with catalogue.open("rb") as handle:
        parsed = read_po(handle, locale="sv")
    with catalogue.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, parsed)
    return folder
