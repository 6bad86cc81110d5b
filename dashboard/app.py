"""The FN-DAM Explorer page: one fresh app per browser session.

Serve with ``fndam-explorer serve`` (see :mod:`dashboard.cli`) or ``panel serve dashboard/app.py``.
Nothing mutable is shared between sessions: :func:`create_app` builds a new SessionState, widgets and
plots each time; only pure physics results are cached (:mod:`dashboard.state.current`).
"""

from urllib.parse import urlencode

import panel as pn

from dashboard.pages import asset_text
from dashboard.state.classroom import URL_KEYS as LIVE_KEYS
from dashboard.state.classroom import LiveClass
from dashboard.state.presets import PRESETS
from dashboard.state.session import PARTS, URL_KEYS, VIEWS, SessionState
from dashboard.state.tour import URL_KEYS as TOUR_KEYS
from dashboard.state.tour import TourState
from dashboard.views.about import AboutView
from dashboard.views.band import BandView
from dashboard.views.classroom import ClassroomView
from dashboard.views.controls import controls
from dashboard.views.current import CurrentView
from dashboard.views.energy import EnergyView
from dashboard.views.exercises import ExercisesView
from dashboard.views.learning import LearningView
from dashboard.views.leaving import release_when_left, served_doc
from dashboard.views.memory import MemoryView
from dashboard.views.notice import Notice
from dashboard.views.page import Page, page_mode
from dashboard.views.plotting import batched
from dashboard.views.tabs import lazy_tabs
from dashboard.views.tour import TourView

# KaTeX for the About view's equations: Panel bundles it and the server serves it (no CDN).
# When the page loses its server (a worker restarted, the network dropped) it says what to do: the URL
# holds every setting, so a reload (which the proxy sends to a live worker) brings the same view back.
pn.extension("katex", disconnect_notification="Connection to the server lost. Reload the page: your "
                                              "settings are in its address and come back with it.")

NO_PRESET = "Choose a preset…"


def stylesheet():
    """The app's CSS from the installed ``assets`` package."""
    return asset_text("style.css")


#: How long the page's URL waits for the state to settle before it is rewritten [ms]: a dragged slider
#: or a playing discharge leaves one entry in the browser's history, not one per value, and a rewrite
#: (the browser's ``history.pushState``) is not part of the redraw a change asks for.
URL_SETTLE_MS = 300


def sync_url(session, notice, tour, live):
    """Apply the page URL's query to ``session``, then to ``tour`` and ``live`` (notice for each bad
    value; a step's settings win over the session's keys), then keep the URL in step.

    Syncing starts once the page has loaded, with the URL rewritten to the valid state: bad values
    leave it, a copied link reproduces what is shown, and tests can wait for the rewrite. After that,
    the URL is rewritten :data:`URL_SETTLE_MS` after the last change of a parameter it holds.
    """
    location = pn.state.location
    if location is None:
        return
    query = location.query_params
    own = {**TOUR_KEYS, **LIVE_KEYS}  # the tour's and the live class's keys, not the session's
    notice.show(*session.apply_query({k: v for k, v in query.items() if k not in own}),
                *tour.apply_query(query), *live.apply_query(query))

    def write():
        location.search = "?" + urlencode({**session.query(), **tour.query(), **live.query()})

    def start_sync():
        write()
        later = settled(write, URL_SETTLE_MS)
        for part in (*PARTS, "session"):
            session.part(part).param.watch(later, [name for p, name in URL_KEYS.values() if p == part])
        tour.param.watch(later, [name for _, name in TOUR_KEYS.values()])

    pn.state.onload(start_sync)


def settled(action, wait_ms):
    """A callback (taking any arguments) that runs ``action()`` once ``wait_ms`` have passed without
    another call, in the current page's session; at once outside a served session (tests)."""
    doc = served_doc()
    if doc is None:
        return lambda *_: action()
    pending = []

    def run():
        pending.clear()
        action()

    def call(*_):
        if pending:
            doc.remove_timeout_callback(pending.pop())
        pending.append(doc.add_timeout_callback(run, wait_ms))

    return call


def preset_controls(session, notice):
    """Preset menu and reset button; both reset every view's parameters first."""
    menu = pn.widgets.Select(label="Preset", options=[NO_PRESET, *PRESETS], value=NO_PRESET,
                             sizing_mode="stretch_width",  # Panel's 300 px would overflow a narrow sidebar
                             description="Load a named set of values; every other control returns to "
                                         "its default. Illustrative values are assumptions.")
    reset = pn.widgets.Button(label="Reset to defaults", color="default")

    def on_preset(event):
        if event.new != NO_PRESET:
            with batched():
                session.apply_preset(event.new)
            notice.clear()

    def on_reset(_):
        with batched():
            session.reset()
        menu.value = NO_PRESET
        notice.clear()

    menu.param.watch(on_preset, "value")
    reset.on_click(on_reset)
    return pn.Column(menu, reset, sizing_mode="stretch_width")


def create_app():
    """A new page with its own state: sidebar (presets, notice, shared operating point) and view tabs."""
    session = SessionState()
    notice = Notice()
    release_when_left()
    builders = {
        "band": lambda: BandView(session.band, notice, display=session),
        "current": lambda: CurrentView(session.current, notice, display=session),
        "memory": lambda: MemoryView(session.memory, notice, display=session),
        "learning": lambda: LearningView(session.learning, notice, display=session),
        "energy": lambda: EnergyView(session.energy, notice, display=session),
        "exercises": lambda: ExercisesView(session, notice),
        "about": AboutView,
    }
    tabs = lazy_tabs(session, VIEWS, builders)
    # After the tabs: their onload (build the open view) runs before the URL sync's, so a page whose
    # URL has been rewritten already shows its view.
    tour = TourState(session)
    live = LiveClass(session)  # joins the class the URL names: its step wins over the URL's settings
    sync_url(session, notice, tour, live)
    lecture = ClassroomView(live)
    sidebar = pn.Column(
        preset_controls(session, notice),
        notice,
        pn.pane.Markdown("Operating point (shared by the band, current and memory views)",
                         css_classes=["fndam-sidebar-heading"]),
        controls(session.device, notice),
        sizing_mode="stretch_width",
    )
    # After the tabs and the sidebar: it highlights the controls they hold once the open view is built.
    guide = TourView(tour, places=(tabs, sidebar))
    tools = pn.Row(guide.start, lecture.start, controls(session, notice, names=["projector"]),
                   page_mode(session), css_classes=["fndam-tools"])
    return Page({"main": tabs, "sidebar": sidebar, "tools": tools, "tour": guide, "live": lecture},
                stylesheet())


if __name__.startswith("bokeh"):
    create_app().servable()
