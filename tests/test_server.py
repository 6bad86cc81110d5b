"""The server: its asyncio exception handler (closed pages are not errors, everything else still is),
its liveness endpoint, its log format and its signed sessions (served as on a fresh machine)."""

import gc
import os
import re
import secrets
import stat

import pytest
from bokeh.util.token import check_token_signature, generate_jwt_token, generate_session_id, get_session_id
from http_fuzz import faults
from http_helpers import fetch, wait_for_log, websocket_status
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError

from dashboard.auth import BOKEH_SESSIONS, LOGIN_COOKIES, SECRET_ENV, signing_key
from dashboard.server import collect_garbage_for_pages, quiet_closed_pages, return_freed_memory
from dashboard.testing import rss_mb, serve_app

TOKEN = re.compile(r'"token":"([^"]+)"')


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
    """The app served by a plain ``fndam-explorer serve`` for this module, as on a fresh machine (no
    secret in the environment, none in the config folder): (url, path of its log, config folder)."""
    folder = tmp_path_factory.mktemp("server")
    log_path, config = folder / "server.log", folder / "config"
    with pytest.MonkeyPatch.context() as patch:  # the server inherits the environment
        patch.setenv("XDG_CONFIG_HOME", str(config))
        patch.delenv(SECRET_ENV, raising=False)
        with open(log_path, "w") as log, serve_app(log=log) as (url, _):
            yield url, log_path, config


def test_liveness_answers_ok_without_building_a_session(served):
    url, log_path, _ = served
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
    url, log_path, _ = served
    fetch(url, "/favicon.ico")
    assert wait_for_log(log_path, lambda text: "GET /favicon.ico" in text)
    lines = log_path.read_text().splitlines()
    stamped = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+: ")
    assert lines
    assert [line for line in lines if not stamped.match(line)] == []


def test_answered_liveness_checks_are_not_logged_and_other_requests_are(served):
    url, log_path, _ = served
    assert fetch(url, "/healthz").status == 200
    assert fetch(url, "/healthz-not").status == 404
    assert wait_for_log(log_path, lambda text: "GET /healthz-not" in text)
    assert "GET /healthz " not in log_path.read_text()


def test_a_websocket_from_another_site_is_refused_with_a_warning(served):
    url, log_path, _ = served
    token = TOKEN.search(fetch(url, "/").text)[1]
    assert websocket_status(url, "/ws", token, origin="http://evil.example") == 403
    assert wait_for_log(log_path, lambda text: "Refusing websocket connection from Origin" in text)
    [line] = [line for line in log_path.read_text().splitlines() if "Refusing websocket" in line]
    assert " WARNING bokeh.server.views.ws: " in line  # the server doing its job, not a fault
    assert websocket_status(url, "/ws", token) == 101  # the same token from the page's own origin


def test_a_fresh_machine_gets_a_private_secret_without_being_asked(served):
    _, _, config = served
    path = config / "fndam-explorer" / "cookie-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_text().strip()) >= 32


def test_the_pages_token_is_signed_with_the_key_derived_for_sessions_and_opens_its_websocket(served):
    url, log_path, config = served
    secret = (config / "fndam-explorer" / "cookie-secret").read_text().strip()
    token = TOKEN.search(fetch(url, "/").text)[1]
    assert check_token_signature(token, signing_key(secret, BOKEH_SESSIONS).encode(), signed=True)
    assert not check_token_signature(token, signing_key(secret, LOGIN_COOKIES).encode(), signed=True)
    assert websocket_status(url, "/ws", token) == 101
    assert faults(log_path) == []


def test_a_self_made_token_is_refused_with_a_400_not_an_error(served):
    url, log_path, _ = served
    page_token = TOKEN.search(fetch(url, "/").text)[1]
    own_key = secrets.token_urlsafe(32)
    base, _, signature = page_token.partition(".")
    made_up = [
        generate_jwt_token(generate_session_id(own_key, signed=True), own_key, signed=True),  # right format
        generate_jwt_token(generate_session_id(), expiration=300),  # unsigned, as Bokeh writes them
        base,  # the page's token without its signature
        base + "." + signature[::-1],  # the page's token with a wrong signature
        generate_jwt_token(get_session_id(page_token), own_key, signed=True),  # its session, another key
    ]
    for token in made_up:
        assert websocket_status(url, "/ws", token) == 400, token
    assert websocket_status(url, "/ws", page_token) == 101  # the page's own still opens
    assert faults(log_path) == []


@pytest.mark.parametrize("request_part", ["?bokeh-session-id=made-up", "?bokeh-session-id=a.b",
                                          "?bokeh-token=garbage", "?bokeh-token=", "header"])
def test_a_page_request_naming_a_made_up_session_gets_a_400_page(served, request_part):
    url, log_path, _ = served
    if request_part == "header":
        response = fetch(url, "/", headers={"Bokeh-Session-Id": "made-up"})
    else:
        response = fetch(url, "/" + request_part)
    assert response.status == 400
    assert "this server did not make" in response.text or "cannot be read" in response.text
    assert faults(log_path) == []


def test_a_page_request_naming_a_session_the_server_made_still_opens(served):
    url, log_path, _ = served
    session_id = get_session_id(TOKEN.search(fetch(url, "/").text)[1])
    assert fetch(url, f"/?bokeh-session-id={session_id}").status == 200
    assert faults(log_path) == []


def test_the_collector_is_tuned_for_pages_and_spares_what_was_alive_at_start():
    before = gc.get_threshold()
    try:
        collect_garbage_for_pages()
        assert gc.get_threshold()[0] == 10_000
        assert gc.get_freeze_count() > 10_000  # the imported modules' objects
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_freed_heap_memory_goes_back_to_the_system():
    # ~200 MB in 2 kB blocks (the C allocator's, above pymalloc's 512 B), then all but every 200th
    # freed: the survivors pin the heap's top, so the allocator keeps the pages until trimmed.
    blocks = [bytes(2000) for _ in range(100_000)]
    survivors = blocks[::200]
    del blocks
    kept = rss_mb(os.getpid())
    return_freed_memory()
    assert rss_mb(os.getpid()) < kept - 100  # MB: about 190 MB freed, at least 100 given back
    assert len(survivors) == 500
