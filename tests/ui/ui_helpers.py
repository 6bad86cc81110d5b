"""Helpers for the browser tests only. What the benchmarks share with them (the served app, Chromium,
``wait_until``, the data fingerprint, typing into a box) lives in :mod:`dashboard.testing`.

Every wait polls a callable holding ``assert`` statements with :func:`wait_until`, so a timeout reports
what the page showed when it gave up. Times are in milliseconds.
"""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from dashboard.testing import (
    data_fingerprint,
    settled_fingerprint,
    type_value,
    wait_for_data_change,
    wait_until,
)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def open_app(page, url, query=""):
    """Load the app and wait until its session is live: the app rewrites the URL once it has loaded."""
    page.goto(url + query)
    page.wait_for_function("() => window.Bokeh && Bokeh.documents.length > 0", timeout=30_000)
    page.get_by_role("tab").first.wait_for(timeout=30_000)
    page.wait_for_function("() => new URLSearchParams(location.search).has('view')", timeout=30_000)


#: Legend entries of every plot on the page: [label, visible] (Bokeh draws legends on a canvas).
_LEGEND_JS = """
() => {
  const out = [];
  for (const doc of window.Bokeh.documents) {
    for (const model of doc.all_models) {
      if (model.constructor.__name__ !== "LegendItem" || !model.label) continue;
      out.push([model.label.value, model.visible]);
    }
  }
  return out;
}
"""


def legend_entries(page):
    """The labels of the legend entries shown on the page (hidden entries left out)."""
    return {label for label, visible in page.evaluate(_LEGEND_JS) if visible}


def wait_for_legend(page, label, shown=True, timeout=20_000):
    """Wait until the legend entry ``label`` is shown (or, with ``shown=False``, not shown)."""
    def legend_follows():
        entries = legend_entries(page)
        state = "missing" if shown else "still shown"
        assert (label in entries) == shown, f"legend entry {label!r} {state}: {entries}"

    wait_until(legend_follows, page, timeout)


def line_joins(page):
    """The set of ``line_join`` values of every line glyph on the page (BokehJS holds them as
    value specs, ``{value: ...}``)."""
    return set(page.evaluate("""() => [...Bokeh.documents].flatMap(doc => [...doc.all_models])
        .filter(m => m.constructor.__name__ === "Line").map(m => m.line_join.value ?? m.line_join)"""))


def box_value(page, name):
    """The number shown in the box of parameter ``name``."""
    return float(page.locator(f".box-{name} input").first.input_value())


def wait_for_boxes(page, timeout=20_000, **expected):
    """Wait until the box of each parameter in ``expected`` shows its value."""
    def boxes_follow():
        shown = {name: box_value(page, name) for name in expected}
        assert shown == expected, f"boxes show {shown}, expected {expected}"

    wait_until(boxes_follow, page, timeout)


def current_url(page):
    """The address bar now. (``page.url`` lags: Playwright refreshes it from its own events, not when
    the app rewrites the address with history.replaceState; asking the page is always current.)"""
    return page.evaluate("() => location.href")


def query_of(url):
    """The query of ``url`` as a dict of single values."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def query(page):
    """The page URL's query now, as a dict of single values."""
    return query_of(current_url(page))


def _lower(value):
    return None if value is None else str(value).lower()


def wait_for_query(page, timeout=20_000, **expected):
    """Wait until the page URL's query holds each ``expected`` value (compared as text, ignoring case;
    None: the parameter is absent); return the URL then (``location.href``), the link a user copies."""
    seen = []

    def url_follows():
        seen[:] = [current_url(page)]
        got = query_of(seen[0])
        wrong = {k: got.get(k) for k, v in expected.items() if _lower(got.get(k)) != _lower(v)}
        assert not wrong, f"URL {seen[0]} has {wrong}, expected {expected}"

    wait_until(url_follows, page, timeout)
    return seen[0]


#: Text of a pane: Panel keeps it in a shadow root next to <style> elements (the host's innerText is empty).
_TEXT_JS = ("e => [...(e.shadowRoot || e).children].filter(c => c.tagName !== 'STYLE')"
            ".map(c => c.innerText).join(' ')")


def pane_text(page, css_class, contains=""):
    """Text of the first Panel pane with ``css_class`` (containing ``contains``), '' if there is none."""
    texts = [" ".join(el.evaluate(_TEXT_JS).split()) for el in page.locator(f".{css_class}").all()]
    return next((t for t in texts if contains in t), "")


def wait_for_text(page, read, *fragments, timeout=20_000):
    """Wait until the text ``read(page)`` contains every fragment; return it."""
    seen = [""]

    def text_follows():
        seen[0] = read(page)
        missing = [f for f in fragments if f not in seen[0]]
        assert not missing, f"text lacks {missing}: {seen[0]!r}"

    wait_until(text_follows, page, timeout)
    return seen[0]


_RECORD_JS = f"""
(host, key) => {{
  const read = () => ({_TEXT_JS})(host);
  window[key] = [read()];
  new MutationObserver(() => window[key].push(read()))
    .observe(host.shadowRoot || host, {{subtree: true, childList: true, characterData: true}});
}}
"""


def record_texts(page, css_class, contains="", key="__fndamTexts"):
    """Start recording, in the page, every text the pane of :func:`pane_text` shows.

    The browser records each change as it renders it, so a test sees every intermediate state of a
    stream however slowly it polls; read the record with :func:`recorded_texts`.
    """
    pane = next(el for el in page.locator(f".{css_class}").all() if contains in el.evaluate(_TEXT_JS))
    pane.evaluate(_RECORD_JS, key)


def recorded_texts(page, key="__fndamTexts"):
    """The texts recorded since :func:`record_texts`, whitespace collapsed, in the order shown."""
    return [" ".join(text.split()) for text in page.evaluate(f"() => window.{key}")]


def notice_text(page):
    """Text of the notice ('' when hidden: the app empties it when it hides it)."""
    return pane_text(page, "fndam-notice")


def wait_for_notice(page, *fragments, timeout=20_000):
    """Wait until the notice contains every fragment; return its text."""
    return wait_for_text(page, notice_text, *fragments, timeout=timeout)


def tick(page, name):
    """Check the checkbox of parameter ``name``."""
    page.locator(f".check-{name} input[type=checkbox]").first.check()


def choose(page, option):
    """Pick ``option`` in the menu that offers it."""
    page.locator(f"select:has(option:text-is('{option}'))").first.select_option(option)


def screenshot(page, name):
    """Save a full-page screenshot to tests/artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def type_and_check(page, name, value, summary, *fragments, shot=None, new_data=True, timeout=20_000):
    """The tests' edit step: type ``value`` into the box of parameter ``name``, wait for new plotted data
    (unless ``new_data`` is False), wait until ``summary(page)`` shows every fragment, and save a
    screenshot called ``shot`` if given. Returns the summary text."""
    before = data_fingerprint(page)
    type_value(page, name, value)
    if new_data:
        wait_for_data_change(page, before, timeout)
    text = wait_for_text(page, summary, *fragments, timeout=timeout)
    if shot:
        screenshot(page, shot)
    return text


def reopen_link(page, url, timeout=20_000, **boxes):
    """The tests' round trip: open the copied link ``url`` afresh (a new page load: a new session) and
    check that it plots exactly the data the page plots now and that each box in ``boxes`` shows its
    value."""
    expected = settled_fingerprint(page, timeout)
    page.goto("about:blank")
    open_app(page, url)

    def same_plots():
        now = data_fingerprint(page)
        assert now == expected, f"the copied link plots {now}, the page it came from plotted {expected}"

    wait_until(same_plots, page, timeout)
    wait_for_boxes(page, timeout, **boxes)
