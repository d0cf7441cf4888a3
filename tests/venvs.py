"""Fresh virtual environments for the install tests: the core installed from a copy of the
source (not editable, so nothing is read from the working tree once installed), and the
environment a process there runs with (no PORTAL_ settings or PYTHONPATH of this run)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from test_install import NOT_SOURCE, REPO_ROOT


def fresh_venv(tmp_path: Path, core_extras: str = "", plugins: tuple[str, ...] = ()) -> Path:
    """The `bin` folder of a new virtual environment with the core (``core_extras``:
    e.g. ``"[test]"``) and the bundled `plugins` (folder names under plugins/)."""
    source = tmp_path / "source"
    shutil.copytree(REPO_ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv / "bin" / "pip"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"{source}{core_extras}",
            *(str(source / "plugins" / name) for name in plugins),
        ],
        check=True,
        cwd=tmp_path,
    )
    shutil.rmtree(source)
    return venv / "bin"


def clean_environment(tmp_path: Path) -> dict[str, str]:
    """This process's environment without PORTAL_ settings or PYTHONPATH, with an instance
    folder of the test's own."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("PORTAL_") and name != "PYTHONPATH"
    }
    environment["PORTAL_INSTANCE_PATH"] = str(tmp_path / "instance")
    return environment
