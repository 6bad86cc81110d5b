"""The page around the views: our own Jinja template (``assets/app.html``) with Panel roots in it.

Our own template rather than one of Panel's: it has the h1 and landmarks (header, main, complementary)
a screen reader needs, lays out from phone to wall with CSS alone (``assets/style.css``), pulls no web
font, and costs a new page less server time. Panel's ``BootstrapTemplate`` adds a header, modal, busy
indicator and a document root per item; its generic ``Template`` compiles its Jinja source for every
page (~3 ms) and recomputes a text repr of every panel it holds on each ``add_panel`` (~10 ms a page).
"""

from typing import ClassVar

import panel as pn
import param
from panel.custom import JSComponent
from panel.io.resources import _env  # the Jinja environment Panel renders templates with
from panel.template.base import BaseTemplate

from dashboard.pages import asset_text
from dashboard.serving import TITLE

#: Compiled once per process (every page shares it; a page only fills in its roots).
TEMPLATE = _env.from_string(asset_text("app.html"))


class Page(BaseTemplate):
    """A served page of named roots (``main``, ``sidebar``...; see ``assets/app.html``).

    Parameters
    ----------
    roots : dict
        Name -> Panel object embedded where the template says ``embed(roots.<name>)`` (kept as
        ``roots``, with the notification area when served).
    css : str
        The app's style sheet, inlined in the page's head.
    """

    def __init__(self, roots, css):
        super().__init__(template=TEMPLATE, location=True)
        # Served, the notification area says when the server is lost (pn.extension's disconnect text).
        notifications = pn.state.notifications if pn.state.curdoc is not None else None
        if notifications is not None:
            roots = {**roots, "notifications": notifications}
        self.roots = {name: pn.panel(root) for name, root in roots.items()}
        self._render_items.update({name: (root, []) for name, root in self.roots.items()})
        self._render_variables.update(app_title=TITLE, app_css=css, notifications=notifications is not None)

    def _init_doc(self, doc=None, comm=None, title=None, notebook=False, location=True):
        """Add the page's roots to ``doc`` (the session's by default) with its index of models rebuilt
        once at the end: Bokeh rebuilds it, walking every model, each time a root is added (nine times for
        a page's seven roots: ~30 % of the server's time to build a page, 0.185 -> 0.133 s in-process)."""
        from bokeh.io import curdoc

        doc = doc or pn.state.curdoc or curdoc()
        with doc.models.freeze():
            return super()._init_doc(doc, comm, title, notebook, location)

    def _build_layout(self):
        """No notebook preview (a text repr and a 'Launch server' button): a page is only served."""
        return pn.Column()


class PageMode(JSComponent):
    """The display mode as a class on the page's ``<html>`` element: ``fndam-projector`` in projector
    view, which assets/style.css enlarges (CSS custom properties and inherited type reach into every
    component's shadow DOM; plots, drawn on a canvas, scale on the server: Plot.scale)."""

    projector = param.Boolean(default=False, doc="Projector view is on.")

    _esm: ClassVar[str] = """
export function render({ model }) {
  const apply = () => document.documentElement.classList.toggle("fndam-projector", model.projector)
  apply()
  model.on("projector", apply)
}
"""


def page_mode(session):
    """A :class:`PageMode` following ``session.projector``."""
    mode = PageMode(projector=session.projector, width=0, height=0, margin=0)
    session.param.watch(lambda event: setattr(mode, "projector", event.new), "projector")
    return mode
