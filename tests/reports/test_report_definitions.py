"""The definitions behind the reports' figures, each with the edge case that once gave a
figure a coordinator would call wrong (issue 11), built through the domain functions the
pages use, on SQLite and PostgreSQL. The world is `report_data`'s."""

from datetime import date

import pytest
import report_data
from report_data import build_report as build
from report_data import rows

from portal.domain.training.definitions import is_trained, trained_ids
from portal.models import Module, ModuleCompletion


@pytest.fixture
def app(make_app):
    return make_app(DEFAULT_LOCALE="en")


@pytest.fixture
def data(session, world):
    return report_data.build(session, world)


# 1. Trained supervisor ------------------------------------------------------------------


def _complete_another_cohorts_module(session, data):
    """B (Fyrbodal, two of three modules) also completes a module of Skaraborg's cohort."""
    module = session.query(Module).filter(Module.cohort_id == data.supervisor_c.cohort_id).first()
    session.add(
        ModuleCompletion(supervisor_id=data.supervisor_b.id, module_id=module.id, completed_on=date(2026, 5, 2))
    )
    session.commit()


def test_a_module_of_another_cohort_does_not_make_a_supervisor_trained(session, data):
    _complete_another_cohorts_module(session, data)
    assert not is_trained(session, data.supervisor_b.id)
    assert trained_ids(session) == {data.supervisor_a.id, data.supervisor_c.id}
    assert trained_ids(session, date(2026, 5, 19)) == {data.supervisor_c.id}  # A's last module on 05-20


def test_the_training_report_and_3r_count_only_own_cohort_completions(app, session, data):
    _complete_another_cohorts_module(session, data)
    training = build(app, session, "training", period="2026-Q2", region="fyrbodal")
    assert rows(training.tables[2])[0] == ("Fyrbodal", 2, 1, 3.8, 1)
    three_r = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    trained = next(row for row in rows(three_r.tables[0]) if row[0] == "Supervisors trained")
    assert trained[1:5] == (1, 0, 0, 1)


def test_the_coordinators_overview_counts_trained_by_the_same_definition(client, session, data, world):
    _complete_another_cohorts_module(session, data)
    data.supervisor_b.active = True
    session.commit()
    from portal.domain import home

    overview = home.coordinator(session, world.coordinator, 1, 20)
    assert overview.extra["trained_supervisors"] == 1


# 2. The target --------------------------------------------------------------------------


def test_the_target_is_a_positive_number(app, session, data):
    from portal.domain import access
    from portal.domain.reports import catalogue as reports

    offered = app.extensions["portal.reports"].reports["training"]
    with app.test_request_context():
        for target in ("-10", "0"):
            _values, errors = reports.parse(
                session, offered.report, {"period": "2026", "target": target}, access.ReportScope(), date(2026, 11, 1)
            )
            assert "target" in errors
