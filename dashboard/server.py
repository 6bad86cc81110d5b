"""Run the Bokeh server that gives every browser session its own app (used by :mod:`dashboard.cli`)."""

import panel as pn

from dashboard.app import create_app


def serve(port, address="localhost", origins=()):
    """Serve :func:`dashboard.app.create_app` at ``http://address:port/`` until interrupted.

    ``origins`` lists the extra ``host[:port]`` a browser may open the page from (a lab server's name);
    Bokeh allows ``localhost:port`` by itself.
    """
    pn.serve(create_app, port=port, address=address, websocket_origin=list(origins) or None,
             show=False, title="FN-DAM Explorer")
