"""Run the Bokeh server that gives every browser session its own app (used by :mod:`dashboard.cli`)."""

import panel as pn

from dashboard.app import create_app


def serve(port, address="localhost", origins=()):
    """Serve :func:`dashboard.app.create_app` at ``http://address:port/`` until interrupted.

    ``origins`` lists the extra ``host[:port]`` a browser may open the page from (a lab server's name);
    Bokeh allows ``localhost:port`` by itself.
    """
    # A closed page's session (and a playing learning run with it) is dropped within ~10 s instead of
    # Bokeh's ~30 s: a class of users leaves less work and memory behind.
    pn.serve(create_app, port=port, address=address, websocket_origin=list(origins) or None,
             show=False, title="FN-DAM Explorer", check_unused_sessions_milliseconds=5000,
             unused_session_lifetime_milliseconds=5000)
