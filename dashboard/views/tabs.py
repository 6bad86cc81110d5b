"""The view tabs: an accessible tab bar, and views built when first opened, only the open one on the
page."""

from typing import ClassVar

import panel as pn
import param
from panel.custom import JSComponent

from dashboard.pages import asset_text


class TabBar(JSComponent):
    """A row of tabs with ARIA roles, keyboard operation and a visible focus (``assets/tabbar.js``).

    One Bokeh model for every tab (Panel's ``Tabs`` makes a model per tab and its panel).
    """

    active = param.Integer(default=0, bounds=(0, None), doc="Index of the selected tab.")
    keys = param.List(item_type=str, doc="A short key per tab (``data-key`` of its button).")
    titles = param.List(item_type=str, doc="The tabs' titles, in order.")
    label = param.String(default="Views", doc="Accessible name of the tab list.")

    _esm: ClassVar[str] = asset_text("tabbar.js")
    _stylesheets: ClassVar[list] = [asset_text("tabbar.css")]


def lazy_tabs(session, titles, builders):
    """A tab bar over ``titles`` (key -> title) above the open view, kept in step with ``session.view``.

    ``builders`` (key -> callable) make a view the first time its tab is shown. A view whose tab is
    hidden is taken off the page (its Python object and state are kept): its plots stop redrawing on
    every change, so a control costs only what the open view needs; when its tab is shown again its
    plots first catch up with the state.
    """
    keys = list(titles)
    bar = TabBar(keys=keys, titles=list(titles.values()), active=keys.index(session.view),
                 sizing_mode="stretch_width")
    holder = pn.Column(sizing_mode="stretch_width", css_classes=["fndam-view"])
    built = {}
    # The open view is built once the page has loaded: the shell reaches the browser first (a whole
    # class opening the page at once waits less for a first paint), a spinner stands in meanwhile.
    holder.objects = [pn.indicators.LoadingSpinner(value=True, size=40, label="Building the view…")]
    loaded = []

    def show(key):
        if key not in built:
            built[key] = builders[key]()
        for other, view in built.items():
            _set_showing(view, other == key)
        holder.objects = [built[key]]
        bar.active = keys.index(key)

    def on_view(event):
        if loaded:
            show(event.new)
        else:
            bar.active = keys.index(event.new)

    def first_show():
        loaded.append(True)
        show(session.view)

    bar.param.watch(lambda event: setattr(session, "view", keys[event.new]), "active")
    session.param.watch(on_view, "view")
    pn.state.onload(first_show)  # runs at once outside a server (tests, notebooks)
    return pn.Column(bar, holder, sizing_mode="stretch_width")


def _set_showing(view, showing):
    """Tell a view with plots whether it is on the page (see dashboard.views.layout.StateView.feed):
    a hidden view's plots wait, and catch up when it is shown again."""
    if "showing" in view.param:
        view.showing = showing
