"""/referrals and /participants: search, filters, sorting, pagination, audited CSV downloads,
state counts that link to the filtered list, and the same number of queries at any size."""

import pytest
from conftest import sign_in
from queries import counting_queries
from sqlalchemy import func, select
from test_landing import add_cases

from portal.models import AuditEvent


def _table(client, path, **query) -> str:
    page = client.get(path, query_string=query).get_data(as_text=True)
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_search_filters_and_sorting_of_referrals(client, session, world):
    add_cases(session, world, 4)
    sign_in(client, world.caseworker.email)
    everything = _table(client, "/referrals")
    assert everything.count("<tr>") == 4
    assert _table(client, "/referrals", q="Person2").count("<tr>") == 1
    assert "Inget att visa" in _table(client, "/referrals", q="Person%")  # no SQL wildcards
    offered = _table(client, "/referrals", state="offered")
    assert offered.count("<tr>") == 2 and "Person1" in offered and "Person0" not in offered
    oldest = _table(client, "/referrals", sort="oldest")
    assert oldest.index("Person3") < oldest.index("Person0")
    newest = _table(client, "/referrals")
    assert newest.index("Person0") < newest.index("Person3")


@pytest.mark.parametrize("bad", [{"municipality": "9" * 30}, {"from": "yesterday"}, {"sort": "x"}])
def test_malformed_filters_are_left_out(client, world, bad):
    sign_in(client, world.caseworker.email)
    assert client.get("/referrals", query_string=bad).status_code == 200
    assert client.get("/participants", query_string=bad).status_code == 200


def test_a_page_beyond_any_list_answers_404(client, world):
    """Issue 10.9: a page number larger than the database holds is no page (web.forms.page_number)."""
    sign_in(client, world.caseworker.email)
    assert client.get("/referrals", query_string={"page": "9" * 30}).status_code == 404
    assert client.get("/participants", query_string={"page": "9" * 30}).status_code == 404


def test_each_user_sees_only_what_they_may(client, session, world):
    add_cases(session, world, 2)
    sign_in(client, world.other_caseworker.email)
    assert "Person0" not in _table(client, "/referrals")
    assert "Person0" not in _table(client, "/participants")
    assert "Person0" not in client.get("/referrals.csv").get_data(as_text=True)


def test_the_referral_list_runs_each_request_with_its_own_person_and_filters(app, client, session, world):
    """The list's statement is built once per role and shape of filters (bench/README.md,
    pages): the person's authority and the words searched are each request's values."""
    add_cases(session, world, 3)
    sign_in(client, world.caseworker.email)
    first, second = _table(client, "/referrals", q="Person1"), _table(client, "/referrals", q="Person2")
    assert "Person1" in first and "Person2" not in first
    assert "Person2" in second and "Person1" not in second
    other = app.test_client()
    sign_in(other, world.other_caseworker.email)
    assert "Person2" not in _table(other, "/referrals", q="Person2")
    assert "Person" not in _table(other, "/referrals")


def test_the_participants_list_filters_and_downloads_with_an_audit(client, session, world):
    add_cases(session, world, 3)
    sign_in(client, world.caseworker.email)
    assert _table(client, "/participants", q="Person1").count("<tr>") == 1
    answer = client.get("/participants.csv", query_string={"q": "Person"})
    assert answer.mimetype == "text/csv" and answer.get_data(as_text=True).count("Testsson") == 3
    exported = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "participant.export")
    assert session.scalar(exported) == 3
    client.post("/sign-out")
    sign_in(client, world.supervisor_user.email)
    assert client.get("/participants.csv").status_code == 403


def test_the_referrals_download_is_audited_and_formula_safe(client, session, world):
    add_cases(session, world, 1)
    from portal.models import Participant

    person = session.scalar(select(Participant))
    person.given_name = "=HYPERLINK(1)"
    session.commit()
    sign_in(client, world.caseworker.email)
    text = client.get("/referrals.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text
    exported = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "participant.export")
    assert session.scalar(exported) == 1


def test_state_counts_on_the_home_page_link_to_the_filtered_list(client, session, world):
    add_cases(session, world, 2)
    sign_in(client, world.caseworker.email)
    assert 'href="/referrals?state=offered"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/referrals", "/participants"])
@pytest.mark.parametrize("role", ["caseworker", "coordinator", "admin"])
def test_a_list_page_runs_the_same_number_of_queries_at_any_size(app, client, session, world, path, role):
    sign_in(client, getattr(world, role).email)
    add_cases(session, world, 2)
    with counting_queries(app) as small:
        assert client.get(path).status_code == 200
    add_cases(session, world, 40, start=2)
    with counting_queries(app) as large:
        assert client.get(path).status_code == 200
    assert len(small) == len(large), "\n".join(large)
