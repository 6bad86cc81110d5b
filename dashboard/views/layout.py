"""The skeleton every state view shares: a side column (controls, summary, CSV buttons) beside the
plots, all made from the view's state and its declared methods."""

import panel as pn
import param

from dashboard.views.controls import controls
from dashboard.views.download import csv_button
from dashboard.views.plotting import reactive

SIDE_WIDTH = 320  #: width of the side column [px]


class StateView(pn.viewable.Viewer):
    """A view of one state part. Subclasses declare ``summary`` (Markdown text) with
    ``@param.depends`` and call :meth:`layout` with their plots and downloads."""

    state = param.ClassSelector(class_=param.Parameterized, constant=True,
                                doc="The state part this view shows and edits.")

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
        self._layout = pn.Row(pn.Column(*side, width=SIDE_WIDTH),
                              pn.Column(*plots, sizing_mode="stretch_width"), sizing_mode="stretch_width")

    def __panel__(self):
        return self._layout
