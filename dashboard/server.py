"""Run the Bokeh server that gives every browser session its own app (used by :mod:`dashboard.cli`)."""

import asyncio
import ctypes
import ctypes.util
import gc
import logging

import panel as pn
import param
from bokeh.server.auth_provider import NullAuth
from bokeh.server.views.ico_handler import IcoHandler
from bokeh.util.logconfig import basicConfig
from tornado.ioloop import PeriodicCallback
from tornado.iostream import StreamClosedError
from tornado.web import RequestHandler
from tornado.websocket import WebSocketClosedError

from dashboard import allocator, edge
from dashboard.app import create_app
from dashboard.auth import BOKEH_SESSIONS, LOGIN_COOKIES, signing_key
from dashboard.login import LOGIN_PATH, UsersFileAuth
from dashboard.model_defaults import look_up_defaults_once
from dashboard.serializing import serialize_set_properties_only
from dashboard.serving import CHECK_SESSIONS_MS, LIVENESS_PATH, LOG_FORMAT, TITLE, UNUSED_SESSION_MS

log = logging.getLogger(__name__)
access_log = logging.getLogger("tornado.access")

#: Longest request address the access log writes out, in characters (a hostile one can be ~64k).
MAX_LOGGED_URI = 300
#: Largest request body accepted, in bytes: only the login form is posted (Bokeh talks over websockets).
MAX_BODY_BYTES = 64 * 1024


class Liveness(RequestHandler):
    """``GET <prefix>/healthz`` answers 200 ``ok`` while the server's event loop runs.

    It builds no session and needs no login, so a proxy or a Kubernetes probe can poll it every second
    at no cost; an event loop blocked by a session's work answers late, which is what a probe should see.
    """

    def get(self):
        self.head()
        self.write("ok")

    def head(self):
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")


class PrefixedIcon(IcoHandler):
    """``GET <prefix>/favicon.ico``: Bokeh serves its icon at ``/favicon.ico`` whatever the prefix, while
    Panel's page asks for it below the prefix (a 404 the browser reports as a console error)."""

    def initialize(self):
        super().initialize(app=self.application)


def serve(port, secret, address="localhost", origins=(), prefix="", users_file=None):
    """Serve :func:`dashboard.app.create_app` at ``http://address:port<prefix>/`` until interrupted.

    Every Bokeh session id and token is signed: a websocket opens only with the token of a page this
    server (or another sharing its secret) rendered, never with one a script made up.

    Parameters
    ----------
    port : int
        TCP port.
    secret : str
        The installation's secret (:func:`dashboard.auth.cookie_secret`); the keys that sign Bokeh
        sessions and login cookies are derived from it, so servers that share it (workers, hosts,
        pods) accept each other's sessions and logins.
    address : str
        Address to listen on; localhost unless the caller says otherwise.
    origins : sequence of str
        Extra ``host[:port]`` a browser may open the page from (a lab server's name); Bokeh allows
        ``localhost:port`` by itself. Never a wildcard (the command line refuses one).
    prefix : str
        URL path the app, its files, the liveness endpoint and the login pages are served under
        ('' or like '/fndam').
    users_file : str or None
        With a users file (:mod:`dashboard.auth`), every page and websocket needs a login.
    """
    configure_logging()
    loop = asyncio.new_event_loop()  # the loop the server runs on (tornado takes the current one)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(quiet_closed_pages)
    if not origins and address not in ("localhost", "127.0.0.1", "::1"):
        log.warning("listening on %s, but only pages opened as localhost:%d may connect; name the host "
                    "students type with --allow-websocket-origin HOST:%d", address, port, port)
    server = pn.serve(create_app, port=port, address=address, websocket_origin=list(origins) or None,
                      prefix=prefix, show=False, start=False, verbose=False, title=TITLE,
                      check_unused_sessions_milliseconds=CHECK_SESSIONS_MS,
                      unused_session_lifetime_milliseconds=UNUSED_SESSION_MS,
                      extra_patterns=[(LIVENESS_PATH, Liveness),
                                      *([("/favicon.ico", PrefixedIcon)] if prefix else [])],
                      auth_provider=UsersFileAuth(users_file) if users_file else NullAuth(),
                      cookie_secret=signing_key(secret, LOGIN_COOKIES),
                      secret_key=signing_key(secret, BOKEH_SESSIONS).encode("ascii"), sign_sessions=True,
                      log_function=log_request,
                      http_server_kwargs={"max_body_size": MAX_BODY_BYTES})
    # Bokeh's Server keeps its tornado Application in ``_tornado`` (no public accessor in Bokeh 3.9).
    # With logins, autoload.js (embedding the app in another site's page) is not offered: Panel's
    # handler for it fails with a traceback on a request without a login.
    edge.guard(server._tornado, prefix, exempt_paths=[prefix + LOGIN_PATH],
               absent_paths=[prefix + "/autoload.js"] if users_file else ())
    log.info("serving %s at http://%s:%d%s/%s", TITLE, address, port, prefix,
             " (login required)" if users_file else "")
    if allocator.missing():
        log.warning(allocator.MISSING)
    tune_for_pages()
    PeriodicCallback(return_freed_memory, TRIM_EVERY_MS).start()
    server.start()
    server.io_loop.start()


def tune_for_pages():
    """This process's settings for building and sending pages: the collector
    (:func:`collect_garbage_for_pages`), Bokeh's serializer
    (:func:`dashboard.serializing.serialize_set_properties_only`) and its model defaults
    (:func:`dashboard.model_defaults.look_up_defaults_once`)."""
    collect_garbage_for_pages()
    serialize_set_properties_only()
    look_up_defaults_once()


def collect_garbage_for_pages():
    """Tune Python's cycle collector for a server that builds pages.

    A new page allocates ~10^5 Python objects (Param, Panel, Bokeh and HoloViews objects); at CPython's
    default thresholds (700, 10, 10) the collector runs hundreds of times per page, each time walking
    the modules imported at start as well. Measured in-process over 60 pages kept open: 2.8 s of
    collection by default, 0.9 s with everything alive at start frozen out of collection and a
    generation-0 threshold of 10,000 (~30 ms less CPU per page). Garbage cycles from closed sessions
    are still collected, in fewer and larger passes.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


#: How often the server hands freed heap memory back to the system [ms].
TRIM_EVERY_MS = 30_000
#: glibc's ``malloc_trim`` (None elsewhere: musl, macOS).
_LIBC_NAME = ctypes.util.find_library("c")  # runs ldconfig: once
_MALLOC_TRIM = getattr(ctypes.CDLL(_LIBC_NAME), "malloc_trim", None) if _LIBC_NAME else None


def return_freed_memory():
    """Give the memory of closed pages back to the system (glibc ``malloc_trim(0)``).

    A page's objects live in small blocks spread over the heap; when its session is culled they are
    freed, but the C allocator keeps the pages for reuse, so a worker's resident memory stays near its
    highest level of open pages. Trimming returns whole free pages (~0.2 ms; live objects untouched).
    It matters for a server without jemalloc (``dashboard.allocator``, which returns free pages
    itself): there, measured with benchmarks/load.py --soak 1000, a worker's peak of 245 MB came back
    to 229 MB.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def log_request(handler):
    """Access log line of a finished request (tornado's, with overlong addresses cut short).

    Status 500 and above log as ERROR, 400 and above as WARNING, the rest as INFO; a liveness
    answer of 200 is not logged.
    """
    status = handler.get_status()
    if status == 200 and isinstance(handler, Liveness):
        return  # probes ask every few seconds (the supervisor, Kubernetes): only a failure is news
    level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
    uri = handler.request.uri
    if len(uri) > MAX_LOGGED_URI:
        uri = f"{uri[:MAX_LOGGED_URI]}... ({len(uri):,} characters)"
    access_log.log(level, "%d %s %s (%s) %.2fms", status, handler.request.method, uri,
                   handler.request.remote_ip, 1000 * handler.request.request_time())


def configure_logging():
    """Send every logger (ours, tornado's, Bokeh's, Panel's) to stderr as one line each with time and level.

    Bokeh, Panel and Param each install a handler of their own on import (Panel's prints to stdout
    without propagating, Param's would print its warnings twice); the root logger's replaces them, so
    a system administrator reads one format in one stream. INFO keeps the access log and the session
    lifecycle lines; DEBUG would log every message.
    """
    basicConfig(level=logging.INFO, format=LOG_FORMAT, force=True)
    for name in ("panel", "param"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.setLevel(logging.INFO)  # Panel sets DEBUG on its logger and filtered in its own handler
        logger.propagate = True
    param.parameterized.logger = logging.getLogger("param")  # else Param adds its handler back when it logs
    logging.getLogger("bokeh.server.views.ws").addFilter(refused_origin_is_a_warning)


def refused_origin_is_a_warning(record):
    """Logging filter: Bokeh's ERROR for a websocket from a page of another site becomes a WARNING.

    Refusing it is the server doing its job (a foreign page, or a host name missing from
    --allow-websocket-origin), not a fault of the server; ERROR stays for faults.
    """
    if record.levelno == logging.ERROR and record.getMessage().startswith("Refusing websocket connection"):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True


def quiet_closed_pages(loop, context):
    """asyncio exception handler: one log line, not a traceback, for a page closed mid-message.

    When a browser leaves while its session is still sending (a tab closed during a training run,
    a reload), tornado's write fails in a task nobody awaits and asyncio would log the traceback as an
    error.  In a class that is normal, not a fault.  Every other exception goes to asyncio's default
    handler.
    """
    if isinstance(context.get("exception"), (WebSocketClosedError, StreamClosedError)):
        log.info("a page closed while its session was sending; message dropped")
        return
    loop.default_exception_handler(context)
