"""Plots that grow while a run plays: a HoloViews overlay of curves rendered once to a Bokeh figure, then
fed through the figure's data sources, so only new points travel to the browser.

Re-rendering a whole overlay per frame is what made a playing run expensive (~170 ms of the server's
event loop per tick for four overlays): HoloViews rebuilds every layer's data, ranges and styles.  Here
axes, legend and options are set once, when the figure is built; a frame is a ``ColumnDataSource.stream``
of the new points per layer (Bokeh sends just those), or, for a new run, new data for every layer.
"""

import holoviews as hv
import panel as pn
from bokeh.models import DataRange1d

from dashboard.views.plotting import hide_empty_legend_items


def frame():
    """Context for one frame of streamed plots (and the panes beside them): one batch of Bokeh events.

    Unlike :func:`dashboard.views.plotting.batched` the document's model graph is not frozen: a frozen
    document recomputes every model's references at exit (~15 ms for the learning view's ~400 models,
    four times the frame itself), and a frame adds and removes no model, so there is nothing to
    recompute.
    """
    return pn.io.hold()


class StreamedCurves:
    """An overlay of curves with fixed layers, drawn once and then fed points.

    Parameters
    ----------
    layers : dict
        Key -> ``hv.Curve`` (empty, or the first frame's data), in drawing order; a layer's key names
        it in :meth:`append` and :meth:`replace`.
    options : list
        HoloViews options of the overlay (title, axes labels, legend, ``xlim``...).
    fit_y : bool
        Let the browser fit the y axis to the data as it grows (Bokeh's ``DataRange1d``); False keeps
        the ``ylim`` of ``options``.
    """

    def __init__(self, layers, options, fit_y=True):
        self._plot = hv.renderer("bokeh").get_plot(hv.Overlay(list(layers.values())).opts(*options))
        self.figure = self._plot.state
        if fit_y:
            self.figure.y_range = DataRange1d()
        subplots = self._plot.subplots.values()
        self.sources = {key: sub.handles["source"] for key, sub in zip(layers, subplots, strict=True)}
        self._columns = {key: (curve.kdims[0].name, curve.vdims[0].name) for key, curve in layers.items()}
        self.pane = pn.pane.Bokeh(self.figure, sizing_mode="stretch_width")

    def append(self, points):
        """Add ``points`` (key -> (x, y) arrays) to the ends of their layers: only they are sent."""
        for key, (x, y) in points.items():
            if len(x):
                self.sources[key].stream(dict(zip(self._columns[key], (x, y), strict=True)))
        self._legend()

    def replace(self, points, xlim=None):
        """Give the layers in ``points`` (key -> (x, y) arrays) new data, and the x axis ``xlim``."""
        for key, (x, y) in points.items():
            self.sources[key].data = dict(zip(self._columns[key], (x, y), strict=True))
        if xlim is not None:
            self.figure.x_range.start, self.figure.x_range.end = xlim
        self._legend()

    def _legend(self):
        hide_empty_legend_items(self._plot, None)  # the hook the other views' plots run per frame
