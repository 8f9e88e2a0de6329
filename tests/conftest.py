"""Shared fixtures. Browser tests: the site is built once per session (Pyodide vendored) and
served on 127.0.0.1; one Chromium serves every test (see tests/browser_site.py)."""
import pytest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    from browser_site import build_site
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def site_url(built_site):
    from browser_site import serve
    with serve(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright  # a dev dependency: `make setup`

    from browser_site import launch
    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()
