"""Tabs that build each view only when it is first opened (the page loads just the visible one)."""

import panel as pn


def lazy_tabs(session, titles, builders):
    """Tabs over ``titles`` (key -> title) kept in step with ``session.view``; ``builders`` (key ->
    callable) make a view the first time its tab is shown.

    The tabs are not ``dynamic``: Panel detaches hidden dynamic tabs from the document, and updating a
    detached pane makes Panel point shared stylesheets at its CDN (a request off the server).
    Laziness comes from the empty placeholder each tab holds until it is first opened.
    """
    keys = list(titles)
    holders = {key: pn.Column(sizing_mode="stretch_width") for key in keys}
    tabs = pn.Tabs(*((titles[k], holders[k]) for k in keys), active=keys.index(session.view),
                   sizing_mode="stretch_width")

    def show(key):
        if not holders[key].objects:
            holders[key].objects = [builders[key]()]
        tabs.active = keys.index(key)

    show(session.view)
    tabs.param.watch(lambda event: setattr(session, "view", keys[event.new]), "active")
    session.param.watch(lambda event: show(event.new), "view")
    return tabs
