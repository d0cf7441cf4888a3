"""The plugin documentation builds with MkDocs in strict mode (a broken link or docstring
fails it), and what it generates from the code covers what hooks, guards and tests
receive: every hook's arguments, the `TransitionContext`, every guard and action, the
default workflow, the data model and the domain functions plugin tests call."""

import dataclasses
import doctest
import html
import inspect
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from portal import hookspecs
from portal.builtin.default_workflow import DEFAULT
from portal.domain.referrals import fields, steps
from portal.domain.referrals.transitions import TransitionContext

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = str(Path(sys.executable).parent / "mkdocs")


@cache
def built(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MKDOCS, "build", "--strict", "--site-dir", str(site)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    result = built(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def text_of(site: Path, page: str) -> str:
    content = (site / page / "index.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content)))


def hooks():
    return [
        function
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("portal_") and hasattr(function, "portal_spec")
    ]


@pytest.mark.parametrize("hook", hooks(), ids=lambda hook: hook.__name__)
def test_every_hook_says_what_each_argument_holds_and_what_it_returns(hook):
    for argument in inspect.signature(hook).parameters:
        assert f":param {argument}:" in hook.__doc__, argument
    assert ":return:" in hook.__doc__ or "return value is ignored" in " ".join(hook.__doc__.split())


def test_the_hooks_page_lists_every_hook_with_its_arguments(site):
    page = text_of(site, "reference/hooks")
    for hook in hooks():
        assert f"{hook.__name__}(" in page.replace(" (", "(")
        for argument in inspect.signature(hook).parameters:
            assert argument in page
    assert "PluginMetadata" in page and "requires_api" in page and hookspecs.API_VERSION in page


def test_the_workflow_page_has_the_context_every_step_and_the_default_workflow(site):
    page = text_of(site, "reference/workflows")
    for field in dataclasses.fields(TransitionContext):
        assert f"{field.name} " in page, field.name
    public_steps = [
        name
        for name, function in inspect.getmembers(steps, inspect.isfunction)
        if function.__module__ == steps.__name__ and not name.startswith("_")
    ]
    for name in public_steps:
        assert name in page, name
        assert getattr(steps, name).__doc__, f"{name} says what it checks or does"
    table = page.split("generated from the code:")[1]
    for state in DEFAULT.states:
        assert f" {state.name} {state.label} " in table
    for transition in DEFAULT.transitions:
        assert f" {transition.name} ({transition.label}) " in table


def test_the_data_model_page_has_every_table_and_a_diagram(site):
    import portal.models  # noqa: F401
    from portal.extensions import db

    page = text_of(site, "reference/data-model")
    raw = (site / "reference" / "data-model" / "index.html").read_text(encoding="utf-8")
    assert "erDiagram" in raw
    for table in db.metadata.tables:
        assert f" {table} " in page, table


def test_the_domain_page_has_act_offer_and_answer_with_their_keywords(site):
    page = text_of(site, "reference/domain")
    for name in ("act", "offer", "answer", "create_draft"):
        assert f"{name} (" in page, name
    assert "ReferralDetails" in page and "hours_per_week" in page
    for keyword in ("note", "params", "supervisor_ids", "accept", "reason", "start_date"):
        assert keyword in page, keyword


def test_the_matching_page_has_candidate_match_and_prepare(site):
    page = text_of(site, "reference/matching")
    for name in ("Factor", "Candidate", "Match", "prepare", "shared_languages", "prepared"):
        assert name in page, name


def test_factor_lives_in_one_module_the_hookspec_and_guide_both_name():
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert "portal.domain.matching.factors.Factor" in hookspecs.portal_matching_factors.__doc__
    assert "`portal.domain.matching.factors`" in guide
    assert "portal.domain.matching.Factor" not in guide + hookspecs.portal_matching_factors.__doc__


def test_the_examples_in_the_fields_docstrings_run():
    assert doctest.testmod(fields).failed == 0
