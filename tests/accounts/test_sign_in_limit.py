"""Failed sign-ins are limited per address and per account, shared across hosts via Redis."""

import os
import uuid

import pytest
from conftest import PASSWORD, sign_in

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def failed_attempts(client, email, count):
    return [sign_in(client, email, "wrong password!").status_code for _ in range(count)]


def test_too_many_failed_sign_ins_are_paused_with_a_message(make_app, world):
    client = make_app(SIGN_IN_LIMIT="3 per minute").test_client()
    assert failed_attempts(client, world.caseworker.email, 3) == [401, 401, 401]
    response = sign_in(client, world.caseworker.email, PASSWORD)
    assert response.status_code == 429
    assert "För många försök" in response.get_data(as_text=True)


def test_successful_sign_ins_do_not_count(make_app, world):
    client = make_app(SIGN_IN_LIMIT="2 per minute").test_client()
    for _ in range(4):
        assert sign_in(client, world.caseworker.email).status_code == 302
        client.post("/sign-out")


def test_the_limit_follows_the_account_across_addresses(make_app, world):
    client = make_app(SIGN_IN_LIMIT="2 per minute").test_client()
    for address in ("10.0.0.1", "10.0.0.2"):
        client.environ_base["REMOTE_ADDR"] = address
        failed_attempts(client, world.admin.email, 1)
    client.environ_base["REMOTE_ADDR"] = "10.0.0.3"
    assert sign_in(client, world.admin.email).status_code == 429
    assert sign_in(client, world.caseworker.email).status_code == 302  # other accounts are not held up


def redis_available() -> bool:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        return client.ping()
    except redis.RedisError:
        return False
    finally:
        client.close()


def test_two_hosts_sharing_redis_share_the_count(make_app, world):
    if not redis_available():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    shared = {
        "SIGN_IN_LIMIT": "3 per minute",
        "RATELIMIT_STORAGE_URL": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"portal-test-{uuid.uuid4().hex}",
    }
    hosts = [make_app(**shared), make_app(**shared)]
    first, second = (host.test_client() for host in hosts)
    try:
        assert failed_attempts(first, world.coordinator.email, 2) == [401, 401]
        assert failed_attempts(second, world.coordinator.email, 1) == [401]
        assert sign_in(first, world.coordinator.email).status_code == 429
    finally:
        for host in hosts:  # the Redis clients; make_app closes the database connections
            host.extensions["portal.limiter"].storage.storage.close()
