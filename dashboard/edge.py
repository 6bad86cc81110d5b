"""The edge of the server: a query no page of the app could have made is refused with a 400 page before
Panel parses it.

Panel turns the page's query into Python values (``panel.util.parse_query``) before the app runs:
``int()`` of a 5,000-digit number or of a superscript digit raises inside tornado's handler, which
answers 500 and logs a traceback. So every request's query is checked first, by a tornado rule that
comes before the app's routes (:func:`guard`). What is refused is what a link made by the app never
holds: an overlong query or value, more parameters than the app has, text that is not UTF-8,
control characters, digits other than 0-9. A value that is merely out of range or not a number
still reaches the app, whose notice says what was wrong with it.
"""

import re
import unicodedata
from urllib.parse import parse_qsl

from tornado.routing import Matcher
from tornado.web import ErrorHandler, RedirectHandler, RequestHandler

from dashboard import pages
from dashboard.state.session import URL_KEYS

#: Longest query accepted, in characters. A link to the full state is ~0.6k; this leaves room for
#: percent-escapes and parameters the app ignores with a notice.
MAX_QUERY_CHARS = 4096
#: Longest parameter value and name, in characters (the longest value the app writes is ~60).
MAX_VALUE_CHARS, MAX_NAME_CHARS = 200, 64
#: Most parameters in one query: twice as many as the app has (repeats and unknown names get a notice).
MAX_FIELDS = 2 * len(URL_KEYS)
#: Unicode categories refused in names and values: control and invisible formatting characters.
_CONTROL = {"Cc", "Cf"}


def query_problem(query):
    """What makes the raw query string ``query`` (percent-encoded, without '?') hostile, or None.

    The answer is one sentence for the 400 page; it quotes at most the first 40 characters of a
    parameter name.
    """
    if not query.isascii():
        return "The query holds characters that are not percent-encoded."
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


class HostileQuery(Matcher):
    """Tornado matcher: a request whose query :func:`query_problem` refuses (the login page aside, whose
    ``next`` parameter carries a whole address and is checked there)."""

    def __init__(self, exempt_paths):
        self.exempt_paths = set(exempt_paths)

    def match(self, request):
        if request.path in self.exempt_paths:
            return None
        problem = query_problem(request.query)
        return None if problem is None else {"path_args": [], "path_kwargs": {"problem": problem}}


class RefusedQuery(RequestHandler):
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
    """Make ``tornado_app`` refuse hostile queries (:class:`RefusedQuery`) before any of its routes, and
    send the bare prefix (``/fndam``) to the app's page (``/fndam/``, query kept).

    Tornado's ``add_handlers`` puts a host rule ahead of the routes the application was built with;
    ``.*`` matches every host. ``exempt_paths`` are full paths (prefix included) whose query is left
    unchecked; ``absent_paths`` answer 404 whatever the app would have done. The redirect comes before
    the app's routes because Panel answers ``/fndam`` itself and, without a login, sends it to a
    login page relative to ``/``.
    """
    rules = [(HostileQuery(exempt_paths), RefusedQuery, {"home": prefix + "/"})]
    rules += [(re.escape(path), ErrorHandler, {"status_code": 404}) for path in absent_paths]
    if prefix:
        rules.append((re.escape(prefix), RedirectHandler, {"url": prefix + "/", "permanent": False}))
    tornado_app.add_handlers(r".*", rules)
