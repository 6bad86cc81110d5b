"""Controls generated from state parameters: label with unit and range, definition from the docstring,
bounds and step.

Numbers get a box for typing an exact value and a slider below it, applied on release (so heavy work
sees throttled values); booleans a checkbox; selectors a menu. All controls of one state object are one
browser component (``assets/controls.js``), whose ``values`` the browser and the server keep in step.
Every user value goes through :func:`dashboard.state.checks.try_set`: a rejected value shows the
notice and the controls return to the last valid value.
"""

from typing import ClassVar

import param
from panel.custom import JSComponent

from dashboard.pages import asset_text
from dashboard.state.checks import try_set
from dashboard.views.plotting import batched


class ControlPanel(JSComponent):
    """The controls of one state object in the browser (one Bokeh model for all of them)."""

    specs = param.List(item_type=dict, doc="One dict per control: name, kind (number, boolean or "
                                           "select), label, doc; a number's min, max, step, range; a "
                                           "menu's options.")
    values = param.Dict(default={}, doc="Parameter name -> the value its control shows.")
    highlight = param.List(default=[], item_type=str, doc="Names of the controls the guided tour "
                                                          "highlights (class fndam-highlight).")

    #: The state object whose parameters these are (set by :func:`controls`; the tour finds the
    #: controls of a parameter by it). Not a parameter: it stays on the server.
    edits = None

    _esm: ClassVar[str] = asset_text("controls.js")
    _stylesheets: ClassVar[list] = [asset_text("controls.css")]


def control_names(obj):
    """Names of ``obj``'s parameters a user sets, in declaration order.

    Every parameter is a control unless it opts out where it is declared: constant parameters (links
    to other state parts, counters the code sets) and a negative ``precedence``.
    """
    return [name for name, p in obj.param.objects("existing").items()
            if name != "name" and not p.constant and (p.precedence is None or p.precedence >= 0)]


def spec(obj, name):
    """What the browser needs to draw the control of ``obj.<name>``."""
    p = obj.param[name]
    base = {"name": name, "label": p.label, "doc": p.doc or ""}
    if isinstance(p, param.Boolean):
        return {**base, "kind": "boolean"}
    if isinstance(p, param.Selector):
        return {**base, "kind": "select", "options": [str(option) for option in p.objects]}
    lo, hi = p.bounds
    return {**base, "kind": "number", "min": lo, "max": hi, "step": p.step or (hi - lo) / 100,
            "range": f"{lo:g} to {hi:g}"}


def controls(obj, notice, names=None):
    """A :class:`ControlPanel` editing the parameters ``names`` of ``obj`` (default: every
    :func:`control_names` one), kept in step with it both ways."""
    names = control_names(obj) if names is None else names

    def shown():
        return {name: getattr(obj, name) for name in names}

    panel = ControlPanel(specs=[spec(obj, name) for name in names], values=shown(),
                         sizing_mode="stretch_width")
    panel.edits = obj

    def on_values(event):
        changed = {name: value for name, value in event.new.items() if value != getattr(obj, name)}
        if not changed:
            return  # our own update, or the same value typed again
        with batched():
            messages = [m for m in (try_set(obj, name, value) for name, value in changed.items()) if m]
        if messages:
            notice.show(*messages)
        else:
            notice.clear()
        panel.values = shown()  # a rejected value returns to the last valid one

    panel.param.watch(on_values, "values")
    obj.param.watch(lambda *_: setattr(panel, "values", shown()), names)
    return panel
