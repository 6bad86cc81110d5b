"""Access for everyone (issue 10): an axe-core audit of every view, normal and projector, with the
guided tour open and closed; and what a screen reader needs of a plot: its canvas named as an image with
the plot's title, a live sentence of what it shows, and its data as tables on demand, by keyboard.

axe-core comes with the ``axe-playwright-python`` package and is put into the page by Playwright (no
request leaves the server: the ``page`` fixture fails the test on any).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from built_views import build_every_view
from ui_helpers import open_app, screenshot

from dashboard.state.band import SAMPLES
from dashboard.state.device import OperatingPoint
from dashboard.state.session import VIEWS
from dashboard.state.text import number
from dashboard.testing import type_value, wait_until
from dashboard.views.plotframe import MAX_ROWS, PlotFrame
from physics.constants import MV_PER_CM


def field_text(volts):
    """The field at ``volts`` across the default oxide, as the sentences write it [MV/cm]."""
    return f"{number(OperatingPoint(oxide_voltage=volts).field / MV_PER_CM)} MV/cm"

#: Impacts that fail the audit.
FAILING = ("serious", "critical")
#: axe rule id -> why a serious or critical violation of it is not ours to fix (upstream cause). None yet:
#: Bokeh's toolbar buttons carry a title (their name) and work by Enter and Space, though they have no
#: button role; axe does not flag them.
UPSTREAM = {}

#: Every plot frame on the page (they are in Panel's shadow roots): its canvas name, its sentence, and
#: the live region's politeness.
FRAMES_JS = """() => {
  const out = [];
  const walk = (root) => {
    for (const node of root.querySelectorAll("*")) {
      if (node.shadowRoot) walk(node.shadowRoot);
      if (node.classList.contains("fndam-plot-text")) {
        const frame = node.getRootNode();
        let canvas = null;
        const find = (r) => { for (const n of r.querySelectorAll("*")) {
          if (canvas) return;
          if (n.getAttribute("role") === "img") canvas = n; else if (n.shadowRoot) find(n.shadowRoot); } };
        find(frame);
        out.push({text: node.textContent, live: node.getAttribute("aria-live"),
                  name: canvas && canvas.getAttribute("aria-label"),
                  focusable: canvas ? canvas.tabIndex >= 0 : false});
      }
    }
  };
  walk(document);
  return out;
}"""


#: Titles of the plots drawn on the page now (a title the browser broke into lines read as one line).
TITLES_JS = """() => [...Bokeh.documents[0].all_models]
  .filter(m => m.constructor.__name__ === "Figure" && m.title)
  .map(m => m.title.text.replaceAll("\\n", " "))"""
#: How many Bokeh figures are on the page (in Panel's shadow roots).
FIGURES_JS = """() => { let n = 0;
  const walk = (root) => { for (const node of root.querySelectorAll("*")) {
    if (node.classList.contains("bk-Figure")) n++; if (node.shadowRoot) walk(node.shadowRoot); } };
  walk(document); return n; }"""


@pytest.fixture(scope="module")
def plots():
    """View key -> how many plots the app builds in it."""
    _, layouts = build_every_view()
    return {key: len(layout.select(PlotFrame)) for key, layout in layouts.items()}


def frames(page):
    return page.evaluate(FRAMES_JS)


def wait_for_view(page, key, plots):
    """Wait until view ``key`` is shown with its ``plots`` plots, each named and described."""
    def shown():
        tab = page.locator(f"[role=tab][data-key={key}]")
        assert tab.get_attribute("aria-selected") == "true", f"tab {key} not selected"
        found = frames(page)
        assert len(found) == page.evaluate(FIGURES_JS) == plots, f"{len(found)} frames, {plots} plots"
        # A plot whose sentence stays empty has no describe function (dashboard.views.plotting.Plot).
        assert all(f["text"] and f["name"] for f in found), f"plots not (yet) described: {found}"

    wait_until(shown, page, timeout=30_000)


def audit(page, where):
    """The serious and critical axe violations on the page now, less the upstream ones, as text."""
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in FAILING and violation["id"] not in UPSTREAM:
            nodes = "; ".join(node["html"][:120] for node in violation["nodes"][:3])
            found.append(f"{where}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])} "
                         f"elements) {violation['help']}: {nodes}")
    return found


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_no_serious_violation_on_any_view_with_the_tour_open_or_closed(page, app_url, plots, projector):
    open_app(page, app_url, "?step=triangle" + ("&projector=true" if projector else ""))
    mode = "projector" if projector else "normal"
    found = []
    for tour in ("open", "closed"):
        region = page.get_by_role("region", name="Guided tour")
        region.wait_for(state="visible" if tour == "open" else "hidden", timeout=20_000)
        for key in VIEWS:
            page.locator(f"[role=tab][data-key={key}]").click()
            wait_for_view(page, key, plots[key])
            found += audit(page, f"{key}, {mode}, tour {tour}")
        screenshot(page, f"a11y_{mode}_tour_{tour}")
        if tour == "open":
            page.get_by_role("button", name="Exit the tour").click()
    assert not found, "\n".join(found)


def test_plots_are_named_and_described_and_the_description_follows(page, app_url, plots):
    open_app(page, app_url, "?view=current")
    wait_for_view(page, "current", plots["current"])
    described = frames(page)
    assert sorted(f["name"] for f in described) == sorted(page.evaluate(TITLES_JS))
    assert all(f["live"] == "polite" and f["focusable"] for f in described)
    before = described[0]["text"]
    assert field_text(OperatingPoint().oxide_voltage) in before
    type_value(page, "oxide_voltage", 12)

    def follows():
        now = frames(page)[0]["text"]
        assert field_text(12) in now, f"the sentence did not follow: {now!r}"

    wait_until(follows, page, timeout=20_000)


def test_data_table_opens_by_keyboard_and_is_built_only_when_asked(page, app_url, plots):
    open_app(page, app_url, "?view=band")
    wait_for_view(page, "band", plots["band"])
    assert page.locator("table").count() == 0  # nothing built until asked
    toggle = page.get_by_role("button", name="Show data as a table")
    toggle.focus()
    page.keyboard.press("Enter")
    rows = SAMPLES + 2  # the oxide's samples and the two electrode edges
    table = page.get_by_role("table", name=f"Conduction band now: {MAX_ROWS} of {rows} rows, evenly spaced")
    table.wait_for(timeout=20_000)
    headers = table.locator("thead th")
    assert headers.all_text_contents() == ["Position x (nm)", "Energy above the gate's Fermi level (eV)"]
    assert {headers.nth(i).get_attribute("scope") for i in range(headers.count())} == {"col"}
    assert table.locator("tbody tr").count() == MAX_ROWS
    assert table.locator("tbody th").first.get_attribute("scope") == "row"
    hide = page.get_by_role("button", name="Hide the data table")
    assert hide.get_attribute("aria-expanded") == "true"
    screenshot(page, "a11y_band_data_table")
    hide.press("Enter")
    page.get_by_role("button", name="Show data as a table").wait_for(timeout=20_000)
    assert page.locator("table").count() == 0


def test_the_audit_finds_a_violation_we_plant(page, app_url):
    """The audit is no formality: a button without a name, put into the page, fails it."""
    open_app(page, app_url, "?view=exercises")
    page.evaluate("() => document.querySelector('main').append(document.createElement('button'))")
    found = audit(page, "planted")
    assert any("button-name (critical" in line for line in found), found
