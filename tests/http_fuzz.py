"""Hypothesis strategies for raw HTTP requests and the check that a served app answers them without a
fault: the fuzzing of tests/test_edge.py (any request) and tests/test_auth.py (the login server)."""

import base64
import json
import string
import time
from urllib.parse import quote, urlencode

from http_helpers import raw_status
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from dashboard.state.session import URL_KEYS

#: Paths the server answers (below its prefix); "/" (the page, ~0.5 s per session) last, so that
#: hypothesis reaches it least.
PATHS = ["/healthz", "/ws", "/metadata", "/autoload.js", "/static/js/bokeh.min.js", "/static/../../etc",
         "/favicon.ico", "/login", "/logout", "/nowhere", "/"]
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_percent_soup = st.lists(st.integers(0, 255), max_size=30).map(lambda bs: "".join(f"%{b:02X}" for b in bs))
#: Values a hand-edited link might hold: numbers in any notation, words, brackets, unicode.
_odd_values = st.one_of(
    st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=True).map(repr), _text.map(quote),
    st.sampled_from(["[[[", "{", "[1,2", "{'a': (", "true", "1e999", "-0", "0x10", "²", "١٢٣"]).map(quote))
_values = st.one_of(_odd_values, st.integers(4300, 20_000).map(lambda n: "9" * n), _percent_soup)
_pairs = st.lists(st.tuples(st.one_of(st.sampled_from(list(URL_KEYS)), _text.map(quote)), _values),
                  max_size=6).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))
_raw = st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=200)
queries = st.one_of(st.just(""), _pairs, _raw, _percent_soup,
                    st.integers(4300, 30_000).map(lambda n: "vox=" + "9" * n))


def paths(prefix=""):
    """Request paths: the server's own below ``prefix``, random ones, percent-encoded unicode, overlong."""
    return st.one_of(st.sampled_from([prefix + path for path in PATHS]), _raw.map(lambda s: prefix + "/" + s),
                     st.lists(_text, max_size=4).map(lambda parts: "/" + "/".join(quote(p) for p in parts)),
                     st.integers(1000, 70_000).map(lambda n: "/" + "a" * n))


_token = st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=20)
header_values = st.one_of(st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=60),
                          _text, st.integers(1000, 80_000).map(lambda n: "x" * n))
_random_headers = st.lists(st.one_of(
    st.tuples(_token.filter(lambda name: name.lower() not in
                            ("content-length", "transfer-encoding", "expect", "connection", "upgrade")),
              header_values),
    st.tuples(st.sampled_from(["Host", "Cookie", "Origin", "Referer", "Accept-Language", "X-Forwarded-For"]),
              header_values),
    st.just(("Upgrade", "websocket"))), max_size=5)
#: Bokeh-like tokens: base64 of JSON objects with Bokeh's keys (or not) and values of any type.
_any_json = st.one_of(st.integers(), st.floats(), st.booleans(), _text, st.none(), st.lists(st.integers()))
_session_ids = st.text(string.ascii_letters, min_size=1, max_size=300)
_expiries = st.floats(time.time() - 10, time.time() + 10**6)
_payloads = st.one_of(
    st.fixed_dictionaries({"session_id": _session_ids, "session_expiry": _expiries}),  # Bokeh can use it
    st.fixed_dictionaries({}, optional={"session_id": st.one_of(_session_ids, _any_json),
                                        "session_expiry": st.one_of(_expiries, _any_json),
                                        "__bk__zlib_": _any_json, "x": _any_json}))
tokens = _payloads.map(lambda payload: base64.urlsafe_b64encode(json.dumps(payload).encode()).decode())
HANDSHAKE = [("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"),
              ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")]
_websocket_handshake = st.one_of(header_values, tokens.map(lambda token: f"bokeh, {token}")).map(
    lambda protocols: [*HANDSHAKE, ("Sec-WebSocket-Protocol", protocols)])
headers = st.one_of(_random_headers,
                    st.tuples(_websocket_handshake, _random_headers).map(lambda pair: pair[0] + pair[1]))
methods = st.sampled_from(["GET", "HEAD", "POST", "OPTIONS", "DELETE", "PUT", "FOO", "GET"])


def raw_request(method, target, header_pairs, body=b""):
    """The bytes of one HTTP/1.1 request, UTF-8 where the text is not ASCII; Host and
    ``Connection: close`` unless ``header_pairs`` say otherwise, Content-Length with a ``body``."""
    names = {name.lower() for name, _ in header_pairs}
    lines = [f"{method} {target} HTTP/1.1", *(f"{name}: {value}" for name, value in header_pairs),
             *(["Host: localhost"] if "host" not in names else []),
             *(["Connection: close"] if "connection" not in names else []),
             *([f"Content-Length: {len(body)}"] if body else [])]
    return "\r\n".join([*lines, "", ""]).encode("utf-8") + body


FUZZ = settings(deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def assert_no_fault(url, log_path, request, shown):
    """Send ``request`` to the server of ``url``; no 5xx, nothing in its log about a fault while it was
    answered (``shown`` says which request failed)."""
    before = len(log_path.read_text())
    status = raw_status(url, request)
    assert status is None or status < 500, (status, shown[:300])
    news = log_path.read_text()[before:]
    assert "Traceback" not in news, news[:3000]
    assert "ERROR" not in news, news[:3000]


def faults(log_path):
    """Lines of the server's log that report a fault."""
    return [line for line in log_path.read_text().splitlines() if "Traceback" in line or "ERROR" in line]


#: Request bodies: bytes of any kind, or form fields of the login page with any values.
bodies = st.one_of(
    st.binary(max_size=300),
    st.dictionaries(st.sampled_from(["user", "password", "_xsrf", "next"]), header_values, max_size=4)
    .map(lambda fields: urlencode(fields).encode()))
content_types = st.sampled_from(["application/x-www-form-urlencoded", "multipart/form-data; boundary=zz",
                                 "multipart/form-data", "text/plain", "application/json; charset=latin-1"])
