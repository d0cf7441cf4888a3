"""The browser tests of accounts share Chromium and its pages with tests/test_browser.py."""

from test_browser import browser, page  # noqa: F401  (fixtures)
