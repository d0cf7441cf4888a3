"""The code keeps its shape: layers go one way, no import circles, plugins use only the
documented API (import-linter); the style checks pass (ruff); old import paths of release
0.1 still work, with a warning, for one release."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    result = run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_layers_contract_fails_when_the_models_import_the_pages(tmp_path):
    shutil.copytree(ROOT / "portal", tmp_path / "portal", ignore=shutil.ignore_patterns("__pycache__"))
    with (tmp_path / "portal" / "models" / "audit.py").open("a", encoding="utf-8") as module:
        module.write("\nfrom portal.web import health  # noqa: E402,F401\n")
    # lint-imports reads the package from its working folder first: the changed copy
    result = run(str(BIN / "lint-imports"), "--no-cache", "--config", str(ROOT / "pyproject.toml"), cwd=tmp_path)
    assert result.returncode != 0
    assert "portal.models.audit -> portal.web.health" in result.stdout


@pytest.mark.parametrize("command", [("check", "."), ("format", "--check", ".")], ids=["check", "format"])
def test_ruff_finds_nothing(command):
    result = run(str(BIN / "ruff"), *command)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("portal.domain.referral_fields", "portal.domain.referrals.fields"),
        ("portal.domain.workflow", "portal.domain.referrals.workflow"),
        ("portal.domain.reporting", "portal.domain.reports.interface"),
        ("portal.domain.plugin_admin", "portal.domain.plugins.enabling"),
        ("portal.domain.demo", "portal.demo.data"),
    ],
)
def test_an_old_module_path_gives_the_moved_module_with_a_warning(old, new):
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} moved to {new}"):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)


def test_an_old_name_of_a_module_that_is_now_a_package_is_forwarded_with_a_warning():
    from portal.domain.referrals.actions import workflow_for_region

    with pytest.warns(DeprecationWarning, match="portal.domain.referrals.actions.workflow_for_region"):
        from portal.domain.referrals import workflow_for_region as old
    assert old is workflow_for_region


def test_a_package_s_own_modules_are_not_forwarded():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from portal.domain.referrals import fields

    assert fields.__name__ == "portal.domain.referrals.fields"


MODULE_LINES = 400


def test_every_module_reads_in_one_sitting():
    sources = [*ROOT.glob("portal/**/*.py"), *ROOT.glob("plugins/*/portal_*/**/*.py")]
    long = {
        str(path.relative_to(ROOT)): n for path in sources if (n := len(path.read_text().splitlines())) > MODULE_LINES
    }
    assert sources and not long, f"modules over {MODULE_LINES} lines: split them by job: {long}"
