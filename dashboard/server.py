"""Run the Bokeh server that gives every browser session its own app (used by :mod:`dashboard.cli`)."""

import asyncio
import logging

import panel as pn
import param
from bokeh.util.logconfig import basicConfig
from tornado.iostream import StreamClosedError
from tornado.web import RequestHandler
from tornado.websocket import WebSocketClosedError

from dashboard.app import TITLE, create_app

log = logging.getLogger(__name__)

#: Every log line says when, how severe and who: "2026-01-05 10:02:03,123 WARNING dashboard.auth: ...".
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Path of the liveness endpoint under the server's prefix (proxies and probes poll it).
LIVENESS_PATH = "/healthz"


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


def serve(port, address="localhost", origins=()):
    """Serve :func:`dashboard.app.create_app` at ``http://address:port/`` until interrupted.

    ``origins`` lists the extra ``host[:port]`` a browser may open the page from (a lab server's name);
    Bokeh allows ``localhost:port`` by itself.
    """
    configure_logging()
    loop = asyncio.new_event_loop()  # the loop the server runs on (tornado takes the current one)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(quiet_closed_pages)
    # A closed page's session (and a playing learning run with it) is dropped within ~10 s instead of
    # Bokeh's ~30 s: a class of users leaves less work and memory behind.
    pn.serve(create_app, port=port, address=address, websocket_origin=list(origins) or None,
             show=False, verbose=False, title=TITLE, check_unused_sessions_milliseconds=5000,
             unused_session_lifetime_milliseconds=5000, extra_patterns=[(LIVENESS_PATH, Liveness)])


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
