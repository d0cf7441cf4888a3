"""Every page of people, accounts, audit and lists, as every role and as nobody: exactly
the roles that should get in do, everyone else gets 403 (or the sign-in page)."""

import pytest
from conftest import sign_in

OFFICES = {"coordinator", "admin"}
EVERYONE = {"caseworker", "other_caseworker", "coordinator", "supervisor_user", "admin"}
ALLOWED = {
    "/account": EVERYONE,
    "/referrals": EVERYONE,
    "/referrals.csv": EVERYONE,
    "/participants": EVERYONE - {"supervisor_user"},
    "/participants.csv": EVERYONE - {"supervisor_user"},
    "/admin/users": OFFICES,
    "/admin/users/invite": OFFICES,
    "/admin/authorities": {"admin"},
    "/admin/authorities/new": {"admin"},
    "/audit": OFFICES,
    "/audit.csv": OFFICES,
}


@pytest.mark.parametrize("role", sorted(EVERYONE) + [None])
def test_each_page_opens_to_exactly_the_roles_it_is_for(client, world, role):
    if role:
        sign_in(client, getattr(world, role).email)
    for path, roles in ALLOWED.items():
        status = client.get(path).status_code
        expected = 302 if role is None else (200 if role in roles else 403)
        assert status == expected, (role, path, status)


@pytest.mark.parametrize("role", ["caseworker", "supervisor_user", "coordinator"])
def test_no_one_but_the_offices_reaches_a_persons_page_and_admins_alone_change_a_role(client, world, role):
    sign_in(client, getattr(world, role).email)
    target = world.admin.id
    assert client.get(f"/admin/users/{target}").status_code in (403, 404)
    assert client.post(f"/admin/users/{target}/active", data={"active": "0"}).status_code in (403, 404)
    assert client.post(f"/admin/users/{target}/role", data={"role": "caseworker"}).status_code == 403
    assert client.get(f"/admin/authorities/{world.fk.id}").status_code == 403
