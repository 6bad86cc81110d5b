"""Browser-test harness: serve the app with the CLI, drive Debian's Chromium through Playwright.

Every test runs against the app served directly and through the proxy with two workers, and gets a
fresh page whose requests and console are recorded; at teardown the test fails if the page asked any
host but the app's own server (the proxy, when there is one), or logged a console error or page error.
Chromium missing is a failure with a message, never a skip (README: `make test` installs it).
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from ui_helpers import ARTIFACTS

from dashboard.testing import chromium, chromium_missing, serve_app

SERVER_START_TIMEOUT = 60_000  # ms


def pytest_collection_modifyitems(items):
    """Mark every test in this folder ``ui``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.ui)


#: How the browser tests reach the app: one server, as ``fndam-explorer serve`` runs by default, and two
#: workers behind the proxy (``--workers 2``), as a lab serves a class.  Every browser test runs both.
SERVINGS = {"direct": (), "proxy": ("--workers", "2")}


@pytest.fixture(scope="session", params=list(SERVINGS))
def app_url(request):
    """URL of the app served by ``fndam-explorer serve`` in a subprocess, as a user would run it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # the server's output, to read when a test fails
    with open(ARTIFACTS / f"server-{request.param}.log", "w") as log:
        with serve_app(log=log, timeout=SERVER_START_TIMEOUT, args=SERVINGS[request.param]) as (url, _):
            yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (never a browser downloaded by `playwright install`)."""
    if missing := chromium_missing():
        pytest.fail(missing, pytrace=False)
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser, app_url):
    """A fresh page that records requests and console errors and checks them after the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1250}, accept_downloads=True)
    pg = context.new_page()
    own_host = urlsplit(app_url).netloc
    off_server, errors = [], []
    pg.on("request", lambda r: off_server.append(r.url)
          if urlsplit(r.url).scheme in ("http", "https", "ws", "wss") and urlsplit(r.url).netloc != own_host
          else None)
    pg.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    yield pg
    context.close()
    assert not off_server, f"the page requested hosts other than its server: {off_server}"
    assert not errors, f"the page logged errors: {errors}"
