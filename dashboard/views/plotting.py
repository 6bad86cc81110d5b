"""Shared HoloViews plotting: a DynamicMap that redraws in place when state parameters change."""

import holoviews as hv

# Select the Bokeh backend before setting option defaults (they are registered per backend).
hv.extension("bokeh")
#: Options every plot shares: fills its column, axes follow each frame, Bokeh's save tool for PNG.
PLOT_OPTS = {"responsive": True, "height": 430, "framewise": True, "show_grid": True,
             "tools": ["hover", "save"], "active_tools": ["box_zoom"]}


FRAMEWISE_ELEMENTS = ("Curve", "Scatter", "Points", "Rectangles", "Segments", "Area")


def live_plot(callback, *sources):
    """DynamicMap of ``callback()`` re-run (in place, no rebuild) when any ``(obj, [params])`` changes."""
    streams = [hv.streams.Params(obj, list(names)) for obj, names in sources]
    # Axes follow each frame only if the *elements* are framewise: the Overlay's option alone keeps
    # the first frame's ranges (an empty first frame would pin them at 0..1).
    framewise = [getattr(hv.opts, kind)(framewise=True) for kind in FRAMEWISE_ELEMENTS]
    return hv.DynamicMap(lambda **_: callback(), streams=streams).opts(*framewise)
