"""The shipped gunicorn configuration (deploy/gunicorn.conf.py) as a real server, on both
databases: connections that send nothing do not stop /health answering, and the access
log carries no query string."""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def serve(monkeypatch, database_url, tmp_path):
    monkeypatch.syspath_prepend(str(ROOT))
    from bench.serve import Server

    def start(**env):
        settings = {
            "PORTAL_DATABASE_URL": database_url,
            "PORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
            "PORTAL_SECRET_KEY": "test",
            "GUNICORN_WORKERS": "1",
            **env,
        }
        return Server(settings, log=tmp_path / "gunicorn.log")

    return start


def idle_connections(url: str, count: int) -> list[socket.socket]:
    host, port = url.removeprefix("http://").split(":")
    return [socket.create_connection((host, int(port))) for _ in range(count)]


def answer_time(url: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(url + "/health", timeout=5) as response:
        assert response.status == 200
    return time.monotonic() - started


def test_idle_connections_do_not_stop_health_answering(serve):
    with serve() as server:  # the shipped default: gthread
        idle = idle_connections(server.url, 6)
        try:
            assert answer_time(server.url) < 2.0
            assert answer_time(server.url) < 2.0
        finally:
            for sock in idle:
                sock.close()


def test_the_access_log_leaves_out_the_query_string(serve, tmp_path):
    with serve() as server:
        urllib.request.urlopen(server.url + "/health?namn=Kim", timeout=5).close()
    log = (tmp_path / "gunicorn.log").read_text()
    assert '"GET /health"' in log and "namn=Kim" not in log


def test_a_worker_that_dies_in_c_code_leaves_its_python_stack_in_the_log(monkeypatch, tmp_path):
    """The shipped configuration enables `faulthandler`: a crash gunicorn would only
    report as "was sent SIGSEGV" names the Python line it happened on."""
    monkeypatch.syspath_prepend(str(ROOT))
    from bench.serve import Server

    log = tmp_path / "gunicorn.log"
    with Server(
        {"PYTHONPATH": str(Path(__file__).parent), "GUNICORN_WORKERS": "1"}, app="crashing_app:app", log=log
    ) as server:
        with pytest.raises(OSError):  # the connection ends without an answer
            urllib.request.urlopen(server.url + "/crash", timeout=10).read()
        deadline = time.monotonic() + 10
        while "crashing_app.py" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    text = log.read_text()
    assert "Fatal Python error: Segmentation fault" in text
    assert 'crashing_app.py", line 9 in app' in text
