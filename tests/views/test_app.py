"""The whole page from create_app(), without a browser: sidebar device controls, presets menu, reset
button, lazy tabs, and the URL query reproducing every view. (Session-level URL parsing is
tests/test_state_session.py's.)"""

import panel as pn
import pytest

import dashboard.app as app
from dashboard.state.device import OperatingPoint
from dashboard.state.presets import PRESETS
from dashboard.state.session import PARTS, VIEWS, SessionState
from dashboard.testing import wait_until
from dashboard.views.band import BandView
from dashboard.views.controls import control_names
from dashboard.views.notice import Notice
from dashboard.views.plotting import PROJECTOR_SCALE
from dashboard.views.tabs import lazy_tabs

from .helpers import (
    IMAGE_FORCE,
    control_values,
    new_value,
    out_of_range,
    plotted,
    preset_changes,
    render,
    served_page,
    summary_pane,
    widget_for,
)

#: View -> (state parts its summary reads, parameters it ignores), as the view tests establish: the band
#: summary gives the current now, which every device parameter sets; the energy summary uses the
#: published FN-DAM energy unless told otherwise; the memory element is plain FN (no image force); the
#: learning run is made of the session's element and priced on the energy view's basis.
SUMMARY_READS = {"band": (("device", "band"), set()),
                 "current": (("device", "current"), set()),
                 "memory": (("device", "memory"), set(IMAGE_FORCE)),
                 "learning": (("learning", "device", "memory", "energy"),
                              {*IMAGE_FORCE, "voltage_step", "retention_loss_mV", "leakage_e_per_hour",
                               "log10_params", "log10_samples", "log10_batch", "e_flop", "update_traffic",
                               "fndam_source", "log10_start_age", "log10_step_seconds", "hold_pW_per_bit",
                               "train_days", "adc_bits"}),
                 "energy": (("energy",), set())}


class Page:
    """create_app()'s page with the session it made, its tab bar and view holder, sidebar and the views
    built so far."""

    def __init__(self, monkeypatch):
        sessions = []
        monkeypatch.setattr(app, "SessionState", lambda: sessions.append(SessionState()) or sessions[-1])
        self.template = app.create_app()
        (self.session,) = sessions
        self.tabs = self.template.roots["main"]
        self.bar, self.holder = self.tabs.objects
        self.sidebar = self.template.roots["sidebar"]
        (self.menu,) = self.sidebar.select(pn.widgets.Select)[:1]
        (self.reset,) = [b for b in self.sidebar.select(pn.widgets.Button) if b.name == "Reset to defaults"]
        (self.notice,) = [a for a in self.sidebar.select(pn.pane.Alert) if "fndam-notice" in a.css_classes]

    def layout(self, key):
        """The layout of view ``key``, opening its tab."""
        self.bar.active = list(VIEWS).index(key)
        (layout,) = self.holder.objects
        return layout

    def build_all(self):
        """Open every tab (building its view), then the band's again; keep every view's layout."""
        self.layouts = {key: self.layout(key) for key in VIEWS}
        self.layout("band")

    def summaries(self):
        """Every built view's summary, read without switching tabs."""
        return {key: summary_pane(self.layouts[key]).object for key in SUMMARY_READS}

    def box(self, name):
        """The sidebar's box (a number) or checkbox (a boolean) of device parameter ``name``."""
        return widget_for(self.sidebar, self.session.device, name)


@pytest.fixture
def page(monkeypatch):
    return Page(monkeypatch)


def test_sidebar_has_one_control_per_device_parameter_and_each_moves_the_open_view(page):
    assert set(control_values(page.sidebar)) == set(control_names(OperatingPoint))
    assert page.session.view == "band"
    _, root = render(page.tabs)
    for name in control_names(OperatingPoint):
        before = plotted(root), summary_pane(page.layout("current")).object
        page.box(name).value = new_value(page.session.device, name)
        assert getattr(page.session.device, name) == page.box(name).value
        after = plotted(root), summary_pane(page.layout("current")).object
        # The current view depends on every device parameter (eps_r once image_force, declared
        # before it, has been switched on).
        assert after[0] != before[0]
        assert after[1] != before[1]


def test_presets_menu_changes_every_view_it_touches_and_reset_restores(page):
    page.build_all()
    initial = page.summaries()
    _, root = render(page.tabs)
    band_data = plotted(root)
    page.box("oxide_voltage").value = out_of_range(page.session.device, "oxide_voltage")
    assert page.notice.visible
    for preset in PRESETS:
        page.menu.value = preset
        assert not page.notice.visible  # a preset clears the notice
        opened = PRESETS[preset].get("session", {}).get("view", "band")
        assert page.session.view == opened
        assert list(VIEWS)[page.bar.active] == opened
        now = page.summaries()
        for key, (parts, ignored) in SUMMARY_READS.items():
            assert (now[key] != initial[key]) is preset_changes(preset, parts, ignored), (preset, key)
        if opened == "band":  # the band stayed open: its plots follow (a hidden view's: see below)
            changes = preset_changes(preset, ("device", "band"), {"mass_ratio", "temperature_K"})
            assert (plotted(root) != band_data) is changes
        page.reset.clicks += 1
        assert page.menu.value == app.NO_PRESET
        assert page.summaries() == initial
        page.layout("band")
        assert plotted(root) == band_data


def test_a_view_shown_again_draws_the_changes_made_while_hidden(page):
    page.layout("band")
    _, root = render(page.tabs)
    page.layout("current")
    page.box("oxide_voltage").value = 12.8  # changed while the band is hidden
    page.layout("band")
    fresh = render(BandView(page.session.band, Notice()))[1]
    assert plotted(root) == plotted(fresh)


def test_tabs_build_each_view_once_and_keep_only_the_open_one(page):
    first = page.layout("memory")
    assert page.session.view == "memory"
    assert page.holder.objects == [first]
    page.session.view = "about"  # a change of the session (a preset, the URL) opens the tab
    assert page.bar.active == list(VIEWS).index("about")
    assert first not in page.holder.objects
    assert page.layout("memory") is first  # built once, state kept


def test_tabs_show_a_spinner_until_the_page_has_loaded(monkeypatch):
    # In a served page the open view is built on load; before that, a change of view moves the spinner.
    loads = []
    monkeypatch.setattr(pn.state, "onload", loads.append)
    session, built = SessionState(), []
    builders = {key: (lambda key=key: built.append(key) or pn.pane.Markdown(key)) for key in VIEWS}
    bar, holder = lazy_tabs(session, VIEWS, builders).objects
    assert isinstance(holder.objects[0], pn.indicators.LoadingSpinner)
    session.view = "energy"
    assert bar.active == list(VIEWS).index("energy")
    assert isinstance(holder.objects[0], pn.indicators.LoadingSpinner)
    assert built == []
    (on_load,) = loads
    on_load()
    assert built == ["energy"]
    assert [pane.object for pane in holder.objects] == ["energy"]


def test_url_query_rebuilds_every_view_as_shown(monkeypatch):
    original, copy = Page(monkeypatch), Page(monkeypatch)
    original.build_all()
    copy.build_all()
    for part in PARTS:  # one control of each part changed through its widget
        layout = original.sidebar if part == "device" else original.layout(part)
        obj = original.session.part(part)
        name = control_names(obj)[0]
        widget_for(layout, obj, name).value = new_value(obj, name)
    query = original.session.query()
    assert copy.session.apply_query(query) == []
    assert copy.summaries() == original.summaries()
    for key in SUMMARY_READS:
        assert csv_texts_of(copy, key) == csv_texts_of(original, key)
    untouched = Page(monkeypatch)
    untouched.build_all()
    assert copy.summaries() != untouched.summaries()  # the query did change something


def csv_texts_of(page, key):
    layout = page.layouts[key]
    return {b.filename: b.callback().getvalue() for b in layout.select(pn.widgets.FileDownload)}


def test_projector_view_scales_every_built_plot_and_back(page):
    page.build_all()
    figures = [f for key in ("band", "current", "memory", "learning", "energy")
               for f in page.layout(key).select(pn.pane.Bokeh)]
    normal = [(f.object.title.text_font_size, f.object.frame_height) for f in figures]
    assert len(figures) == 15  # 1 band, 2 current, 4 memory, 4 learning, 4 energy
    page.session.projector = True
    scaled = [(f.object.title.text_font_size, f.object.frame_height) for f in figures]
    assert all(float(s[0][:-2]) == PROJECTOR_SCALE * float(n[0][:-2]) and s[1] > n[1]
               for s, n in zip(scaled, normal, strict=True))
    page.session.reset()  # "Reset to defaults" keeps the display mode
    assert page.session.projector
    page.session.projector = False
    assert [(f.object.title.text_font_size, f.object.frame_height) for f in figures] == normal


def test_a_view_built_in_projector_view_is_scaled(monkeypatch):
    page = Page(monkeypatch)
    page.session.projector = True
    (figure, *_) = page.layout("current").select(pn.pane.Bokeh)
    assert figure.object.title.text_font_size == f"{13 * PROJECTOR_SCALE:g}px"  # Bokeh's 13px title


def test_a_page_is_added_to_its_document_with_one_reindex(monkeypatch):
    # Bokeh re-walks every model of a document each time a root is added unless frozen
    # (dashboard/views/page.py Page._init_doc); a page has several roots.
    from bokeh.document import Document
    from bokeh.document.models import DocumentModelManager
    from panel.io.state import set_curdoc

    reindexed, recompute = [], DocumentModelManager.recompute
    monkeypatch.setattr(DocumentModelManager, "recompute",
                        lambda self: reindexed.append(1) or recompute(self))
    doc = Document()
    with set_curdoc(doc):
        app.create_app().server_doc(doc)
    assert len(doc.roots) > 3
    assert len(reindexed) == 1
    assert len(doc.models) > 100  # and the index holds the page's models


def test_a_closed_page_session_is_dropped_at_the_next_check_not_after_the_minute():
    # Served with the app's session settings: unused sessions are checked every CHECK_SESSIONS_MS and a
    # page's waits UNUSED_SESSION_MS for its websocket; once its page has been and gone, the next check.
    import time

    from dashboard.serving import CHECK_SESSIONS_MS, UNUSED_SESSION_MS

    destroyed = []

    def page():
        pn.state.on_session_destroyed(lambda _: destroyed.append(time.perf_counter()))
        return app.create_app()

    with served_page(page) as close:
        close()
        closed = time.perf_counter()
        wait_until(lambda: bool(destroyed), timeout=UNUSED_SESSION_MS / 2)
    assert destroyed[0] - closed < 2.5 * CHECK_SESSIONS_MS / 1000  # a check or two, not the minute


def test_a_burst_of_changes_rewrites_the_url_once_after_it_settles():
    # Served (the page's own timers): five changes in a row, one rewrite, URL_SETTLE_MS after the last.
    import time

    rewrites, pages = [], []

    def page():
        later = app.settled(lambda: rewrites.append(time.perf_counter()), app.URL_SETTLE_MS)
        pages.append((pn.state.curdoc, later))
        return pn.pane.Markdown("a page")

    with served_page(page):
        (doc, later), last = pages[0], []

        def burst():
            for _ in range(5):
                later("an event")
                time.sleep(0.02)
            last.append(time.perf_counter())

        doc.add_next_tick_callback(burst)
        wait_until(lambda: bool(rewrites), timeout=10_000)
        time.sleep(2 * app.URL_SETTLE_MS / 1000)  # room for a second rewrite, were there one
    assert len(rewrites) == 1
    assert rewrites[0] - last[0] >= 0.9 * app.URL_SETTLE_MS / 1000  # (timers may fire a little early)
