"""A plain (non-editable) install of the wheel runs the demo from any folder.

This proves that templates, static files, translations, migrations and data files are
package data that travel with the wheel, not files found by luck in the working tree.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# Left behind by development and earlier builds; a stale build/ would hide missing package data.
NOT_SOURCE = (
    ".git",
    ".venv",
    "build",
    "dist",
    "instance",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    "test-results",
)
STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode(errors="replace")


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> tuple[int, str]:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`portal demo` exited with {process.returncode}:\n{log.read_text()}")
        try:
            return _get(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"`portal demo` did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture
def installed_portal(tmp_path) -> Path:
    """The `portal` script of a fresh virtual environment with the project installed from a copy."""
    source = tmp_path / "source"
    shutil.copytree(REPO_ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", str(source)],
        check=True,
        cwd=tmp_path,
    )
    shutil.rmtree(source)  # nothing may be read from the source tree after installing
    return venv / "bin" / "portal"


@pytest.mark.slow
def test_installed_wheel_serves_the_demo_from_another_folder(installed_portal, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("PORTAL_") and name != "PYTHONPATH"
    }
    environment["PORTAL_INSTANCE_PATH"] = str(tmp_path / "instance")
    port = _free_port()
    log = tmp_path / "demo.log"

    with log.open("w") as output:
        process = subprocess.Popen(
            [str(installed_portal), "demo", "--port", str(port)],
            cwd=elsewhere,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        status, page = _wait_for(f"http://127.0.0.1:{port}/sign-in", process, log)
        assert status == 200, log.read_text()
        assert "<h1>Logga in</h1>" in page
        status, stylesheet = _get(f"http://127.0.0.1:{port}/static/portal.css")
        assert status == 200
        assert stylesheet.strip()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    assert f"http://127.0.0.1:{port}/" in log.read_text()
