"""Issue 10.7: after sign-in the portal follows only a path on its own site."""

import pytest
from conftest import PASSWORD


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/%0d/evil.example",
        "%20//evil.example",
        "/ /evil.example",
        "/%0d%0aSet-Cookie:x=1",
        "/%0a/evil.example",
    ],
)
def test_sign_in_never_leads_to_another_site(client, world, target):
    response = client.post(f"/sign-in?next={target}", data={"email": world.caseworker.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_follows_a_path_on_the_site(client, world):
    response = client.post(
        "/sign-in?next=/participants?page=2", data={"email": world.caseworker.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/participants?page=2"
