"""The reports as a coordinator meets them in the demo: a real browser, axe on each page,
the written analysis saved, and the downloads opened (XLSX and PDF too: `make test` installs
the bundled format plugins)."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from test_browser import assert_no_accessibility_violations, browser, page, portal, sign_in  # noqa: F401

from portal.domain.calendar import local_today

pytestmark = pytest.mark.browser


_quarter = (local_today().month - 1) // 3
LAST_QUARTER = f"{local_today().year}-Q{_quarter}" if _quarter else f"{local_today().year - 1}-Q4"


def test_a_coordinator_reads_the_3r_report_writes_the_analysis_and_downloads_it(page, portal):  # noqa: F811
    sign_in(page, portal, portal.logins["coordinator"], portal.password)
    page.locator("nav.main-nav a[href='/reports']").click()
    assert_no_accessibility_violations(page)
    page.locator("a[href='/reports/3r']").click()
    page.locator("#period").select_option(LAST_QUARTER)  # downloads are by ended quarter
    page.locator("form.filters button.primary").click()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert page.locator("table caption").count() == 5
    assert_no_accessibility_violations(page)

    page.locator("#analysis-text").fill("Kvinnor väntar längre på en placering; vi tar upp det i samverkansgruppen.")
    page.locator("#realia button.primary").click()
    expect(page.locator(".notice-success")).to_be_visible()
    expect(page.locator(".report-text").last).to_contain_text("vi tar upp det i samverkansgruppen")
    assert_no_accessibility_violations(page)

    files = {}
    for identifier in ("csv", "xlsx", "pdf"):
        with page.expect_download() as download:
            page.locator(f"a[href*='/download/{identifier}']").click()
        files[identifier] = download.value.path().read_bytes()
        assert download.value.suggested_filename == f"3r-{LAST_QUARTER}-fyrbodal.{identifier}"
    assert "vi tar upp det i samverkansgruppen" in files["csv"].decode("utf-8-sig")
    assert files["pdf"].startswith(b"%PDF-")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(files["xlsx"])).active
    assert sheet["A1"].value == page.locator("h1").inner_text()
