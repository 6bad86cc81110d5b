"""Serving a class through the proxy: a page whose worker dies says so, and a reload brings its view back.

Runs its own two workers behind the proxy (``fndam-explorer serve --workers 2``): killing a worker of the
session-wide server would disturb the other browser tests.
"""

import os
import signal
from urllib.parse import urlsplit

import pytest
from ui_helpers import ARTIFACTS, open_app, screenshot, wait_for_boxes, wait_for_query

from dashboard.testing import has_plot_data, serve_app, type_value, wait_until


def pid_listening_on(port):
    """PID of the app server started with ``--port port`` (the supervisor's child)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                args = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
            except OSError:  # the process ended while we looked
                continue
            if b"serve" in args and b"--port" in args:
                if args[args.index(b"--port") + 1] == str(port).encode():
                    return int(entry)
    raise AssertionError(f"no app server runs with --port {port}")


@pytest.fixture(scope="module")
def farm_url():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "server-serving.log", "w") as log:
        with serve_app(log=log, args=("--workers", "2")) as (url, _):
            yield url


def test_a_page_whose_worker_dies_says_so_and_a_reload_restores_its_view(browser, farm_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    own_host = urlsplit(farm_url).netloc
    off_server = []
    page.on("request", lambda r: off_server.append(r.url) if urlsplit(r.url).netloc not in ("", own_host)
            and urlsplit(r.url).scheme in ("http", "https", "ws", "wss") else None)
    response = page.goto(farm_url)
    worker = response.headers["x-upstream"]  # nginx names the worker that answered
    open_app(page, farm_url)
    type_value(page, "oxide_voltage", 12)
    type_value(page, "oxide_thickness_nm", 10)
    wait_for_query(page, vox="12.0", d="10.0")

    os.kill(pid_listening_on(urlsplit("http://" + worker).port), signal.SIGKILL)
    page.get_by_text("Connection to the server lost").wait_for(timeout=20_000)
    page.wait_for_timeout(1000)  # the notification slides in
    screenshot(page, "serving_connection_lost")

    page.reload()  # the proxy sends it to a live worker (or the restarted one)
    open_app(page, page.url)
    wait_for_boxes(page, oxide_voltage=12.0, oxide_thickness_nm=10.0)
    wait_until(lambda: has_plot_data(page), page, timeout=30_000)
    wait_for_query(page, vox="12.0", d="10.0")
    screenshot(page, "serving_view_back_after_reload")
    context.close()
    assert not off_server, f"the page requested hosts other than its server: {off_server}"
