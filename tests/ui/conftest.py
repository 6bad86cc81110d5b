"""Browser-test harness: serve the app with the CLI, drive Debian's Chromium through Playwright.

Every test gets a fresh page whose requests and console are recorded; at teardown the test fails if
the page asked any host but the app's own server, or logged a console error or page error.
Chromium missing is a failure with a message, never a skip (README: `make test` installs it).
"""

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from ui_helpers import CHROMIUM, CHROMIUM_ARGS, free_port, responds, wait_until

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SERVER_START_TIMEOUT = 60.0


def pytest_collection_modifyitems(items):
    """Mark every test in this folder ``ui``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.ui)


@pytest.fixture(scope="session")
def app_url():
    """URL of the app served by ``fndam-explorer serve`` in a subprocess, as a user would run it."""
    port = free_port()
    cli = Path(sys.executable).with_name("fndam-explorer")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "server.log", "w")  # the server's output, to read when a test fails
    proc = subprocess.Popen([str(cli), "serve", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}/"
    try:
        wait_until(lambda: proc.poll() is not None or responds(url), timeout=SERVER_START_TIMEOUT,
                   message=f"the app did not answer at {url}")
        assert proc.poll() is None, f"fndam-explorer serve exited with {proc.returncode}; see {log.name}"
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (never a browser downloaded by `playwright install`)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `make chromium` "
                    "(apt-get install chromium) or set FNDAM_CHROMIUM.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


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
