"""The idle warning in a real Chromium: shown before the session ends idle, announced as a
dialog, passes axe, and "stay signed in" asks the server to restart the idle clock."""

from __future__ import annotations

import threading

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import expect
from test_browser import Portal, assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """A portal whose sessions end after one idle minute, so the warning shows after half of it."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from portal import create_app
    from portal.demo import data as demo
    from portal.extensions import db

    folder = tmp_path_factory.mktemp("browser-idle")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
            "INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "browser-idle-secret-key",
            "DATA_KEY": Fernet.generate_key().decode(),
            "REQUIRE_TWO_FACTOR": False,
            "SESSION_IDLE_MINUTES": 1,
        }
    )
    with app.app_context():
        upgrade()
        logins = demo.load(db.session, app.extensions["portal.vault"])
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Portal(f"http://127.0.0.1:{server.server_port}", logins, demo.DEMO_PASSWORD, "")
    server.shutdown()
    thread.join()
    server.server_close()
    with app.app_context():
        db.engine.dispose()


def test_the_page_warns_before_the_idle_timeout_and_lets_the_user_stay(page, quick):
    sign_in(page, quick, quick.logins["caseworker"], quick.password)
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=45_000)  # half of the idle minute
    expect(warning).to_contain_text("Du loggas snart ut")
    assert_no_accessibility_violations(page)
    with page.expect_response(lambda response: response.url.endswith("/session/stay")) as stayed:
        page.get_by_role("button", name="Fortsätt vara inloggad").click()
    assert stayed.value.status == 204
    expect(warning).to_be_hidden()
