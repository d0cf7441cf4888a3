"""Issue 10.9: an integer too large for the database, in a path, a query or a form,
answers 404 or 400, never a server error. Routes and parameters come from the URL map
and from what each route reads (`route_walk.parameters_read`)."""

import pytest
from conftest import sign_in
from route_walk import ROLES, build, parameters_read, path_for

HUGE = "99999999999999999999"
JUST_TOO_BIG = str(2**31)
VERY_LONG = "9" * 5000  # longer than Python turns into an int by default


def int_arguments(rule) -> set:
    return {
        name for name, converter in rule._converters.items() if type(converter).__name__.endswith("IntegerConverter")
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_integer_in_a_path_beyond_the_database_answers_404(app, client, world, case, role):
    sign_in(client, getattr(world, role).email)
    tried = 0
    for rule in app.url_map.iter_rules():
        for name in int_arguments(rule):
            for number in (HUGE, JUST_TOO_BIG, VERY_LONG):
                path = build(rule, {**{n: case.get(n, "x") for n in rule.arguments}, name: number})
                for method in sorted(rule.methods & {"GET", "POST"}):
                    assert client.open(path, method=method).status_code == 404, (method, path[:80])
                    tried += 1
    assert tried > 20


@pytest.mark.parametrize("path", ["/", "/participants", "/notifications"])
def test_a_page_number_beyond_the_database_answers_404(client, world, path):
    sign_in(client, world.caseworker.email)
    assert client.get(f"{path}?page={HUGE}").status_code == 404
    assert client.get(f"{path}?page=2").status_code == 200


def test_every_query_and_form_parameter_holds_a_huge_number_without_a_server_error(app, client, world, case):
    read = parameters_read(app, client, world, case, sign_in, methods=("GET", "POST"))
    for role in ROLES:
        sign_in(client, getattr(world, role).email)
        for (method, rule_path), names in sorted(read.items()):
            rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_path)
            for name in sorted(names):
                for number in (HUGE, VERY_LONG):
                    path = path_for(rule, case)
                    if method == "GET":
                        response = client.get(path, query_string={name: number})
                    else:
                        response = client.post(path, data={name: number})
                    assert response.status_code < 500, (role, method, rule_path, name)
        client.post("/sign-out")


def test_a_huge_supervisor_in_an_offer_is_refused_with_400(client, world, case):
    sign_in(client, world.caseworker.email)
    assert client.post(f"/referrals/{case['referral_id']}/offers", data={"supervisor_id": HUGE}).status_code == 400
