"""The audit review: admins see every event, a coordinator their region's; filters; the
CSV download is itself audited and its cells cannot become formulas."""

from datetime import date

import pytest
from conftest import sign_in
from queries import counting_queries
from sqlalchemy import func, select

from portal.domain import audit
from portal.domain.calendar import local_today
from portal.models import AuditEvent


def _rows(client, **query) -> str:
    """The table of events on the page (the action filter lists every action name)."""
    page = client.get("/audit", query_string=query).get_data(as_text=True)
    return page[page.index("<table") : page.index("</table>")]


def test_a_coordinator_sees_their_regions_events_and_not_others(client, session, world):
    audit.record_change(session, actor_id=world.caseworker.id, action="test.fyrbodal", detail="x")
    audit.record_change(session, actor_id=world.other_caseworker.id, action="test.skaraborg", detail="y")
    session.commit()
    sign_in(client, world.coordinator.email)
    page = _rows(client)
    assert "test.fyrbodal" in page and "test.skaraborg" not in page
    client.post("/sign-out")
    sign_in(client, world.admin.email)
    page = _rows(client)
    assert "test.fyrbodal" in page and "test.skaraborg" in page


def test_filters_narrow_the_list(client, session, world):
    audit.record_change(session, actor_id=world.caseworker.id, action="test.one", detail="a")
    audit.record_change(session, actor_id=world.admin.id, action="test.two", detail="b")
    session.commit()
    sign_in(client, world.admin.email)
    page = _rows(client, person="handlaggare@fk")
    assert "test.one" in page and "test.two" not in page
    page = _rows(client, action="test.two")
    assert "test.two" in page and "test.one" not in page
    tomorrow = date.fromordinal(local_today().toordinal() + 2).isoformat()
    page = _rows(client, since=tomorrow)
    assert "test.one" not in page
    bad = client.get("/audit", query_string={"since": "not a date", "participant": "9" * 30, "page": "9" * 30})
    assert bad.status_code == 200


def test_the_download_is_audited_and_formula_safe(client, session, world):
    audit.record_change(session, actor_id=world.caseworker.id, action="test.formula", detail="=HYPERLINK(1)")
    session.commit()
    sign_in(client, world.admin.email)
    answer = client.get("/audit.csv", query_string={"action": "test.formula"})
    text = answer.get_data(as_text=True)
    assert answer.mimetype == "text/csv" and "'=HYPERLINK(1)" in text
    exported = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "audit.export")
    assert session.scalar(exported) == 1


def test_the_portal_has_no_way_to_change_an_audit_row(app):
    methods = {rule.rule: rule.methods for rule in app.url_map.iter_rules() if rule.rule.startswith("/audit")}
    assert methods and all(not (verbs & {"POST", "PUT", "PATCH", "DELETE"}) for verbs in methods.values())


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_audit_page_runs_the_same_number_of_queries_at_any_size(app, client, session, world, role):
    sign_in(client, getattr(world, role).email)

    def add(count):
        for number in range(count):
            audit.record_change(session, actor_id=world.caseworker.id, action=f"test.{number % 3}", detail="x")
        session.commit()

    add(2)
    with counting_queries(app) as small:
        assert client.get("/audit").status_code == 200
    add(40)
    with counting_queries(app) as large:
        assert client.get("/audit").status_code == 200
    assert len(small) == len(large), "\n".join(large)
