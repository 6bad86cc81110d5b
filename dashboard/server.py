"""Run the Bokeh server that gives every browser session its own app (used by :mod:`dashboard.cli`)."""

import asyncio
import logging

import panel as pn
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError

from dashboard.app import create_app

log = logging.getLogger(__name__)


def serve(port, address="localhost", origins=()):
    """Serve :func:`dashboard.app.create_app` at ``http://address:port/`` until interrupted.

    ``origins`` lists the extra ``host[:port]`` a browser may open the page from (a lab server's name);
    Bokeh allows ``localhost:port`` by itself.
    """
    loop = asyncio.new_event_loop()  # the loop the server runs on (tornado takes the current one)
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(quiet_closed_pages)
    # A closed page's session (and a playing learning run with it) is dropped within ~10 s instead of
    # Bokeh's ~30 s: a class of users leaves less work and memory behind.
    pn.serve(create_app, port=port, address=address, websocket_origin=list(origins) or None,
             show=False, title="FN-DAM Explorer", check_unused_sessions_milliseconds=5000,
             unused_session_lifetime_milliseconds=5000)


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
