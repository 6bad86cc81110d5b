"""Logging in with Chromium: a link to a view leads through the login page (offline, no script) to that
view under a URL prefix, a wrong password says so, logging out leads back to the login page.

This module serves its own app (``--auth`` and ``--prefix``), directly and through the proxy with two
workers; the ``page`` fixture (conftest) still fails a test on any request off the server or any console
error, so every file of the page, Panel's included, must come from under the prefix.
"""

from urllib.parse import urlsplit

import pytest
from ui_helpers import ARTIFACTS, open_app, pane_text, screenshot, wait_for_text

from dashboard.auth import add_user
from dashboard.testing import has_plot_data, serve_app, wait_until

PREFIX = "/lab/fndam"
USER, PASSWORD = "lecturer", "a long lab password"


@pytest.fixture(scope="module", params=["direct", "proxy"])
def app_url(request, tmp_path_factory):
    """This module's app: logins required, served under PREFIX by one server or two workers and nginx."""
    folder = tmp_path_factory.mktemp("login")
    add_user(folder / "users", USER, PASSWORD)
    args = ["--auth", str(folder / "users"), "--cookie-secret-file", str(folder / "secret")]
    if request.param == "proxy":
        args += ["--workers", "2"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / f"server-login-{request.param}.log", "w") as log:
        with serve_app(log=log, prefix=PREFIX, args=args, timeout=90_000) as (url, _):
            yield url


def log_in(page, user, password):
    page.fill("#user", user)
    page.fill("#password", password)
    page.click("button[type=submit]")


def test_a_link_leads_through_the_login_to_its_view(page, app_url):
    page.goto(app_url + "?view=current")
    assert urlsplit(page.url).path == f"{PREFIX}/login"
    assert page.title() == "Log in · FN-DAM Explorer"
    assert page.locator("script, link:not([href^='data:'])").count() == 0  # plain HTML, inlined CSS
    screenshot(page, "login")

    log_in(page, USER, "not the password")
    page.get_by_text("Wrong user name or password.").wait_for()
    assert page.input_value("#user") == USER
    screenshot(page, "login_wrong_password")

    log_in(page, USER, PASSWORD)
    page.wait_for_url(f"**{PREFIX}/?view=current*")
    open_app(page, page.url)
    wait_for_text(page, lambda p: pane_text(p, "fndam-summary"), "FN regime from")  # the current view
    wait_until(lambda: has_plot_data(page), page, 30_000)
    screenshot(page, "login_view_under_prefix")


def test_logging_out_leads_back_to_the_login_page(page, app_url):
    page.goto(app_url)
    log_in(page, USER, PASSWORD)
    page.wait_for_url(f"**{PREFIX}/")
    page.goto(app_url + "logout")
    page.get_by_text("You are logged out.").wait_for()
    page.goto(app_url)
    assert urlsplit(page.url).path == f"{PREFIX}/login"
