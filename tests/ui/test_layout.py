"""Any screen (issue 10): every view on a phone (390 x 844), a lecture-hall projector (1024 x 768, also in
the app's projector view) and a wide monitor (1920 x 1080) fits the width: no sideways scrolling, every
plot inside the viewport with its title and legend inside the plot, no control over another, every tab
on screen. Screenshots of each view at each size: tests/artifacts/layout-<view>-<w>x<h>[-projector].png.

Geometry is read from the browser: boxes of elements (through Panel's shadow roots) and, for plots,
BokehJS's own layout (each figure view's frame, title and legend boxes, and the title's text size as
Bokeh measures it to draw it).
"""

import json

import pytest
from ui_helpers import open_app, screenshot

from dashboard.state.session import PARTS, VIEWS
from dashboard.testing import open_view, wait_until

#: Name -> viewport width and height [px], and the page's query (projector view: type 1.5x, plots scaled).
SCREENS = {"phone": (390, 844, ""), "projector": (1024, 768, ""), "wide": (1920, 1080, ""),
           "projector-view": (1024, 768, "?projector=true")}
#: Views with plots: those of a state part (Exercises and About are text).
PLOTTED = [key for key in VIEWS if key in PARTS]
TOLERANCE = 0.5  #: px: boxes are fractional; touching edges are not an overlap

#: Every element, looked for through open shadow roots (Panel renders each component in one).
_DEEP_JS = """
const deep = (selector) => {
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.matches(selector)) found.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return found;
};
const parent = (el) => el.parentElement ?? el.getRootNode().host;  // across shadow roots
const within = (el, selector) => {
  for (let up = parent(el); up; up = parent(up)) {
    if (up.matches(selector)) return true;
  }
  return false;
};
const shown = (el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && el.checkVisibility();
};
const box = (el) => {  // page coordinates [px]
  const r = el.getBoundingClientRect();
  return {left: r.left + scrollX, right: r.right + scrollX, top: r.top + scrollY, bottom: r.bottom + scrollY};
};
"""

#: The plots on the page (BokehJS figure views in the document): the canvas's box, and inside it (in
#: canvas pixels) the frame, the title's box and the width of its text, the legend's box and columns.
_PLOTS_JS = """() => {
  const views = [];
  const walk = (v) => { views.push(v); for (const c of v.child_views ?? []) walk(c); };
  for (const v of Object.values(Bokeh.index)) walk(v);
  const figures = views.filter((v) => v.model.constructor.__name__ === "Figure");
  return figures.filter((v) => v.el.isConnected && v.el.checkVisibility()).map((v) => {
    const r = v.el.getBoundingClientRect();
    const title = v.renderer_views.get(v.model.title);
    const legend_model = v.model.below.find((m) => m.constructor.__name__ === "Legend");
    const legend = legend_model && v.renderer_views.get(legend_model);
    const lbox = legend && legend.bbox.is_valid && legend.bbox.width > 0 ? legend.bbox : null;
    const f = v.frame.bbox;
    return {
      id: v.model.id, title: v.model.title.text,
      left: r.left + scrollX, right: r.right + scrollX, width: r.width,
      frame: {left: f.left, right: f.right, top: f.top, bottom: f.bottom},
      title_box: {left: title.bbox.left, width: title.bbox.width}, title_text: title._get_size().width,
      legend: lbox && {left: lbox.left, right: lbox.right, top: lbox.top, columns: legend_model.ncols},
    };
  });
}"""

#: Things a user clicks or reads that must not sit on one another: each control's row (its label, box,
#: slider and "?" together), buttons, menus and other inputs outside those rows (tabs included),
#: summaries and plots; and whether a button's text runs out of it.
_BOXES_JS = "() => {" + _DEEP_JS + """
  const items = deep(".fndam-control, button, select, input, .fndam-summary, .bk-Figure")
    .filter((el) => shown(el) && !within(el, ".fndam-control, .bk-Figure"));
  const text = (el) => (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40);
  const what = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${text(el)}"`;
  const overflows = (el) => el.matches("button") && el.scrollWidth > el.clientWidth + 1;
  return items.map((el) => ({what: what(el), ...box(el), overflows: overflows(el)}));
}"""

_TABS_JS = "() => {" + _DEEP_JS + """
  return deep("[role=tab]").map((el) => ({name: el.innerText.trim(), shown: shown(el), ...box(el)}));
}"""

_SIGNATURE_JS = "() => {" + _DEEP_JS + """
  return JSON.stringify([document.documentElement.scrollWidth, document.documentElement.scrollHeight,
    deep(".bk-Figure").map((el) => [box(el), el.getBoundingClientRect().height])]);
}"""


def settled(page, key, before=()):
    """Wait until view ``key`` is open, built and laid out, and return the ids of its plots: the view in
    place of the one before (none of the plots ``before`` on the page), its plots drawn (a view with a
    state part has some; Exercises and About mark their column ``fndam-<key>``), and the page's geometry
    unchanged over 0.4 s (plots fit their titles and legends once the browser knows their width, which
    may take a second layout)."""
    readings, plots = [], []

    def still():
        assert page.locator(f"[role=tab][data-key={key}][aria-selected=true]").count() == 1, f"{key} not open"
        assert page.get_by_text("Building the view…").count() == 0, f"{key} still building"
        plots[:] = [plot["id"] for plot in page.evaluate(_PLOTS_JS)]
        assert not set(plots) & set(before), f"the view before {key} is still shown"
        if key in PLOTTED:
            assert plots, f"the {key} view shows no plot yet"
        else:
            assert page.locator(f".fndam-{key}").count() == 1, f"the {key} view is not shown yet"
        readings.append(page.evaluate(_SIGNATURE_JS))
        assert len(readings) > 1, "one reading of the layout so far"
        assert readings[-1] == readings[-2], f"{key}: the layout is still moving"

    wait_until(still, page, timeout=60_000, interval=400)
    return plots


def overlaps(boxes):
    """Pairs of boxes that overlap by more than :data:`TOLERANCE` in both directions."""
    return [(a["what"], b["what"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if min(a["right"], b["right"]) - max(a["left"], b["left"]) > TOLERANCE
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > TOLERANCE]


def layout_problems(page, width):
    """What does not fit at viewport width ``width``, as readable lines (none: the page fits)."""
    problems = []
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"the page scrolls sideways: {scroll} px wide in a {width} px viewport")
    for plot in page.evaluate(_PLOTS_JS):
        name = json.dumps(plot["title"])
        if plot["left"] < -TOLERANCE or plot["right"] > width + TOLERANCE:
            problems.append(f"plot {name} spans {plot['left']:.0f}..{plot['right']:.0f} px")
        if plot["title_text"] > plot["title_box"]["width"] + TOLERANCE:
            problems.append(f"title {name} is {plot['title_text']:.0f} px wide above a "
                            f"{plot['title_box']['width']:.0f} px frame")
        legend = plot["legend"]
        if legend and (legend["left"] < -TOLERANCE or legend["right"] > plot["width"] + TOLERANCE):
            problems.append(f"the legend of {name} ({legend['columns']} columns) spans {legend['left']:.0f}"
                            f"..{legend['right']:.0f} px of a {plot['width']:.0f} px plot")
        if legend and legend["top"] < plot["frame"]["bottom"] - TOLERANCE:
            problems.append(f"the legend of {name} reaches into the data area")
    boxes = page.evaluate(_BOXES_JS)
    problems += [f"{a} overlaps {b}" for a, b in overlaps(boxes)]
    problems += [f"{b['what']} spans {b['left']:.0f}..{b['right']:.0f} px" for b in boxes
                 if b["left"] < -TOLERANCE or b["right"] > width + TOLERANCE]
    problems += [f"{b['what']}: its text runs out of the button" for b in boxes if b["overflows"]]
    return problems


def tab_problems(page, width):
    """Tabs that are hidden or off the screen's width (every view must stay one click away)."""
    tabs = page.evaluate(_TABS_JS)
    assert [t["name"] for t in tabs] == list(VIEWS.values())
    return [f"tab {t['name']!r} is not shown whole ({t['left']:.0f}..{t['right']:.0f} px)" for t in tabs
            if not t["shown"] or t["left"] < -TOLERANCE or t["right"] > width + TOLERANCE]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_view_fits_the_screen(page, app_url, screen):
    width, height, query = SCREENS[screen]
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, app_url, query)
    if query:
        page.wait_for_function("() => document.documentElement.classList.contains('fndam-projector')")
    problems = tab_problems(page, width)
    shown = ()
    for key, title in VIEWS.items():
        open_view(page, title)
        shown = settled(page, key, shown)
        screenshot(page, f"layout-{key}-{width}x{height}{'-projector' if query else ''}")
        problems += [f"{key}: {p}" for p in layout_problems(page, width)]
    assert not problems, "\n".join(problems)


def test_projector_shows_operating_point_beside_the_plot(page, app_url):
    """At 1024 x 768 (a lecture hall's projector) the sidebar stays beside the view: the oxide voltage
    and the band diagram are on the first screen together, so a lecturer moves one and the audience sees
    the other change, without scrolling."""
    page.set_viewport_size({"width": 1024, "height": 768})
    open_app(page, app_url, "?view=band")
    settled(page, "band")
    control = page.locator(".box-oxide_voltage").first.bounding_box()
    (plot,) = page.evaluate(_PLOTS_JS)
    canvas = page.locator(".bk-Figure").first.bounding_box()
    assert control["x"] + control["width"] <= plot["left"], "the operating point is not beside the plot"
    for what, b in (("the oxide voltage", control), ("the band diagram", canvas)):
        assert b["y"] >= 0, f"{what} is above the first screen: {b}"
        assert b["y"] + b["height"] <= 768, f"{what} is below the first screen: {b}"
