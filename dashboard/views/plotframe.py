"""The accessible frame around every plot (issue 10, "Access for everyone"): the plot's canvas named as
an image with its title, a sentence of what the plot shows now in a live region, and the plot's data as
HTML tables on demand.

A Bokeh 3.9 plot is a stack of canvases with no role or name, and its numbers exist only as pixels: a
screen reader says nothing about it. The sentence (from a describe function each view supplies, fed
the data the plot draws) follows every redraw; the tables are built only while the reader has them
open, so a page costs no more than one small component per plot until someone asks.
"""

from typing import ClassVar

import numpy as np
import param
from panel.custom import Child, JSComponent

from dashboard.pages import asset_text

#: Most rows a table shows; a longer layer shows this many rows spread evenly over it, first and last
#: included (a curve's first rows alone would show only its start).
MAX_ROWS = 25


class PlotFrame(JSComponent):
    """One plot with its live description and its data tables (``assets/plotframe.js``)."""

    plot = Child(doc="The Bokeh pane of the plot.")
    label = param.String(default="", doc="The plot's title: the accessible name of its canvas.")
    text = param.String(default="", doc="One sentence of what the plot shows now, read out as it changes.")
    table_open = param.Boolean(default=False, doc="Whether the reader has asked for the data as tables "
                                                  "(set by the browser's toggle).")
    tables = param.List(default=[], item_type=dict,
                        doc="The tables shown while open: caption, column names, rows of text.")

    _esm: ClassVar[str] = asset_text("plotframe.js")
    _stylesheets: ClassVar[list] = [asset_text("plotframe.css")]


def data_tables(layers, data, x_label, y_label, max_rows=MAX_ROWS):
    """The tables of a plot's data: one per layer with data, as :class:`PlotFrame` shows them.

    Parameters
    ----------
    layers : dict
        Key -> :class:`dashboard.views.plotting.Layer` of the plot.
    data : dict
        Key -> the layer's data now (column -> values), as drawn.
    x_label, y_label : str
        The axis labels, which name the x and y columns.
    max_rows : int
        Most rows a table shows (see :data:`MAX_ROWS`).

    Returns
    -------
    list of dict
        ``caption`` (the layer's legend label, else its key, and how many rows are shown),
        ``columns`` (names) and ``rows`` (lists of text).
    """
    tables = []
    for key, layer in layers.items():
        names, headers = _columns(layer, data[key], x_label or "x", y_label or "y")
        count = len(data[key][names[0]]) if names else 0
        if not count:
            continue
        shown = (np.arange(count) if count <= max_rows
                 else np.unique(np.linspace(0, count - 1, max_rows).round().astype(int)))
        rows = [[_cell(data[key][name][i]) for name in names] for i in shown]
        what = layer.label or key.replace("_", " ")
        caption = (f"{what}: {count} row{'s' * (count > 1)}" if count <= max_rows
                   else f"{what}: {len(shown)} of {count} rows, evenly spaced")
        tables.append({"caption": caption, "columns": headers, "rows": rows})
    return tables


def _columns(layer, data, x_label, y_label):
    """(data column names, their headers) of a layer's table: what its own hover shows if it has one,
    else its glyph's columns named by the axes; columns that only style the glyph are left out."""
    if layer.tooltips:
        pairs = [(field.lstrip("@").split("{")[0], name) for name, field in layer.tooltips]
        return [n for n, _ in pairs], [h for _, h in pairs]
    styling = {value for value in layer.style.values() if isinstance(value, str)}
    headers = {"x": x_label, "y": y_label, "text": "label",
               "x0": f"{x_label}, from", "x1": f"{x_label}, to",
               "y0": f"{y_label}, from", "y1": f"{y_label}, to",
               "left": f"{x_label}, left", "right": f"{x_label}, right",
               "bottom": f"{y_label}, bottom", "top": f"{y_label}, top"}
    names = [name for name in data if name not in styling]
    return names, [headers.get(name, name) for name in names]


def _cell(value):
    """A table cell's text: numbers to 4 significant digits."""
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return f"{value:.4g}"
    return str(value)
