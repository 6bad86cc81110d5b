"""The edge of the server: a query no page of the app could have made, or a websocket without a session
token Bokeh can read, is refused with a 400 page before Panel or Bokeh parses it.

Panel turns the page's address into Python values before the app runs, and raises inside tornado's
handler (a 500 and a traceback in the log) on several: ``int()`` of a 5,000-digit number or of a
superscript digit (``panel.util.parse_query``), a second ``?`` or ``#`` in the query, or a ``Host``
with more than one ``:`` such as an IPv6 address (``panel.io.location._get_location_params`` splits
on them). So every request is checked first, by a tornado rule that comes before the app's routes
(:func:`guard`). What is refused is what a link made by the app never holds: an overlong query or
value, more parameters than the app has, text that is not UTF-8, control characters, digits other
than 0-9, a raw ``?`` or ``#`` in the query; and a host Panel cannot split. A value that is merely out
of range or not a number still reaches the app, whose notice says what was wrong with it.

Bokeh reads the session token of a websocket (its second subprotocol) in the handler's ``open``, where
a missing, undecodable or expired token raises after the handshake: a traceback in the log for a
request any script can send. :class:`UnusableToken` refuses those handshakes first. The server signs
every session (:func:`dashboard.server.serve`), so a token or session id it did not make is refused
too; on a page request (``bokeh-token``, ``bokeh-session-id``, a ``Bokeh-Session-Id`` header), where
Bokeh answers 500 with a traceback for a token it cannot decode and logs an ERROR for a forged one,
:class:`UnusableSession` refuses it first.
"""

import math
import re
import time
import unicodedata
from urllib.parse import parse_qsl

from bokeh.util.token import (
    check_session_id_signature,
    check_token_signature,
    get_session_id,
    get_token_payload,
)
from tornado.routing import Matcher
from tornado.web import ErrorHandler, RedirectHandler, RequestHandler

from dashboard import pages
from dashboard.state.session import URL_KEYS
from dashboard.state.tour import URL_KEYS as TOUR_KEYS

#: Longest query accepted, in characters. A link to the full state is ~0.6k; this leaves room for
#: percent-escapes and parameters the app ignores with a notice.
MAX_QUERY_CHARS = 4096
#: Longest parameter value and name, in characters (the longest value the app writes is ~60).
MAX_VALUE_CHARS, MAX_NAME_CHARS = 200, 64
#: Most parameters in one query: twice as many as the app has, the tour's step included (repeats and
#: unknown names get a notice).
MAX_FIELDS = 2 * (len(URL_KEYS) + len(TOUR_KEYS))
#: Longest session id a websocket token may name, in characters (Bokeh's own are 44).
MAX_SESSION_ID_CHARS = 256
#: Unicode categories refused in names and values: control and invisible formatting characters.
_CONTROL = {"Cc", "Cf"}


def query_problem(query):
    """What makes the raw query string ``query`` (percent-encoded, without '?') hostile, or None.

    The answer is one sentence for the 400 page; it quotes at most the first 40 characters of a
    parameter name.
    """
    if not query.isascii():
        return "The query holds characters that are not percent-encoded."
    if "?" in query or "#" in query:
        return "The query holds a '?' or '#' of its own; a link writes them as %3F and %23."
    try:
        fields = parse_qsl(query, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        return "The query holds percent-escapes that are not UTF-8 text."
    except ValueError:  # parse_qsl's only other complaint: more fields than max_num_fields
        return f"The query has more than {MAX_FIELDS} parameters."
    for name, value in fields:
        if problem := _field_problem(name, value):
            return problem
    if len(query) > MAX_QUERY_CHARS:  # after the fields: a single overlong value is named
        return f"The query is {len(query):,} characters long; at most {MAX_QUERY_CHARS:,} are accepted."
    return None


def _field_problem(name, value):
    """What is hostile about one decoded ``name=value`` pair, or None."""
    quoted = repr(name if len(name) <= 40 else name[:40] + "…")
    if len(name) > MAX_NAME_CHARS:
        return f"The URL parameter name {quoted} has {len(name):,} characters; at most {MAX_NAME_CHARS}."
    if any(unicodedata.category(char) in _CONTROL for char in name + value):
        return f"The URL parameter {quoted} holds control characters."
    if len(value) > MAX_VALUE_CHARS:
        return (f"The value of URL parameter {quoted} has {len(value):,} characters; "
                f"at most {MAX_VALUE_CHARS} are accepted.")
    if value.isdigit() and not value.isascii():
        return f"The value of URL parameter {quoted} has digits other than 0-9."
    return None


def token_problem(subprotocols, sign_sessions, secret_key):
    """What keeps Bokeh from using the ``Sec-WebSocket-Protocol`` header ``subprotocols``, or None.

    Bokeh's page sends ``bokeh, <token>``; the token must decode, name a session (a string of 1 to
    MAX_SESSION_ID_CHARS characters), carry a finite expiry time in the future and, when the server
    signs sessions, bear its signature.
    """
    names = [name.strip() for name in subprotocols.split(",")]  # as tornado splits them
    if len(names) != 2 or names[0] != "bokeh":
        return "A websocket to the app offers the subprotocols 'bokeh' and a session token."
    return _token_problem(names[1], "The websocket's session token", sign_sessions, secret_key)


def _token_problem(token, what, sign_sessions, secret_key):
    """What keeps Bokeh from using the session token ``token`` (called ``what`` in the answer), or None."""
    try:
        session_id = get_session_id(token)
        expiry = get_token_payload(token).get("session_expiry")
        signed = check_token_signature(token, secret_key=secret_key, signed=sign_sessions)
    except Exception:  # Bokeh's decoding raises whatever the text provokes: base64, UTF-8, JSON, zlib, key...
        return f"{what} cannot be read."
    if not isinstance(session_id, str) or not 0 < len(session_id) <= MAX_SESSION_ID_CHARS:
        return f"{what} names no session."
    if not isinstance(expiry, int | float) or not math.isfinite(expiry) or expiry <= time.time():
        return f"{what} has no expiry time or has expired; reload the page."
    if not signed:
        return f"{what} is not signed by this server."
    return None


def session_problem(tokens, session_ids, sign_sessions, secret_key):
    """What keeps Bokeh from using the session tokens and ids a page request names, or None.

    ``tokens`` are the request's ``bokeh-token`` values, ``session_ids`` its ``bokeh-session-id`` values
    and ``Bokeh-Session-Id`` header; a page of the app sends none (Bokeh makes a new session), but
    Bokeh reads them on every request for a page. Each must be one the server could have made: a token
    as :func:`token_problem` wants it, a session id of 1 to MAX_SESSION_ID_CHARS characters bearing
    the server's signature when it signs sessions.
    """
    for token in tokens:
        if problem := _token_problem(token, "The address's session token (bokeh-token)", sign_sessions,
                                     secret_key):
            return problem
    for session_id in session_ids:
        # ASCII first: Bokeh compares signatures with hmac.compare_digest, which raises on other text
        if not (0 < len(session_id) <= MAX_SESSION_ID_CHARS and session_id.isascii()) or \
                not check_session_id_signature(session_id, secret_key=secret_key, signed=sign_sessions):
            return ("The request names a session (bokeh-session-id) this server did not make; open the "
                    "app's address without it.")
    return None


class UnusableToken(Matcher):
    """Tornado matcher: a websocket upgrade of the app whose token :func:`token_problem` refuses."""

    def __init__(self, path, tornado_app):
        self.path, self.tornado_app = path, tornado_app

    def match(self, request):
        if request.path != self.path or request.headers.get("Upgrade", "").lower() != "websocket":
            return None
        app = self.tornado_app
        problem = token_problem(request.headers.get("Sec-WebSocket-Protocol", ""), app.sign_sessions,
                                app.secret_key)
        return None if problem is None else {"path_args": [], "path_kwargs": {"problem": problem}}


def host_problem(host):
    """What keeps Panel from splitting the ``Host`` header ``host`` into name and port, or None."""
    if host.count(":") > 1:
        return ("The address names the server by an IPv6 address, which the app cannot take apart; "
                "use the server's name (or an IPv4 address) instead.")
    return None


class UnusableSession(Matcher):
    """Tornado matcher: a request whose session tokens or ids :func:`session_problem` refuses."""

    def __init__(self, tornado_app):
        self.tornado_app = tornado_app

    def match(self, request):
        tokens, ids = ([value.decode("utf-8", "replace") for value in request.query_arguments.get(name, [])]
                       for name in ("bokeh-token", "bokeh-session-id"))
        ids += request.headers.get_list("Bokeh-Session-Id")
        if not tokens and not ids:
            return None
        problem = session_problem(tokens, ids, self.tornado_app.sign_sessions, self.tornado_app.secret_key)
        return None if problem is None else {"path_args": [], "path_kwargs": {"problem": problem}}


class HostileRequest(Matcher):
    """Tornado matcher: a request whose query :func:`query_problem` or host :func:`host_problem` refuses
    (the query of the login page aside: its ``next`` parameter carries a whole address and is checked
    there)."""

    def __init__(self, exempt_paths):
        self.exempt_paths = set(exempt_paths)

    def match(self, request):
        problem = host_problem(request.host) or (
            None if request.path in self.exempt_paths else query_problem(request.query))
        return None if problem is None else {"path_args": [], "path_kwargs": {"problem": problem}}


class Refused(RequestHandler):
    """Answers any method with 400 and a page saying what was wrong and linking to the app."""

    def initialize(self, home):
        self.home = home

    def prepare(self):
        self.set_status(400)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(pages.render("refused", "This link cannot be opened", reason=self.path_kwargs["problem"],
                                 home=self.home))


def guard(tornado_app, prefix, exempt_paths=(), absent_paths=()):
    """Make ``tornado_app`` refuse hostile queries and unusable session tokens (:class:`Refused`) before
    any of its routes, and send the bare prefix (``/fndam``) to the app's page (``/fndam/``, query kept).

    Tornado's ``add_handlers`` puts a host rule ahead of the routes the application was built with;
    ``.*`` matches every host. ``exempt_paths`` are full paths (prefix included) whose query is left
    unchecked (their host still is); ``absent_paths`` answer 404 whatever the app would have done.
    The redirect comes before the app's routes because Panel answers ``/fndam`` itself and, without a
    login, sends it to a login page relative to ``/``.
    """
    home = {"home": prefix + "/"}
    rules = [(HostileRequest(exempt_paths), Refused, home),
             (UnusableToken(prefix + "/ws", tornado_app), Refused, home),
             (UnusableSession(tornado_app), Refused, home)]
    rules += [(re.escape(path), ErrorHandler, {"status_code": 404}) for path in absent_paths]
    if prefix:
        rules.append((re.escape(prefix), RedirectHandler, {"url": prefix + "/", "permanent": False}))
    tornado_app.add_handlers(r".*", rules)
