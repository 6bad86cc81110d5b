"""The floor every page benchmark compares against: a minimal Panel page served by the same Panel.

A BootstrapTemplate (the issue's baseline) with one FloatInput in the sidebar and one 500-point HoloViews
curve that redraws in place when the input changes.  Run as a script to serve it beside the app:
``python benchmarks/minimal_page.py PORT [--plain]`` serves ``/app`` and ``/minimal`` with the app
server's settings for pages (``--plain``: as Panel serves any page).
"""

import sys

import holoviews as hv
import numpy as np
import panel as pn
import param

X = np.linspace(0.0, 10.0, 500)


class Minimal(param.Parameterized):
    """One number driving one curve."""

    k = param.Number(1.0, bounds=(0.5, 5.0), label="k")


def minimal_app(state=None):
    """The minimal page: one FloatInput (CSS class ``box-k``, as the app's number boxes) and one curve."""
    state = state or Minimal()
    plot = hv.DynamicMap(lambda k: hv.Curve((X, np.sin(k * X))), streams=[hv.streams.Params(state, ["k"])])
    box = pn.widgets.FloatInput.from_param(state.param.k, css_classes=["box-k"])
    return pn.template.BootstrapTemplate(title="minimal", sidebar=[box],
                                         main=[pn.pane.HoloViews(plot, sizing_mode="stretch_width")])


def serve_side_by_side(port, tuned=True):
    """Serve the app at ``/app`` and the minimal page at ``/minimal`` from this process until
    interrupted; ``tuned``: with the app server's settings for pages (dashboard.server.tune_for_pages),
    else as Panel serves any page. Closed sessions are culled 5-10 s after (the served app waits
    UNUSED_SESSION_MS for a late websocket): a page's cleanup falls inside the run."""
    from dashboard.app import create_app
    from dashboard.server import tune_for_pages

    if tuned:
        tune_for_pages()
    pn.serve({"app": create_app, "minimal": minimal_app}, port=port, address="127.0.0.1", show=False,
             check_unused_sessions_milliseconds=5000, unused_session_lifetime_milliseconds=5000)


if __name__ == "__main__":
    serve_side_by_side(int(sys.argv[1]), tuned="--plain" not in sys.argv[2:])
