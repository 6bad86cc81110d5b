"""Helpers of the view tier: every view built into a Bokeh document on the server side, as Panel's own
pane tests do (``pn.panel(view).get_root(Document())``), driven through its widgets, and read back as
the summary text and the data of every ColumnDataSource. No browser, no server."""

import contextlib
import socket
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import panel as pn
import param
from bokeh.client import pull_session
from bokeh.document import Document
from bokeh.models import ColumnDataSource

from dashboard.serving import CHECK_SESSIONS_MS, UNUSED_SESSION_MS
from dashboard.state.session import SessionState
from dashboard.testing import free_port, wait_until
from dashboard.views.controls import ControlPanel


@contextlib.contextmanager
def served_page(app):
    """Serve ``app`` (a function returning the page) with Panel in this process, keeping sessions as
    the app's server does, and open one page of it as a Bokeh client; yields a function that closes the
    page (its connection) and returns once it is closed. The server stops on exit."""
    port = free_port()
    server = pn.serve({"page": app}, port=port, threaded=True, show=False, start=True, verbose=False,
                      check_unused_sessions_milliseconds=CHECK_SESSIONS_MS,
                      unused_session_lifetime_milliseconds=UNUSED_SESSION_MS)
    # The client runs its own event loop: in a thread of its own, free of any loop another test left
    # running in this one.
    browser = ThreadPoolExecutor(max_workers=1)
    try:
        wait_until(lambda: socket.socket().connect_ex(("localhost", port)) == 0, timeout=20_000)
        client = browser.submit(pull_session, url=f"http://localhost:{port}/page").result()
        yield lambda: browser.submit(client.close).result()
    finally:
        browser.shutdown()
        server.stop()


def render(view):
    """``(doc, root)``: the view's Bokeh model in a fresh document."""
    doc = Document()
    return doc, pn.panel(view).get_root(doc)


def _column(values):
    """A data column as a tuple of text: numbers to 9 significant digits (so NaN equals NaN)."""
    if len(values) and isinstance(values[0], (list, tuple, np.ndarray)):
        return tuple(_column(v) for v in values)  # a column of arrays (multi-lines, patches)
    array = np.asarray(values)
    text = np.char.mod("%.9g", array) if array.dtype.kind == "f" else array.astype(str)
    return tuple(text.ravel().tolist())


def plotted(*roots):
    """Snapshot of what ``roots`` plot: every ColumnDataSource's data (marker lines, bands and labels
    are glyphs with data too); sorted, so independent of model ids and the order Bokeh lists them in."""
    items = []
    for root in roots:
        for source in root.select({"type": ColumnDataSource}):
            items.append(tuple((key, _column(values)) for key, values in sorted(source.data.items())))
    return tuple(sorted(items))


def summary_pane(layout):
    """The Markdown pane with css class ``fndam-summary`` in ``layout``."""
    (pane,) = [p for p in layout.select(pn.pane.Markdown) if "fndam-summary" in p.css_classes]
    return pane


def summary_text(view):
    """The summary Markdown the view shows now."""
    return summary_pane(view._layout).object


def shown(view, root):
    """What the view shows: ``(summary text, plotted data)``."""
    return summary_text(view), plotted(root)


def edit_control(view, root, notice, name, value=None):
    """Enter a valid new value (default :func:`new_value`) in the view's control ``name``,
    check that it was accepted (the state follows, no notice), and return what the view showed before
    and after, as two :func:`shown` tuples."""
    before = shown(view, root)
    value = new_value(view.state, name) if value is None else value
    widget_for(view._layout, view.state, name).value = value
    assert getattr(view.state, name) == value
    assert notice.text == ""
    return before, shown(view, root)


class Control:
    """The control of one parameter in a :class:`dashboard.views.controls.ControlPanel`: reading its
    ``value`` gives what it shows; setting it sends a value as the browser does (a typed box, a released
    slider, a ticked checkbox or a picked option all send the panel's ``values`` with one entry
    changed)."""

    def __init__(self, panel, name):
        self.panel, self.name = panel, name

    @property
    def value(self):
        return self.panel.values[self.name]

    @value.setter
    def value(self, value):
        self.panel.values = {**self.panel.values, self.name: value}


def widget_for(layout, obj, name):
    """The :class:`Control` of ``obj.<name>`` in ``layout``."""
    for panel in layout.select(ControlPanel):
        if name in panel.values and obj.param[name].label in {s["label"] for s in panel.specs}:
            return Control(panel, name)
    raise LookupError(f"no control for {name!r}")


def control_values(layout):
    """Parameter name -> value shown, for every control in ``layout``."""
    return {name: value for panel in layout.select(ControlPanel) for name, value in panel.values.items()}


def new_value(obj, name):
    """A valid value of ``obj.<name>`` other than the current one: the other boolean, the next option,
    or a number a fifth of its range above (below, at the top) the current one."""
    p, value = obj.param[name], getattr(obj, name)
    if isinstance(p, param.Boolean):
        return not value
    if isinstance(p, param.Selector):
        return p.objects[(p.objects.index(value) + 1) % len(p.objects)]
    lo, hi = p.bounds
    step = 0.2 * (hi - lo)
    new = value + step if value + step <= hi else value - step
    return round(new) if isinstance(p, param.Integer) else round(new, 6)


def out_of_range(obj, name):
    """A number above ``obj.<name>``'s upper bound."""
    lo, hi = obj.param[name].bounds
    return hi + (hi - lo)


def number_names(obj):
    """Control names of ``obj``'s numbers (the controls a typed value can reject)."""
    from dashboard.views.controls import control_names
    return [n for n in control_names(obj) if isinstance(obj.param[n], param.Number)]


def csv_texts(view):
    """Filename -> CSV text of every download button of the view, as a click would produce it."""
    return {button.filename: button.callback().getvalue()
            for button in view._layout.select(pn.widgets.FileDownload)}


#: Device parameters the FN-DAM element does not take: it follows the plain FN law, whose default fit
#: already absorbs image-force lowering (docs/science.md section 2). Only the band and currents use them.
IMAGE_FORCE = ("image_force", "eps_r")


def preset_changes(preset, parts, ignored=()):
    """True when preset ``preset`` sets a parameter of one of ``parts`` (other than ``ignored`` names)
    to other than its default."""
    from dashboard.state.presets import PRESETS
    fresh = SessionState()
    return any(getattr(fresh.part(part), name) != value for part in parts
               for name, value in PRESETS[preset].get(part, {}).items() if name not in ignored)


def set_device(session, notice, name, value):
    """Set a shared device parameter through a sidebar-like control (the app's ``controls(device)``)."""
    from dashboard.views.controls import controls
    widget_for(controls(session.device, notice), session.device, name).value = value


def layer_renderers(figure, item):
    """The renderers of ``figure`` that draw the layer of legend entry ``item`` (the entry's own
    renderer may be an empty sample of the same name: dashboard.views.plotting.Plot._samples)."""
    from dashboard.views.plotting import SAMPLE
    names = {r.name for r in item.renderers}
    return [r for r in figure.renderers if r.name in names and SAMPLE not in r.tags]


def legend(*roots):
    """Label -> rows plotted, for every legend entry shown (an entry is hidden while its layer is empty)."""
    from bokeh.models import Plot
    return {item.label.value: sum(len(next(iter(r.data_source.data.values()), ()))
                                  for r in layer_renderers(figure, item))
            for root in roots for figure in root.select({"type": Plot}) for legend in figure.legend
            for item in legend.items if item.visible}


def rows(csv_text):
    """The CSV's header and data lines (its ``# note`` lines left out)."""
    return [line for line in csv_text.splitlines() if not line.startswith("#")]
