"""Where the portal's own files are, in a source checkout and in an installed wheel.

`templates/` and `migrations/` sit at the repository's top level, as the project's design
card asks; the wheel carries them inside the package (`pyproject.toml`,
`force-include`). So each is looked for in the package first (an installed wheel) and
then beside it (a source checkout, which editable installs run from).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The folder `name` (templates, migrations) of the installed package or the checkout."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


TEMPLATES_DIR = bundled("templates")
MIGRATIONS_DIR = bundled("migrations")
