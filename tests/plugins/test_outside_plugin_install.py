"""An outside author's plugin, end to end: `portal plugin new` writes it, the author
extends it (a workflow derived from core's, a referral field checked against another, a
matching factor, a report and a report format), installs it beside a plain (non-editable)
install of the core in a fresh virtual environment, runs its tests there, and turns it
on for one region, where new referrals follow its workflow and ask its questions; the
other regions see nothing of it. `test_regional_plugins_install.py` is the model.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from venvs import clean_environment, fresh_venv

EXTENSION = """

# --- what the author added to the skeleton ------------------------------------------
import json as _json
from dataclasses import replace

from sqlalchemy import func, select

from portal.builtin.default_workflow import DEFAULT
from portal.domain.matching.factors import Factor
from portal.domain.referrals.fields import FieldCheck
from portal.domain.referrals.workflow import State, Transition, states_with
from portal.domain.reports.interface import BuiltReport, Table, lines
from portal.models import ReferralFieldValue

BOOKING = State("booking", _("Interpreter booking"))
WORKFLOW = replace(
    DEFAULT,
    name="tolk",
    title=_("With an interpreter booking"),
    states=states_with(DEFAULT, BOOKING, after="accepted"),
    transitions=tuple(replace(t, sources=("booking",)) if t.name == "start" else t for t in DEFAULT.transitions)
    + (Transition("book_interpreter", ("accepted",), "booking", frozenset({"caseworker"}), _("Interpreter booked")),),
)


def language_needed(answers):
    if answers["interpreter"] and not answers["language"]:
        return {"language": _("Say which language.")}
    return {}


class InterpretersNeeded:
    identifier = "tolk-needed"
    title = _("Interpreters needed")
    parameters = ()

    def build(self, session, params):
        count = session.scalar(
            select(func.count()).select_from(ReferralFieldValue).where(
                ReferralFieldValue.plugin == "tolk", ReferralFieldValue.name == "interpreter",
                ReferralFieldValue.value == "yes")
        )
        table = Table(_("Referrals"), (_("What"), _("Count")), ((_("Interpreter needed"), count),),
                      count_columns=frozenset({1}))
        return BuiltReport(self.title, (table,))


class JsonFormat:
    identifier = "json"
    name = _("JSON")
    media_type = "application/json"

    def render(self, report):
        rows = [[str(cell) if cell is not None else None for cell in line.cells] for line in lines(report)]
        return f"{report.file_stem}.json", _json.dumps(rows).encode()


@hookimpl
def portal_workflows():
    return [WORKFLOW]


@hookimpl
def portal_region_workflow(region_code):
    return WORKFLOW.name


@hookimpl
def portal_referral_fields(region_code):
    return [
        ReferralField("interpreter", _("Does the participant need an interpreter?"), kind="yes-no"),
        ReferralField("language", _("Which language?")),
        FieldCheck(language_needed),
    ]


@hookimpl
def portal_matching_factors(region_code):
    return [Factor("tolk_swedish", _("Speaks Swedish"), 1.0,
                   score=lambda candidate, match: 1.0 if "sv" in candidate.shared_languages else 0.0,
                   explain=lambda candidate, match: _("Speaks Swedish with the participant."))]


@hookimpl
def portal_reports():
    return [InterpretersNeeded()]


@hookimpl
def portal_report_formats():
    return [JsonFormat()]
"""

EXTENDED_TESTS = """
import json

import pytest

from portal.domain.errors import InvalidInput
from portal.domain.matching.ranking import weighted_factors
from portal.domain.referrals.actions import workflow_for_region
from portal.domain.referrals.fields import answers_of

import portal_tolk


def test_the_region_follows_the_derived_workflow_and_others_the_default(session, engine, world):
    assert workflow_for_region(session, engine, "fyrbodal").name == "tolk"
    assert workflow_for_region(session, engine, "skaraborg").name == "default"
    assert workflow_for_region(session, engine, "skaraborg").transition("start").sources == ("accepted",)


def test_a_language_is_required_only_with_an_interpreter(session, engine, draft):
    with pytest.raises(InvalidInput) as refused:
        draft(answers={"tolk.interpreter": "yes"})
    assert set(refused.value.errors) == {"tolk.language"}
    referral = draft(answers={"tolk.interpreter": "no"})
    assert answers_of(session, engine, referral.id, "tolk") == {"interpreter": False}


def test_the_factor_counts_in_the_plugins_region_only(session, engine, world):
    assert "tolk_swedish" in [factor.name for factor in weighted_factors(session, engine, "fyrbodal")]
    assert "tolk_swedish" not in [factor.name for factor in weighted_factors(session, engine, "skaraborg")]


def test_the_report_counts_and_the_format_renders_it(app, session, draft):
    draft()
    report = portal_tolk.InterpretersNeeded().build(session, {})
    assert report.tables[0].rows[0][1] == 1
    with app.test_request_context():
        name, body = portal_tolk.JsonFormat().render(report)
    assert name == "report.json" and ["Interpreters needed"] in json.loads(body)
"""

# Run inside the fresh environment: one draft per region, with the plugin's answers where it asks.
NEW_REFERRALS = """
import json, sys

from portal import create_app
from portal.domain.participants import registration as participants
from portal.domain.referrals import actions as referrals
from portal.domain.referrals.fields import for_region
from portal.extensions import db
from portal.models import Authority, Municipality, User

TOWNS = {"fyrbodal": "Trollhättan", "skaraborg": "Skövde", "sjuharad": "Borås", "goteborgsregionen": "Göteborg"}
NUMBERS = iter(["200001012384", "200001011493", "200001012392", "200001022375"])
app = create_app()
with app.app_context():
    session, engine = db.session, app.extensions["portal.engine"]
    town = {m.name: m for m in session.scalars(db.select(Municipality))}
    caseworker = User(email="handlaggare@fk.example.se", name="Handläggare", role="caseworker", password_hash="-",
                      authority=Authority(name="FK Väst", kind="forsakringskassan", municipality=town["Göteborg"]))
    session.add(caseworker)
    session.commit()
    seen = {}
    for region, name in TOWNS.items():
        person = participants.register(session, app.extensions["portal.vault"], caseworker, next(NUMBERS),
                                       participants.ParticipantDetails(given_name="Kim", family_name="Ek",
                                                                       municipality_id=town[name].id))
        fields = [field.key for field in for_region(session, engine, region)]
        answers = {"tolk.interpreter": "yes", "tolk.language": "arabiska"} if fields else {}
        referral = referrals.create_draft(session, engine, caseworker, person,
                                          referrals.ReferralDetails(goal="Arbetsträning", hours_per_week=20,
                                                                    answers=answers))
        session.commit()
        seen[region] = [referral.workflow_name, fields]
    print(json.dumps(seen))
"""


@pytest.fixture
def fresh_portal(tmp_path) -> Path:
    """The `bin` folder of a fresh virtual environment with the core and its test tools."""
    return fresh_venv(tmp_path, "[test]")


@pytest.mark.slow
def test_a_plugin_made_with_plugin_new_and_extended_works_in_its_region_only(fresh_portal, tmp_path):
    bin_ = fresh_portal
    environment = clean_environment(tmp_path)

    def run(*command, cwd=tmp_path, **extra) -> str:
        done = subprocess.run(command, cwd=cwd, env={**environment, **extra}, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run(str(bin_ / "portal"), "plugin", "new", "tolk", "--directory", str(tmp_path))
    folder = tmp_path / "portal-tolk"
    module = folder / "portal_tolk" / "__init__.py"
    module.write_text(module.read_text() + EXTENSION)
    (folder / "tests" / "test_extended.py").write_text(EXTENDED_TESTS)
    conftest = folder / "tests" / "conftest.py"
    conftest.write_text(
        conftest.read_text().replace(
            '{"tolk.interpreter": "yes"}', '{"tolk.interpreter": "yes", "tolk.language": "arabiska"}'
        )
    )
    run(str(bin_ / "portal"), "plugin", "translations", "update", str(folder))
    run(str(bin_ / "pip"), "install", "--quiet", "--disable-pip-version-check", str(folder))

    result = run(
        str(bin_ / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=folder, PORTAL_TEST_BACKENDS="sqlite"
    )
    assert "7 passed" in result, result

    run(str(bin_ / "portal"), "db", "upgrade")
    run(str(bin_ / "portal"), "geography", "load")
    assert run(str(bin_ / "portal"), "plugins", "enable", "tolk", "fyrbodal").strip() == "tolk enabled for fyrbodal."
    seen = json.loads(run(str(bin_ / "python"), "-c", NEW_REFERRALS).splitlines()[-1])
    assert seen == {
        "fyrbodal": ["tolk", ["tolk.interpreter", "tolk.language"]],
        "skaraborg": ["default", []],
        "sjuharad": ["default", []],
        "goteborgsregionen": ["default", []],
    }
    listing = run(str(bin_ / "portal"), "plugins", "list")
    assert "tolk 0.1.0 (portal-tolk)\n  name:    Tolkfråga (tolk)\n  made for: fyrbodal\n" in listing
    assert "  regions: fyrbodal\n" in listing.split("tolk 0.1.0")[1]
