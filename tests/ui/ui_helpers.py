"""Helpers for the browser tests (and the browser benchmarks): the served app and Chromium, and
polling for a condition instead of sleeping a fixed time."""

import os
import socket
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = os.environ.get("FNDAM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port():
    """A TCP port on localhost that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def responds(url):
    """True once ``url`` answers 200 (False while nothing listens yet)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


#: A number that changes whenever the data of any Bokeh ColumnDataSource on the page changes.
_FINGERPRINT_JS = """
() => {
  let total = 0, count = 0;
  for (const doc of window.Bokeh.documents) {
    for (const model of doc.all_models) {
      if (!model.data || typeof model.data !== "object" || !model.selected) continue;
      const data = model.data instanceof Map ? Object.fromEntries(model.data) : model.data;
      for (const name of Object.keys(data).sort()) {  // column order varies between updates
        for (const v of Array.from(data[name])) {
          if (typeof v === "number" && Number.isFinite(v)) { total += v * (1 + (count++ % 7)); }
        }
      }
    }
  }
  return [total, count];
}
"""


def wait_until(predicate, timeout=20.0, interval=0.05, message="condition not met"):
    """Poll ``predicate()`` until truthy and return its value; AssertionError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} (waited {timeout:g} s)")
        time.sleep(interval)


def open_app(page, url, query=""):
    """Load the app and wait until its session is live: the app rewrites the URL once it has loaded."""
    page.goto(url + query)
    page.wait_for_function("() => window.Bokeh && Bokeh.documents.length > 0", timeout=30_000)
    page.locator(".bk-tab").first.wait_for(timeout=30_000)
    page.wait_for_function("() => new URLSearchParams(location.search).has('view')", timeout=30_000)


def open_view(page, title):
    """Click the tab called ``title`` (Bokeh tabs carry no ARIA role: select by text)."""
    page.locator(".bk-tab", has_text=title).click()


def data_fingerprint(page):
    """(weighted sum, count) over the numbers of every data source on the page."""
    return tuple(page.evaluate(_FINGERPRINT_JS))


def settled_fingerprint(page, timeout=20.0):
    """The data fingerprint once two readings 0.25 s apart agree (plots update source by source)."""
    previous = [data_fingerprint(page)]

    def unchanged():
        now = data_fingerprint(page)
        same, previous[0] = now == previous[0], now
        return same and now

    return wait_until(unchanged, timeout, interval=0.25, message="the plotted data kept changing")


def wait_for_data_change(page, before, timeout=20.0):
    """Wait until the plotted data differs from the fingerprint ``before``; return it once settled."""
    wait_until(lambda: data_fingerprint(page) != before, timeout, message="the plotted data did not change")
    return settled_fingerprint(page, timeout)


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


def line_joins(page):
    """The set of ``line_join`` values of every line glyph on the page (BokehJS holds them as
    value specs, ``{value: ...}``)."""
    return set(page.evaluate("""() => [...Bokeh.documents].flatMap(doc => [...doc.all_models])
        .filter(m => m.constructor.__name__ === "Line").map(m => m.line_join.value ?? m.line_join)"""))


def type_value(page, name, value):
    """Type ``value`` into the number box of parameter ``name`` and press Enter."""
    box = page.locator(f".box-{name} input").first
    box.fill(str(value))
    box.press("Enter")


def box_value(page, name):
    """The number shown in the box of parameter ``name``."""
    return float(page.locator(f".box-{name} input").first.input_value())


def current_url(page):
    """The address bar now. (``page.url`` is only refreshed while Playwright runs its event loop, which
    a polling loop between Playwright calls does not do; asking the page is always current.)"""
    return page.evaluate("() => location.href")


def query(page):
    """The page URL's query as a dict of single values."""
    return {k: v[0] for k, v in parse_qs(urlsplit(current_url(page)).query).items()}


#: Text of a pane: Panel keeps it in a shadow root next to <style> elements (the host's innerText is empty).
_TEXT_JS = ("e => [...(e.shadowRoot || e).children].filter(c => c.tagName !== 'STYLE')"
            ".map(c => c.innerText).join(' ')")


def pane_text(page, css_class, contains=""):
    """Text of the first Panel pane with ``css_class`` (containing ``contains``), '' if there is none."""
    texts = [" ".join(el.evaluate(_TEXT_JS).split()) for el in page.locator(f".{css_class}").all()]
    return next((t for t in texts if contains in t), "")


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


def wait_for_notice(page, fragment, timeout=20.0):
    """Wait until the notice contains ``fragment``; return its text."""
    return wait_until(lambda: fragment in (text := notice_text(page)) and text, timeout,
                      message=f"no notice containing {fragment!r} (notice: {notice_text(page)!r})")


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

