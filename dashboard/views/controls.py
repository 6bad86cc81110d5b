"""Widgets generated from state parameters: label with unit, tooltip from the docstring, bounds.

Booleans get a checkbox, selectors a menu. Numbers get a box for typing an exact value and a
slider applied on release (so heavy work sees throttled values). Every user value goes through
:func:`dashboard.state.checks.try_set`: a rejected value shows the notice and the widgets return
to the last valid value.
"""

import panel as pn
import param

from dashboard.state.checks import try_set
from dashboard.views.plotting import batched


def control(obj, name, notice):
    """A widget (or slider + box) editing ``obj.<name>``, kept in step with the parameter."""
    p = obj.param[name]
    if isinstance(p, param.Boolean):
        # A checkbox has no built-in tooltip: a TooltipIcon beside it carries the definition.
        widgets = [pn.widgets.Checkbox(label=p.label, value=getattr(obj, name),
                                       css_classes=[f"check-{name}"])]
        events = ["value"]
    elif isinstance(p, param.Selector):
        widgets = [pn.widgets.Select(label=p.label, options=list(p.objects), value=getattr(obj, name),
                                     description=p.doc, sizing_mode="stretch_width")]
        events = ["value"]
    else:
        lo, hi = p.bounds
        # Sliders have no tooltip in Panel 1.9: the box carries label and definition, the slider sits below.
        widgets = [
            pn.widgets.FloatSlider(start=lo, end=hi, step=p.step, value=getattr(obj, name), show_value=False,
                                   sizing_mode="stretch_width", margin=(0, 10, 10, 10)),
            pn.widgets.FloatInput(label=f"{p.label} [{lo:g} to {hi:g}]", value=getattr(obj, name),
                                  step=p.step, description=p.doc, sizing_mode="stretch_width",
                                  css_classes=[f"box-{name}"]),
        ]
        events = ["value_throttled", "value"]

    def on_user_value(event):
        if event.new == getattr(obj, name):
            return  # our own reset of the widget, or no change: keep any notice showing
        with batched():
            message = try_set(obj, name, event.new)
        if message:
            notice.show(message)
            event.obj.value = getattr(obj, name)
        else:
            notice.clear()

    def on_param(event):
        for widget in widgets:
            widget.value = event.new

    for widget, event_name in zip(widgets, events, strict=True):
        widget.param.watch(on_user_value, event_name)
    obj.param.watch(on_param, name)
    if isinstance(p, param.Boolean):
        return pn.Row(widgets[0], pn.widgets.TooltipIcon(value=p.doc), sizing_mode="stretch_width")
    if len(widgets) == 2:
        return pn.Column(widgets[1], widgets[0], sizing_mode="stretch_width")
    return widgets[0]


def control_names(obj):
    """Names of ``obj``'s parameters a user sets, in declaration order.

    Every parameter is a control unless it opts out where it is declared: constant parameters (links
    to other state parts, counters the code sets) and a negative ``precedence``.
    """
    return [name for name, p in obj.param.objects("existing").items()
            if name != "name" and not p.constant and (p.precedence is None or p.precedence >= 0)]


def controls(obj, notice):
    """A column of :func:`control` widgets, one per :func:`control_names` of ``obj``."""
    return pn.Column(*(control(obj, n, notice) for n in control_names(obj)), sizing_mode="stretch_width")
