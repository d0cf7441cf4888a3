"""The `portal` command run as an operator runs it: a separate process, with only the
`PORTAL_*` settings a test gives (none inherited from the test run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PORTAL = str(Path(sys.executable).parent / "portal")


def portal(*args, cwd, env=None) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PORTAL_")}
    return subprocess.run([PORTAL, *args], cwd=cwd, env={**environment, **(env or {})}, capture_output=True, text=True)
