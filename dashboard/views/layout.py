"""The skeleton every state view shares: a side column (controls, summary, CSV buttons) beside the
plots, all made from the view's state and its declared methods."""

import panel as pn
import param

from dashboard.views.controls import controls
from dashboard.views.download import csv_button
from dashboard.views.plotting import PROJECTOR_SCALE, dependencies, reactive

#: How the side column and the plots share a row (flex shorthands). The page's style sheet sets the
#: side column's width and whether it grows for each screen width (``--fndam-side-width``,
#: ``--fndam-side-grow`` in assets/style.css: CSS variables reach into Panel's shadow DOM); a plot takes
#: at least ``PLOT_MIN`` and the plots go below the side column where the two do not fit side by side.
SIDE_FLEX = "var(--fndam-side-grow, 0) 1 var(--fndam-side-width, 320px)"
PLOT_MIN = "420px"
#: Plots side by side (:func:`side_by_side`) each take at least this width, else they stack.
PAIR_MIN = "360px"


class StateView(pn.viewable.Viewer):
    """A view of one state part. Subclasses declare ``summary`` (Markdown text) with
    ``@param.depends`` and call :meth:`layout` with their plots and downloads."""

    state = param.ClassSelector(class_=param.Parameterized, constant=True,
                                doc="The state part this view shows and edits.")
    showing = param.Boolean(True, doc="Whether the view is on the page: a hidden view's plots are "
                                      "not redrawn (its tab redraws them when it is shown again).")
    display = param.ClassSelector(class_=param.Parameterized, default=None, allow_None=True,
                                  constant=True, doc="What holds the page's display mode (its "
                                                     "``projector`` flag: the session); None: normal.")

    def __init__(self, state, notice, **params):
        super().__init__(state=state, **params)
        self.notice = notice

    def summary(self):
        """Markdown text of the headline numbers (subclasses declare what it depends on)."""
        raise NotImplementedError

    def layout(self, plots, downloads, head=(), summary_first=False):
        """Set the view's layout: a side column (``head``, the state's controls and the bound summary,
        then a CSV button per ``(filename, make_csv, label)`` of ``downloads``) beside ``plots``."""
        summary = pn.pane.Markdown(reactive(self.summary), css_classes=["fndam-summary"])
        editors = controls(self.state, self.notice)
        side = [*head, *((summary, editors) if summary_first else (editors, summary)),
                *(csv_button(*download) for download in downloads)]
        # Side by side where the width allows, the plots below the side column on a narrow screen.
        self._layout = pn.FlexBox(pn.Column(*side, styles={"flex": SIDE_FLEX, "min-width": "0"}),
                                  pn.Column(*plots, sizing_mode="stretch_width",
                                            styles={"flex": f"1 1 {PLOT_MIN}", "min-width": "0"}),
                                  flex_wrap="wrap", sizing_mode="stretch_width")

    def feed(self, plot, method):
        """Draw ``method()`` (keyword arguments of :meth:`dashboard.views.plotting.Plot.update`) in
        ``plot`` now, and again whenever a parameter its ``@param.depends`` declares changes while the
        view is showing (or the view is shown again after a change)."""
        stale = []

        def draw(*_):
            if self.showing:
                plot.update(**method())
                stale.clear()
            else:
                stale.append(True)

        draw()
        self.scaled(plot)
        by_owner = {}
        for owner, name in dependencies(method):
            by_owner.setdefault(owner, []).append(name)
        for owner, names in by_owner.items():  # one call per owner: a preset's update draws once
            owner.param.watch(draw, names)
        self.param.watch(lambda event: event.new and stale and draw(), "showing")

    def scaled(self, plot):
        """Keep ``plot``'s type and lines at the display's size: normal, or
        :data:`dashboard.views.plotting.PROJECTOR_SCALE` times it in projector view."""
        if self.display is None:
            return

        def resize(*_):
            plot.scale(PROJECTOR_SCALE if self.display.projector else 1)

        if self.display.projector:
            resize()
        self.display.param.watch(resize, "projector")

    def __panel__(self):
        return self._layout


def side_by_side(*panes):
    """``panes`` (plots) in a row where each gets at least :data:`PAIR_MIN`, else one below another."""
    for pane in panes:
        pane.styles = {**pane.styles, "flex": f"1 1 {PAIR_MIN}", "min-width": "0"}
    return pn.FlexBox(*panes, flex_wrap="wrap", sizing_mode="stretch_width")
