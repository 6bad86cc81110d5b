"""Shared plotting: a Bokeh figure drawn once from layers declared as data, then fed new data in place;
the colours every plot uses; the batching of a change that redraws several plots.

Why not HoloViews: rendering its overlays was ~75 % of the server time a new page cost and ~75 % of a
control change (a band diagram of eight layers: ~140 ms to render, ~40 ms per redraw; HoloViews
rebuilds each layer's data, ranges and styles every frame). A figure drawn once costs ~35 ms and a
redraw sets each layer's ``ColumnDataSource.data``, which is all Bokeh sends (benchmarks/bench_page.py).
Axes without fixed limits are fitted by the browser (Bokeh's ``DataRange1d``), not computed here.
"""

import math
import re
from dataclasses import dataclass, field

import panel as pn
import param
from bokeh.core.properties import value
from bokeh.core.property.vectorization import Field
from bokeh.models import (
    AllIndices,
    CDSView,
    ColumnDataSource,
    CustomJS,
    DataRange1d,
    GlyphRenderer,
    HoverTool,
    HSpan,
    Legend,
    LegendItem,
    Line,
    Quad,
    Range1d,
    Scatter,
    Segment,
    Text,
    UnionRenderers,
    VSpan,
    VStrip,
)
from bokeh.plotting import figure

from dashboard.pages import asset_text
from dashboard.views.plotframe import PlotFrame, data_tables

#: Okabe & Ito's colour-blind-safe palette (https://jfly.uni-koeln.de/color/), the members with at least
#: 3:1 contrast on white (yellow, orange and sky blue fall below), plus a grey for reference lines
#: (4.5:1). Curves of one plot also differ by dash or marker, so no reading depends on colour alone.
INK = {"black": "#000000", "blue": "#0072B2", "vermillion": "#D55E00", "green": "#009E73",
       "purple": "#CC79A7", "grey": "#707070"}
#: Light fills for shaded regions (drawn under the data, never the only cue: each is labelled).
FILL = {"grey": "#d9d9d9", "yellow": "#F0E442", "vermillion": "#D55E00", "blue": "#56B4E9"}

#: Glyph -> the data columns a layer of it takes, in the order a tuple of arrays gives them.
COLUMNS = {"line": ("x", "y"), "scatter": ("x", "y"), "text": ("x", "y", "text"),
           "vspan": ("x",), "hspan": ("y",), "vstrip": ("x0", "x1"),
           "quad": ("left", "right", "bottom", "top"), "segment": ("x0", "y0", "x1", "y1")}
#: Glyph -> its Bokeh model.
GLYPHS = {"line": Line, "scatter": Scatter, "text": Text, "vspan": VSpan, "hspan": HSpan, "vstrip": VStrip,
          "quad": Quad, "segment": Segment}
#: Glyphs whose data set the axes the browser fits (lines and strips across the whole plot do not).
FITTED = ("line", "scatter", "quad", "segment", "text")
#: Height of a plot's data area [px]; its title, axes and legend add what they take (Bokeh's
#: ``frame_height``), so a title broken into lines or a legend in more rows never squeezes the data.
FRAME_HEIGHT = 260
#: Type, lines and markers in projector view, relative to normal (issue 10: 2-3x, readable from the
#: back of a lecture hall); the plot grows by half as much, so type gains room without hiding data.
PROJECTOR_SCALE = 2.0
CSS_SIZE = re.compile(r"\d+(\.\d+)?(px|pt|em|rem)")  #: a size such as '13px' or '9pt'
#: Size properties a projector scales, per kind of model.
SIZES = {"figure": ("frame_height",), "text": ("text_font_size",),
         "axis": ("axis_label_text_font_size", "major_label_text_font_size"),
         "legend": ("label_text_font_size", "glyph_width", "glyph_height", "label_height"),
         "glyph": ("line_width", "size", "text_font_size")}
LEGEND_GAP = 16  #: space between legend columns [px] (Bokeh's spacing alone would make entries touch)
#: Tag of the renderers legend entries draw their samples from (:meth:`Plot._samples`).
SAMPLE = "legend sample"
#: The browser's part of :func:`fit_to_width` (a CustomJS body).
FIT_JS = asset_text("plot_fit.js")


@dataclass(frozen=True)
class Layer:
    """One glyph of a plot: its kind (a key of :data:`COLUMNS`), legend label ('' for none), Bokeh
    visual properties (``line_color``, ``line_dash``, ``size``, ``marker``, ``fill_alpha``...), and
    ``tooltips``: ``(name, "@column")`` pairs of a hover of its own (its data then carries the columns),
    else line and scatter layers share the plot's x-y hover."""

    glyph: str
    label: str = ""
    style: dict = field(default_factory=dict)
    tooltips: tuple = ()


def line(label, color, dash="solid", width=2.0, **style):
    """A line layer (round joins: with Bokeh's bevel joins Chromium draws specks along thick curves made
    of many short, nearly collinear segments, as a band profile or a log-spaced sweep)."""
    return Layer("line", label, {"line_color": color, "line_dash": dash, "line_width": width,
                                 "line_join": "round", **style})


def markers(label, color, marker="circle", size=9, **style):
    """A scatter layer of filled markers."""
    return Layer("scatter", label, {"fill_color": color, "line_color": color, "marker": marker,
                                    "size": size, **style})


class Plot:
    """A Bokeh figure of fixed layers, drawn once; :meth:`update` gives layers new data in place.

    Parameters
    ----------
    layers : dict
        Key -> :class:`Layer`, in drawing order; a layer's key names its data in :meth:`update`.
    title, x_label, y_label : str
        Title and axis labels (units in parentheses).
    x_log, y_log : bool
        Logarithmic axes.
    x_range, y_range : tuple or None
        Fixed axis limits; None lets the browser fit the axis to the fitted layers' data. A ``None``
        inside the tuple fits only that end.
    legend_columns : int
        Columns of the legend, drawn below the plot so it never covers data.
    describe : callable or None
        ``describe(data)`` -> one sentence of what the plot shows, given :meth:`data`; said below the
        plot and read out by screen readers after each change (:mod:`dashboard.views.plotframe`).
    """

    def __init__(self, layers, title, x_label, y_label, x_log=False, y_log=False, x_range=None,
                 y_range=None, legend_columns=1, describe=None):
        self.figure = figure(
            title=title, x_axis_label=x_label, y_axis_label=y_label,
            x_axis_type="log" if x_log else "linear", y_axis_type="log" if y_log else "linear",
            frame_height=FRAME_HEIGHT, sizing_mode="stretch_width",
            tools="box_zoom,reset,save", active_drag="box_zoom",
            # A plain canvas: WebGL is rendered in software by a browser without GPU acceleration
            # (headless Chromium, many lab PCs, remote desktops) and copied on every repaint.
            output_backend="canvas")
        self.figure.toolbar.logo = None
        self.layers = layers
        self._policy, self._everything = UnionRenderers(), AllIndices()
        self.sources, renderers = {}, {}
        for key, layer in layers.items():
            self.sources[key] = self._source({name: [] for name in COLUMNS[layer.glyph]})
            # The glyph model alone: bokeh.plotting's glyph methods also make a selection, a
            # non-selection and a muted copy of each (half of a plot's build time); no tool here
            # selects or mutes.
            fields = {name: name for name in COLUMNS[layer.glyph]}
            glyph = GLYPHS[layer.glyph](**fields, **layer.style)
            renderers[key] = self.figure.add_glyph(self.sources[key], glyph, name=key, view=self._view())
        self._entries = {key: LegendItem(label=layers[key].label, renderers=[sample], visible=False)
                         for key, sample in self._samples(renderers).items()}
        fitted = [renderers[k] for k, layer in layers.items() if layer.glyph in FITTED]
        self.figure.x_range = _range(x_range, fitted)
        self.figure.y_range = _range(y_range, fitted)
        self.hover = HoverTool(renderers=[renderers[k] for k, layer in layers.items()
                                          if layer.glyph in ("line", "scatter") and not layer.tooltips],
                               tooltips=[(x_label, "@x{0.000g}"), (y_label, "@y{0.000g}")])
        self.figure.add_tools(self.hover, *(HoverTool(renderers=[renderers[k]], tooltips=list(layer.tooltips))
                                            for k, layer in layers.items() if layer.tooltips))
        self.legend = Legend(items=list(self._entries.values()), ncols=legend_columns, location="top_left",
                             label_text_font_size="9pt", spacing=2, padding=4, margin=4,
                             stylesheets=[f".bk-grid {{ column-gap: {LEGEND_GAP}px; }}"])
        self.figure.add_layout(self.legend, "below")
        fit_to_width(self.figure, self.legend, legend_columns)
        self.renderers = renderers
        self.describe = describe
        self.pane = PlotFrame(plot=pn.pane.Bokeh(self.figure, sizing_mode="stretch_width"), label=title,
                              sizing_mode="stretch_width")
        self.pane.param.watch(lambda _: self._follow(), "table_open")
        self._normal = None  # sizes at scale 1, read when first scaled (views may restyle before)
        self._in_plot = {(r.glyph, "text_font_size") for r in renderers.values()} | {
            (axis, "axis_label_text_font_size") for axis in (*self.figure.xaxis, *self.figure.yaxis)}

    def _source(self, data):
        """A data source for ``data`` sharing the plot's selection policy: Bokeh makes one model per
        source by default; it holds no state, so one serves them all (fewer models for each page to
        build, index and send)."""
        return ColumnDataSource(data, selection_policy=self._policy)

    def _view(self):
        """A renderer's view of all of its source's rows, sharing the plot's filter as
        :meth:`_source` shares the policy (a view itself keeps the indices of its renderer's source)."""
        return CDSView(filter=self._everything)

    def _samples(self, renderers):
        """Key of each labelled layer -> the renderer its legend entry draws its sample from.

        BokehJS rebuilds every entry of a legend (a canvas each) whenever any model the entries refer
        to changes; an entry naming its layer's renderer, whose data changes on every update, was
        rebuilt on every redraw (~5 ms of the band plot's, and on every frame of a stream). So an entry
        names a renderer of the same glyph model (it looks the same and scales with it) at one point
        that is not a number (BokehJS draws no sample for a renderer without data; nothing shows in
        the plot), named as the layer and tagged :data:`SAMPLE`; a plot's samples share one source. A
        layer styled by its data (a colour or marker column) keeps its own: its sample shows the data.
        """
        labelled = {key: r for key, r in renderers.items() if self.layers[key].label}
        plain = [key for key, r in labelled.items()
                 if not _styled_by_data(r.glyph, COLUMNS[self.layers[key].glyph])]
        columns = {name for key in plain for name in COLUMNS[self.layers[key].glyph]}
        nowhere, view = self._source({c: [""] if c == "text" else [math.nan] for c in columns}), self._view()
        samples = {key: GlyphRenderer(data_source=nowhere, view=view, glyph=labelled[key].glyph, name=key,
                                      tags=[SAMPLE]) for key in plain}
        self.figure.renderers += list(samples.values())
        return {**labelled, **samples}

    def scale(self, factor):
        """Draw type, lines and markers ``factor`` times their normal size (1 is normal), the plot's
        data area ``(1 + factor) / 2`` times its normal height."""
        if self._normal is None:
            self._normal = self._sizes()
        for (model, name), size in self._normal.items():
            # Labels drawn in the plot (region names) must still fit their regions, and axis labels
            # the plot's sides: they grow less.
            grow = (1 + factor) / 2 if name == "frame_height" or (model, name) in self._in_plot else factor
            setattr(model, name, _times(size, grow))

    def _sizes(self):
        """(model, property) -> size at scale 1, for every size :data:`SIZES` names that is set."""
        models = {"figure": [self.figure], "text": [self.figure.title], "legend": [self.legend],
                  "axis": [*self.figure.xaxis, *self.figure.yaxis],
                  "glyph": [r.glyph for r in self.renderers.values()]}
        return {(model, name): getattr(model, name) for kind, names in SIZES.items()
                for model in models[kind] for name in names
                if name in model.properties() and _is_size(getattr(model, name))}

    def update(self, layers, title=None, x_range=None, y_range=None, labels=None, x_label=None,
               y_label=None):
        """Give the layers in ``layers`` (key -> tuple of columns in :data:`COLUMNS` order, or a dict
        with extra columns for hover) new data; optionally a new title, fixed axis limits, legend
        labels (key -> text) and axis labels (the hover's names follow them)."""
        for key, data in layers.items():
            columns = COLUMNS[self.layers[key].glyph]
            self.sources[key].data = dict(zip(columns, data, strict=True)) if isinstance(data, tuple) \
                else dict(data)
        # The browser breaks long titles into lines (fit_to_width) and tells the server: the same
        # title again is no change.
        if title is not None and title != self.figure.title.text.replace("\n", " "):
            self.figure.title.text = title
        for axis_range, limits in ((self.figure.x_range, x_range), (self.figure.y_range, y_range)):
            if limits is not None:
                axis_range.start, axis_range.end = limits
        for key, text in (labels or {}).items():
            self._entries[key].label = value(text)  # a bare string would name a data column
        for index, (axis, text) in enumerate(((self.figure.xaxis, x_label), (self.figure.yaxis, y_label))):
            if text is not None:
                axis.axis_label = text
                tips = list(self.hover.tooltips)
                tips[index] = (text, tips[index][1])
                self.hover.tooltips = tips
        self._show_legend_items()
        self._follow()

    def append(self, layers):
        """Add points (key -> (x, y) arrays) to the ends of line or scatter layers: only they are sent."""
        for key, (x, y) in layers.items():
            if len(x):
                self.sources[key].stream({"x": x, "y": y})
        self._show_legend_items()
        self._follow()

    def data(self):
        """Layer key -> its data as drawn now (column name -> values)."""
        return {key: source.data for key, source in self.sources.items()}

    def _follow(self):
        """Make the plot's frame say what the plot shows now: its title, the describe sentence, and its
        data tables while the reader has them open (else none are built)."""
        frame = self.pane
        frame.label = self.figure.title.text.replace("\n", " ")  # broken into lines by the browser
        if self.describe is not None:
            frame.text = self.describe(self.data())
        frame.tables = data_tables(self.layers, self.data(), self.figure.xaxis[0].axis_label,
                                   self.figure.yaxis[0].axis_label) if frame.table_open else []

    def _show_legend_items(self):
        """A legend entry shows only while its layer has data: layers stay fixed (so a change only
        sends data), and a layer switched off (the exact curve, a turning point that does not exist)
        is drawn with none."""
        for key, item in self._entries.items():
            item.visible = bool(len(next(iter(self.sources[key].data.values()))))


def fit_to_width(plot, legend, columns):
    """Keep the title and legend of figure ``plot`` within its data area's width, in the browser, the only
    place that knows the width (``assets/plot_fit.js``): the title broken into lines at spaces, the
    legend in as many columns, up to ``columns``, as fit (one on a phone, two on a wide screen). Runs
    when the plot is laid out or resized, and when the title, the type size or a legend entry changes."""
    fit = CustomJS(args={"plot_id": plot.id, "legend": legend, "columns": columns, "gap": LEGEND_GAP},
                   code=FIT_JS)
    plot.js_on_change("inner_width", fit)
    plot.title.js_on_change("text", fit)
    plot.title.js_on_change("text_font_size", fit)
    legend.js_on_change("label_text_font_size", fit)
    for item in legend.items:
        item.js_on_change("visible", fit)
        item.js_on_change("label", fit)


def _is_size(size):
    """True for a number or CSS text such as '13px' (not 'auto', a field name or an unset value)."""
    return (isinstance(size, (int, float)) and not isinstance(size, bool)) or (
        isinstance(size, str) and CSS_SIZE.fullmatch(size) is not None)


def _times(size, factor):
    """``size`` (a number, or CSS text such as '13px' or '9pt') times ``factor``."""
    if isinstance(size, str):
        number = size.rstrip("abcdefghijklmnopqrstuvwxyz%")
        return f"{float(number) * factor:g}{size[len(number):]}"
    return round(size * factor) if isinstance(size, int) else size * factor


def _styled_by_data(glyph, columns):
    """True if a property of ``glyph`` other than its data ``columns`` (a colour, a marker, a size)
    reads a data column."""
    return any(isinstance(spec.to_serializable(glyph, name, getattr(glyph, name)), Field)
               for name, spec in glyph.dataspecs().items() if name not in columns)


def _range(limits, renderers):
    """A fixed ``Range1d`` for ``(start, end)``, else a ``DataRange1d`` the browser fits to ``renderers``
    (with the given end, if one of the two is None)."""
    if limits is not None and None not in limits:
        return Range1d(*limits)
    fit = DataRange1d(renderers=renderers, range_padding=0.05)
    start, end = limits or (None, None)
    if start is not None:
        fit.start = start
    if end is not None:
        fit.end = end
    return fit


def batched():
    """Context for a change that redraws several plots: one batch of Bokeh events at the end.

    Panel's ``hold`` combines the events into one message. The model graph is not frozen: a change
    adds or removes no model (plots get new data in place), and a frozen document recomputes every
    model's references at exit. A no-op outside a server.
    """
    return pn.io.hold()


def reactive(method):
    """``method`` as a function bound to every parameter its ``@param.depends`` declares.

    Dependencies are declared once, on the method (``"state.param"``, ``"state.device.param"``).
    Param 2.4 expands such ``obj.param`` wildcards for watchers (``method_dependencies``) but not when
    a method is handed to a Panel pane as a reference (``resolve_ref`` raises KeyError 'param'), so the
    expanded parameters are bound here and Panel accepts the result.
    """
    return param.bind(lambda *_: method(), *(owner.param[name] for owner, name in dependencies(method)))


def dependencies(method):
    """``(object, parameter name)`` of every parameter a method's ``@param.depends`` declares, with
    ``obj.param`` wildcards expanded."""
    return [(dep.inst, dep.name) for dep in method.__self__.param.method_dependencies(method.__name__)
            if dep.what == "value" and dep.name != "name"]
