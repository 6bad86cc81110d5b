"""Tabs that build each view only when it is first opened and keep only the open view on the page."""

import panel as pn


def lazy_tabs(session, titles, builders):
    """Tabs over ``titles`` (key -> title) kept in step with ``session.view``.

    ``builders`` (key -> callable) make a view the first time its tab is shown. A view whose tab is
    hidden is taken off the page (its Python object and state are kept): its plots stop redrawing on
    every change, so a control costs only what the open view needs; when its tab is shown again its
    plots first catch up with the state. (Panel's ``dynamic`` tabs are not used: updating a pane they
    have detached makes Panel point shared stylesheets at its CDN, a request off the server.)
    """
    keys = list(titles)
    holders = {key: pn.Column(sizing_mode="stretch_width") for key in keys}
    built = {}
    tabs = pn.Tabs(*((titles[k], holders[k]) for k in keys), active=keys.index(session.view),
                   sizing_mode="stretch_width")
    # The open view is built once the page has loaded: the shell reaches the browser first (a whole
    # class opening the page at once waits less for a first paint), a spinner stands in meanwhile.
    spinner = pn.indicators.LoadingSpinner(value=True, size=40, label="Building the view…")
    loaded = []

    def show(key):
        if key not in built:
            built[key] = builders[key]()
        for other, view in built.items():
            _set_showing(view, other == key)
        for other in keys:
            holders[other].objects = [built[key]] if other == key else []
        tabs.active = keys.index(key)

    def on_view(event):
        if loaded:
            show(event.new)
            return
        holders[event.old].objects, holders[event.new].objects = [], [spinner]
        tabs.active = keys.index(event.new)

    def first_show():
        loaded.append(True)
        show(session.view)

    holders[session.view].objects = [spinner]
    tabs.param.watch(lambda event: setattr(session, "view", keys[event.new]), "active")
    session.param.watch(on_view, "view")
    pn.state.onload(first_show)  # runs at once outside a server (tests, notebooks)
    return tabs


def _set_showing(view, showing):
    """Tell a view with plots whether it is on the page (see dashboard.views.layout.StateView.feed):
    a hidden view's plots wait, and catch up when it is shown again."""
    if "showing" in view.param:
        view.showing = showing
