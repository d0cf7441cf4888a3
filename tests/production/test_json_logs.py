"""PORTAL_LOG_FORMAT=json: one JSON object per line, identity numbers still redacted."""

from __future__ import annotations

import json
import logging

import pytest


@pytest.fixture
def root_logging():
    """The root logger as it was before the test (the JSON set-up replaces its handlers)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_with_the_identity_number_redacted(make_app, capsys, root_logging):
    app = make_app(LOG_FORMAT="json")
    try:
        raise ValueError("no person 19900101-1234 here")
    except ValueError:
        app.logger.exception("lookup of %s failed", "199001011234")
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    entry = json.loads(lines[-1])
    assert entry["level"] == "ERROR" and entry["logger"] == "portal"
    assert entry["message"] == "lookup of [personnummer] failed"
    assert "ValueError: no person [personnummer] here" in entry["exception"]
    assert "1990" not in lines[-1] and entry["time"].endswith("Z")
