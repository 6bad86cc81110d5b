"""Shared HoloViews plotting: a DynamicMap that redraws in place when state parameters change, the
options every plot shares, and the batching of a change that redraws several plots."""

import holoviews as hv
import panel as pn
import param
from bokeh.models import GlyphRenderer

# Select the Bokeh backend before setting option defaults (they are registered per backend).
hv.extension("bokeh")


def batched():
    """Context for a change that redraws several plots: one batch of Bokeh events at the end.

    Panel's ``hold`` combines the events and, with ``freeze``, recomputes the document's model graph
    once at exit instead of after every property change (benchmarks/bench_dashboard.py: 20-35 % off a
    control change that redraws several plots, ~20 % off a training tick).  A no-op outside a server.
    """
    return pn.io.hold(freeze=True)


def hide_empty_legend_items(plot, element):
    """HoloViews hook (run on every frame): show a legend entry only while its layer has data.

    Views keep the same layers in every frame so that plots update in place, and draw a layer that is
    switched off (the exact curve, a turning point that does not exist) with no data; its legend entry
    would otherwise stay.  Relabelling layers live instead breaks the in-place update.
    """
    for legend in plot.state.legend:
        for item in legend.items:
            item.visible = any(_rows(renderer) for renderer in item.renderers)


def _rows(renderer):
    """Number of rows in a renderer's data source (0 for renderers without one).

    Checked by type: a missing attribute on a Bokeh model raises an AttributeError whose message Bokeh
    builds with difflib's close matches (~0.5 ms each, on every frame of every plot).
    """
    if not isinstance(renderer, GlyphRenderer):
        return 0
    return max((len(column) for column in renderer.data_source.data.values()), default=0)


#: Options every plot shares: fills its column, axes follow each frame, Bokeh's save tool for PNG,
#: legend entries only for layers with data, drawn on a plain canvas: HoloViews' default, WebGL, is
#: rendered in software by a browser without GPU acceleration (headless Chromium, many lab PCs, remote
#: desktops) and copied to the page on every repaint, which slowed every redraw.
PLOT_OPTS = {"responsive": True, "height": 430, "framewise": True, "show_grid": True,
             "tools": ["hover", "save"], "active_tools": ["box_zoom"], "hooks": [hide_empty_legend_items],
             "backend_opts": {"plot.output_backend": "canvas"}}


FRAMEWISE_ELEMENTS = ("Curve", "Scatter", "Points", "Rectangles", "Segments", "Area")


def reactive(method):
    """``method`` as a function bound to every parameter its ``@param.depends`` declares.

    Dependencies are declared once, on the method (``"state.param"``, ``"state.device.param"``).
    Param 2.4 expands such ``obj.param`` wildcards for watchers (``method_dependencies``) but not when
    a method is handed to HoloViews or to a Panel pane as a reference (``resolve_ref`` raises
    KeyError 'param'), so the expanded parameters are bound here and both accept the result.
    """
    owner = method.__self__
    params = [dep.inst.param[dep.name] for dep in owner.param.method_dependencies(method.__name__)
              if dep.what == "value" and dep.name != "name"]
    return param.bind(lambda *_: method(), *params)


def live_plot(method):
    """DynamicMap of ``method()``, redrawn in place (no rebuild) when a parameter it depends on changes."""
    # Axes follow each frame only if the *elements* are framewise: the Overlay's option alone keeps
    # the first frame's ranges (an empty first frame would pin them at 0..1).
    framewise = [getattr(hv.opts, kind)(framewise=True) for kind in FRAMEWISE_ELEMENTS]
    # Round joins: with Bokeh's default bevel joins, Chromium's rasteriser draws specks along thick
    # curves made of many short, nearly collinear segments (a band profile, a log-spaced sweep).
    joins = hv.opts.Curve(line_join="round")
    return hv.DynamicMap(reactive(method)).opts(*framewise, joins)


def plot_pane(method):
    """A HoloViews pane filling its column with :func:`live_plot` of ``method``."""
    return pn.pane.HoloViews(live_plot(method), sizing_mode="stretch_width")
