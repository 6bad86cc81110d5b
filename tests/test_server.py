"""The server: its asyncio exception handler (closed pages are not errors, everything else still is),
its liveness endpoint and its log format."""

import re

import pytest
from http_helpers import fetch, wait_for_log, websocket_status
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError

from dashboard.server import quiet_closed_pages
from dashboard.testing import serve_app


class RecordingLoop:
    """Stands in for the event loop: records what reaches asyncio's default handler."""

    def __init__(self):
        self.default = []

    def default_exception_handler(self, context):
        self.default.append(context)


def test_a_closed_page_is_logged_as_one_info_line(caplog):
    loop = RecordingLoop()
    caplog.set_level("INFO", logger="dashboard.server")
    for error in (WebSocketClosedError(), StreamClosedError()):
        quiet_closed_pages(loop, {"message": "Task exception was never retrieved", "exception": error})
    assert loop.default == []
    assert [r.levelname for r in caplog.records] == ["INFO", "INFO"]
    assert "page closed" in caplog.records[0].getMessage()


def test_any_other_exception_reaches_the_default_handler():
    loop = RecordingLoop()
    context = {"message": "Task exception was never retrieved", "exception": ZeroDivisionError()}
    quiet_closed_pages(loop, context)
    quiet_closed_pages(loop, {"message": "no exception object"})
    assert loop.default == [context, {"message": "no exception object"}]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app served by the CLI for this module: (url, path of its log)."""
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    with open(log_path, "w") as log, serve_app(log=log) as (url, _):
        yield url, log_path


def test_liveness_answers_ok_without_building_a_session(served):
    url, log_path = served
    launched = log_path.read_text().count("launching")  # the readiness check opened the page once
    for method in ("GET", "HEAD"):
        response = fetch(url, "/healthz", method)
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        assert response.headers["Cache-Control"] == "no-store"
        assert response.text == ("ok" if method == "GET" else "")
    assert log_path.read_text().count("launching") == launched
    assert fetch(url, "/").status == 200  # a page request does log a session launch
    assert wait_for_log(log_path, lambda text: text.count("launching") > launched)


def test_every_log_line_carries_time_and_level(served):
    url, log_path = served
    fetch(url, "/healthz")
    assert wait_for_log(log_path, lambda text: "GET /healthz" in text)
    lines = log_path.read_text().splitlines()
    stamped = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+: ")
    assert lines
    assert [line for line in lines if not stamped.match(line)] == []



def test_a_websocket_from_another_site_is_refused_with_a_warning(served):
    url, log_path = served
    token = re.search(r'"token":"([^"]+)"', fetch(url, "/").text)[1]
    assert websocket_status(url, "/ws", token, origin="http://evil.example") == 403
    assert wait_for_log(log_path, lambda text: "Refusing websocket connection from Origin" in text)
    [line] = [line for line in log_path.read_text().splitlines() if "Refusing websocket" in line]
    assert " WARNING bokeh.server.views.ws: " in line  # the server doing its job, not a fault
    assert websocket_status(url, "/ws", token) == 101  # the same token from the page's own origin
