"""docs/plugins.md documents every hook under its exact signature, and the plugin it
builds, step by step, works: written to disk from the guide alone, it is registered,
enabled and used, and its own tests pass with the fixtures core exports."""

import importlib
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flows import register
from sqlalchemy import select

from portal import hookspecs
from portal.testing import sign_in

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
FILE_BLOCK = re.compile(r"^```\w+ file=(\S+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def hook_signatures() -> dict[str, str]:
    return {
        name: f"{name}{inspect.signature(function)}"
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("portal_") and hasattr(function, "portal_spec")
    }


def test_every_hook_is_documented_under_its_exact_signature():
    missing = [signature for signature in hook_signatures().values() if f"### `{signature}`" not in GUIDE]
    assert missing == [], "document these hooks in docs/plugins.md"


def test_the_guide_documents_no_hook_that_does_not_exist():
    documented = set(re.findall(r"^### `(portal_\w+)\(", GUIDE, re.MULTILINE))
    assert documented == set(hook_signatures())


def test_every_region_scoped_hook_is_a_hook():
    assert hookspecs.REGION_SCOPED <= set(hook_signatures())


@pytest.fixture
def example(tmp_path, monkeypatch):
    """The guide's example plugin, its files written exactly as the guide gives them."""
    for name, text in FILE_BLOCK.findall(GUIDE):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("portal_intake", None)
    yield tmp_path, importlib.import_module("portal_intake")
    sys.modules.pop("portal_intake", None)


def test_the_guide_builds_a_complete_package(example):
    import tomllib

    folder, _module = example
    project = tomllib.loads((folder / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["portal"] == {"intake": "portal_intake"}
    assert (folder / "portal_intake" / "templates" / "portal_intake" / "meetings.html").exists()


@pytest.fixture
def intake_app(make_app, example):
    return make_app(plugins={"intake": example[1]}, enabled={"fyrbodal": ["intake"]}, DEFAULT_LOCALE="en")


def test_the_example_plugin_changes_the_workflow_form_reactions_menu_and_commands(intake_app, session, vault, world):
    from portal.domain.referrals import actions as referrals
    from portal.models import Notification

    engine = intake_app.extensions["portal.engine"]
    info = intake_app.extensions["portal.plugins"].portal_info["intake"]
    assert set(info.hooks) == {
        "portal_workflows",
        "portal_region_workflow",
        "portal_referral_fields",
        "portal_end_report_questions",
        "portal_transition_done",
        "portal_navigation_links",
        "portal_startup",
    }
    person = register(session, vault, world)
    session.commit()

    caseworker = intake_app.test_client()
    sign_in(caseworker, world.caseworker.email)
    form = caseworker.get(f"/participants/{person.id}/referrals/new").get_data(as_text=True)
    assert "Does the participant need an interpreter at the intake meeting?" in form
    answers = {"goal": "Arbetsträning", "hours_per_week": "20", "intake.meeting_place": "office"}
    assert caseworker.post(f"/participants/{person.id}/referrals/new", data=answers).status_code == 400
    location = caseworker.post(
        f"/participants/{person.id}/referrals/new", data={**answers, "intake.interpreter": "no"}
    ).location
    referral_id = int(location.rsplit("/", 1)[1])
    assert "<dd>At the regional office</dd>" in caseworker.get(location).get_data(as_text=True)

    session.rollback()
    from flows import consent

    from portal.models import Referral

    referral = session.get(Referral, referral_id)
    consent(session, world, referral)
    referrals.act(session, engine, world.caseworker, referral_id, "submit")
    session.commit()
    assert (referral.workflow_name, referral.state) == ("intake", "submitted")
    kinds = session.execute(select(Notification.user_id, Notification.kind)).all()
    assert (world.coordinator.id, "referral_needs_action") in kinds

    coordinator = intake_app.test_client()
    sign_in(coordinator, world.coordinator.email)
    assert '<a href="/intake/meetings">Intake meetings</a>' in coordinator.get("/").get_data(as_text=True)
    refused = coordinator.post(f"/referrals/{referral_id}/act/book_intake", data={"room": "Rum 4"})
    assert refused.status_code == 400 and 'id="book_intake-meeting_on-error"' in refused.get_data(as_text=True)
    assert 'value="Rum 4"' in refused.get_data(as_text=True)
    booked = coordinator.post(f"/referrals/{referral_id}/act/book_intake", data={"meeting_on": "2026-12-03"})
    assert booked.status_code == 303
    page = coordinator.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "<dt>Date of the intake meeting</dt><dd>3 Dec 2026</dd>" in page
    assert f"Referral {referral_id}" in coordinator.get("/intake/meetings").get_data(as_text=True)
    output = intake_app.test_cli_runner().invoke(args=["intake", "waiting"]).output
    assert output == "1 referrals wait for an intake meeting.\n"


def test_the_example_workflow_can_be_previewed_as_a_picture(intake_app, world):
    client = intake_app.test_client()
    sign_in(client, world.admin.email)
    page = client.get("/admin/workflows/skaraborg?plugin=intake").get_data(as_text=True)
    assert "With an intake meeting" in page and "Book the intake meeting" in page


@pytest.mark.slow
def test_the_example_plugins_own_tests_pass_with_the_fixtures_core_exports(example):
    folder, _module = example
    environment = {**os.environ, "PYTHONPATH": str(folder), "PORTAL_TEST_BACKENDS": "sqlite"}
    environment.pop("CI", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout
