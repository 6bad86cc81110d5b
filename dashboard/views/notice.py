"""The page's notice: one visible line saying why a typed value or URL parameter was not applied."""

import panel as pn


class Notice(pn.viewable.Viewer):
    """A warning shown in the sidebar until the next valid change or until dismissed."""

    def __init__(self, **params):
        super().__init__(**params)
        self._alert = pn.pane.Alert("", alert_type="warning", visible=False, css_classes=["fndam-notice"],
                                    sizing_mode="stretch_width")

    def show(self, *messages):
        """Show ``messages`` (one line each); nothing happens when there are none."""
        if messages:
            self._alert.param.update(object="\n\n".join(messages), visible=True)

    def clear(self):
        """Hide and empty the notice."""
        self._alert.param.update(object="", visible=False)

    @property
    def text(self):
        """The text shown ('' when hidden)."""
        return self._alert.object

    def __panel__(self):
        return self._alert
