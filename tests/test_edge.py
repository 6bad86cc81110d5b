"""Any input at the edge: hostile queries get a 400 page before Panel parses them, and no request, however
long or malformed its path, query or headers, gets a 5xx or leaves a traceback in the server's log.

The rules are checked on :mod:`dashboard.edge`'s functions directly; the served app (one server for
this module) is then fuzzed over raw HTTP with hypothesis (strategies in tests/http_fuzz.py). Most
fuzzed requests are cheap (refused, 404, 405); the few that reach the app's page build a session
(~0.5 s each).
"""

import base64
import json
import time
from urllib.parse import urlencode, urlsplit

import pytest
from bokeh.util.token import generate_jwt_token, generate_session_id
from http_fuzz import (
    FUZZ,
    HANDSHAKE,
    assert_no_fault,
    faults,
    header_values,
    headers,
    methods,
    paths,
    queries,
    raw_request,
    tokens,
)
from http_helpers import fetch, fetches, raw_status, wait_for_log
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.edge import (
    MAX_FIELDS,
    MAX_NAME_CHARS,
    MAX_QUERY_CHARS,
    MAX_SESSION_ID_CHARS,
    MAX_VALUE_CHARS,
    host_problem,
    query_problem,
    session_problem,
    token_problem,
)
from dashboard.state.session import URL_KEYS, SessionState
from dashboard.state.tour import URL_KEYS as TOUR_KEYS
from dashboard.testing import serve_app

HUGE = "9" * 5000
#: A query longer than MAX_QUERY_CHARS whose every parameter is acceptable on its own.
LONG = "&".join(f"k{i}={'1' * MAX_VALUE_CHARS}" for i in range(MAX_QUERY_CHARS // MAX_VALUE_CHARS + 1))


# --- the rules -------------------------------------------------------------------------------------

def test_every_link_the_app_makes_passes():
    assert query_problem(urlencode(SessionState().query())) is None
    assert query_problem("") is None


@pytest.mark.parametrize("query", ["vox=1e9", "vox=-3", "vox=abc", "view=nowhere", "colour=red", "vox=",
                                   "vox=%5B%5B%5B", "vox=%E2%88%9E", "vox=1&vox=2", "task=%C3%A9t%C3%A9"])
def test_out_of_range_or_unknown_values_still_reach_the_app(query):
    assert query_problem(query) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"vox={HUGE}", "The value of URL parameter 'vox' has 5,000 characters; at most 200 are accepted."),
        ("vox=%C2%B2", "The value of URL parameter 'vox' has digits other than 0-9."),
        ("vox=%D9%A3", "The value of URL parameter 'vox' has digits other than 0-9."),
        ("vox=1%002", "The URL parameter 'vox' holds control characters."),
        ("v%0Aox=1", "The URL parameter 'v\\nox' holds control characters."),
        ("vox=%E2%80%AE1", "The URL parameter 'vox' holds control characters."),  # right-to-left override
        ("vox=%FF", "The query holds percent-escapes that are not UTF-8 text."),
        ("vox=é", "The query holds characters that are not percent-encoded."),
        ("task=what?", "The query holds a '?' or '#' of its own; a link writes them as %3F and %23."),
        ("vox=1#a#b", "The query holds a '?' or '#' of its own; a link writes them as %3F and %23."),
        ("&".join(["a=1"] * (MAX_FIELDS + 1)), f"The query has more than {MAX_FIELDS} parameters."),
        (LONG, f"The query is {len(LONG):,} characters long; at most {MAX_QUERY_CHARS:,} are accepted."),
        ("k" * 100 + "=1",
         f"The URL parameter name '{'k' * 40}…' has 100 characters; at most {MAX_NAME_CHARS}."),
    ],
)
def test_hostile_queries_are_named(query, expected):
    assert query_problem(query) == expected


def test_a_host_panel_cannot_split_is_refused():
    assert host_problem("localhost:5006") is None
    assert host_problem("lab-server") is None
    assert "IPv6 address" in host_problem("[::1]:5006")
    assert "IPv6 address" in host_problem("[fe80::1]")


def token(payload):
    """A token as Bokeh writes one (base64 of its JSON payload), from any ``payload``."""
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


KEY = "k" * 44
IN_AN_HOUR = time.time() + 3600
UNSIGNED = generate_jwt_token(generate_session_id(), expiration=300)  # as Bokeh's server writes them
SIGNED = generate_jwt_token(generate_session_id(KEY, signed=True), KEY, signed=True)


@pytest.mark.parametrize(("subprotocols", "signed", "expected"), [
    (f"bokeh, {UNSIGNED}", False, None),
    (f"bokeh, {SIGNED}", True, None),
    (f"bokeh, {UNSIGNED}", True, "is not signed by this server"),
    ("", False, "offers the subprotocols 'bokeh' and a session token"),
    ("bokeh", False, "offers the subprotocols 'bokeh' and a session token"),
    ("chat, x", False, "offers the subprotocols 'bokeh' and a session token"),
    ("bokeh, garbage", False, "cannot be read"),
    (f"bokeh, {token([1, 2])}", False, "cannot be read"),
    (f"bokeh, {token({'session_expiry': IN_AN_HOUR})}", False, "cannot be read"),
    (f"bokeh, {token({'session_id': '', 'session_expiry': IN_AN_HOUR})}", False, "names no session"),
    (f"bokeh, {token({'session_id': 5, 'session_expiry': IN_AN_HOUR})}", False, "names no session"),
    (f"bokeh, {token({'session_id': 'a' * 257, 'session_expiry': IN_AN_HOUR})}", False, "names no session"),
    (f"bokeh, {token({'session_id': 'a'})}", False, "has no expiry time or has expired"),
    (f"bokeh, {token({'session_id': 'a', 'session_expiry': time.time() - 1})}", False, "has expired"),
    (f"bokeh, {token({'session_id': 'a', 'session_expiry': float('nan')})}", False, "has expired"),
    (f"bokeh, {token({'session_id': 'a', 'session_expiry': 'soon'})}", False, "has expired"),
])
def test_websocket_tokens_bokeh_could_not_use_are_named(subprotocols, signed, expected):
    problem = token_problem(subprotocols, signed, KEY.encode())
    assert problem is None if expected is None else expected in problem


SIGNED_ID = generate_session_id(KEY, signed=True)
OTHER_KEY = "o" * 44


@pytest.mark.parametrize(("tokens", "ids", "expected"), [
    ([], [], None),
    ([SIGNED], [], None),
    ([], [SIGNED_ID], None),
    ([SIGNED, "garbage"], [], "(bokeh-token) cannot be read"),
    ([""], [], "(bokeh-token) cannot be read"),
    ([UNSIGNED], [], "(bokeh-token) is not signed by this server"),
    ([generate_jwt_token(SIGNED_ID, OTHER_KEY, signed=True)], [], "is not signed by this server"),
    ([], ["made-up"], "this server did not make"),
    ([], [""], "this server did not make"),
    ([], [generate_session_id(OTHER_KEY, signed=True)], "this server did not make"),
    ([], [SIGNED_ID.split(".")[0] + ".é"], "this server did not make"),  # Bokeh's compare would raise
    ([], ["a" * (MAX_SESSION_ID_CHARS + 1)], "this server did not make"),
])
def test_session_tokens_and_ids_in_a_page_request_are_the_servers_own(tokens, ids, expected):
    problem = session_problem(tokens, ids, True, KEY.encode())
    assert problem is None if expected is None else expected in problem


def test_the_limits_sit_just_past_their_values():
    assert query_problem("vox=" + "1" * MAX_VALUE_CHARS) is None
    assert query_problem("vox=" + "1" * (MAX_VALUE_CHARS + 1)) is not None
    assert query_problem("&".join(["a=1"] * MAX_FIELDS)) is None
    assert MAX_FIELDS == 2 * (len(URL_KEYS) + len(TOUR_KEYS))


# --- the served app ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app served by the CLI once for this module: (url, path of its log)."""
    log_path = tmp_path_factory.mktemp("edge") / "server.log"
    with open(log_path, "w") as log, serve_app(log=log) as (url, _):
        yield url, log_path


def test_a_5000_digit_number_gets_a_400_page_naming_it(served):
    url, log_path = served
    response = fetch(url, f"/?vox={HUGE}&view=memory")
    assert response.status == 400
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert "The value of URL parameter &#x27;vox&#x27; has 5,000 characters" in response.text
    assert '<a href="/">Open FN-DAM Explorer with its default values</a>' in response.text
    assert "<title>This link cannot be opened · FN-DAM Explorer</title>" in response.text
    assert "--fndam-accent" in response.text  # the app's CSS, inlined
    assert fetches(response.text) == []
    assert faults(log_path) == []


@pytest.mark.parametrize("query", ["vox=%C2%B2", "vox=%FF", "vox=%00", "vox=é"])
def test_each_kind_of_hostile_query_is_refused_for_every_method(served, query):
    url, log_path = served
    for method in ("GET", "HEAD", "POST"):
        assert raw_status(url, f"{method} /?{query} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                          .encode()) == 400
    assert faults(log_path) == []


def test_odd_but_harmless_values_and_hosts_open_the_app(served):
    url, log_path = served
    assert fetch(url, "/?vox=abc&colour=red&vox=%5B%5B").status == 200  # the app's notice says what
    assert fetch(url, "/?vox=1", headers={"Host": "["}).status == 200  # odd, but Panel splits it
    assert faults(log_path) == []


def test_an_ipv6_host_gets_a_400_page_saying_why(served):
    url, log_path = served
    response = fetch(url, "/", headers={"Host": "[::1]:5006"})
    assert response.status == 400
    assert "IPv6 address" in response.text
    assert faults(log_path) == []


def test_the_access_log_cuts_overlong_addresses(served):
    url, log_path = served
    assert fetch(url, "/nowhere/" + "a" * 5000).status == 404
    assert wait_for_log(log_path, lambda text: "/nowhere/" in text)
    lines = [line for line in log_path.read_text().splitlines() if "/nowhere/" in line]
    assert len(lines) == 1
    assert "(5,009 characters)" in lines[0]
    assert len(lines[0]) < 500


# --- fuzzing ----------------------------------------------------------------------------------------

@settings(FUZZ, max_examples=150)
@given(method=methods, path=paths(), query=queries, header_pairs=headers)
def test_no_request_gets_a_5xx_or_a_traceback(served, method, path, query, header_pairs):
    target = path + (f"?{query}" if query else "")
    assert_no_fault(*served, raw_request(method, target, header_pairs), target)


@settings(FUZZ, max_examples=60)  # about half pass the edge and build a session (~0.4 s each)
@given(query=queries, header_pairs=headers)
def test_no_page_request_gets_a_5xx_or_a_traceback(served, query, header_pairs):
    target = f"/?{query}"
    assert_no_fault(*served, raw_request("GET", target, header_pairs), target)


@settings(FUZZ, max_examples=40)  # none is signed by the server: each is refused at the edge
@given(protocols=st.one_of(header_values, tokens.map(lambda token: f"bokeh, {token}")))
def test_no_websocket_handshake_gets_a_5xx_or_a_traceback(served, protocols):
    own_page = ("Origin", f"http://localhost:{urlsplit(served[0]).port}")
    request = raw_request("GET", "/ws", [*HANDSHAKE, ("Sec-WebSocket-Protocol", protocols), own_page])
    assert_no_fault(*served, request, protocols)


@settings(FUZZ, max_examples=40)
@given(name=st.sampled_from(["bokeh-token", "bokeh-session-id", "Bokeh-Session-Id"]),
       value=st.one_of(header_values, tokens, tokens.map(lambda token: token + "." + token[:43])))
def test_no_page_request_naming_a_session_gets_a_5xx_or_a_traceback(served, name, value):
    if name.islower():  # an argument of the address
        target, header_pairs = "/?" + urlencode({name: value}), []
    else:
        target, header_pairs = "/", [(name, value)]
    assert_no_fault(*served, raw_request("GET", target, header_pairs), f"{name}: {value}")


def test_and_none_after_the_fuzzing_either(served):
    _, log_path = served
    time.sleep(1)  # anything a request left behind (a session being dropped) is logged by now
    assert faults(log_path) == []
