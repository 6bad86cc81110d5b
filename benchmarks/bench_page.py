"""What a new page costs the server, and control-to-redraw in Chromium, against the minimal page.

Run: .venv/bin/python benchmarks/bench_page.py [repeats]   (needs /usr/bin/chromium; default 9 repeats)

Three server processes (benchmarks/minimal_page.py, same Panel) serve, each as it would run:

- the app, as ``fndam-explorer serve`` runs it: with its allocator (jemalloc, dashboard/allocator.py)
  and its settings for pages (``dashboard.server.tune_for_pages``: collector, serializer, defaults);
- the minimal page as Panel serves any page (the issue's baseline: "served by the same Panel");
- the minimal page with the app server's settings for pages too (a stricter baseline: what is left is
  the app's own weight).

Pages are opened in turn in headless Chromium, so all see the same machine and noise:

1. server CPU per new page: the server's user + system CPU time (/proc/<pid>/stat) from the page request
   until its plots have data and the server is idle again, then for closing it until the session is
   culled; one page at a time;
2. control-to-redraw: in one open page of each, the two taking turns, type a new value into a number
   box, press Enter, and time, in the page (:data:`REDRAW_JS`), from the Enter to the first frame drawn
   with the new plot data (the app: the oxide voltage, band view open). Also printed: the time to the
   new data alone, to the page's main thread falling idle after the frame, and the time the test
   helpers see the new data by asking the page every 5 ms from Python (:func:`polled`, the measure
   before; each question waits for the page's main thread and shares the 2 cores with the browser and
   the server, so it adds more to a page that does more after its frame).

Prints medians and their ratios (the issue's targets: CPU per page <= 1.5x, redraw <= 1.3x); no asserts.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_class import seconds_until_idle

from dashboard import allocator
from dashboard.testing import (
    chromium,
    cpu_seconds,
    data_fingerprint,
    free_port,
    has_plot_data,
    responds,
    type_value,
    wait_for_data_change,
    wait_until,
)

#: Name -> (path of the page, served with jemalloc, served with the app server's settings for pages).
SERVED = {"app": ("app", True, True), "minimal": ("minimal", False, False),
          "minimal, tuned": ("minimal", False, True)}
#: Pages compared for redraws (the server's settings do not change what the browser draws).
PAGES = ("app", "minimal")
BOXES = {"app": ("oxide_voltage", (9.0, 10.0)), "minimal": ("k", (2.0, 3.0))}


def serve(name):
    """Start the server of :data:`SERVED` ``name`` on a free port; return (its page's URL, its process)
    once it answers."""
    path, jemalloc, tuned = SERVED[name]
    script, port = Path(__file__).with_name("minimal_page.py"), free_port()
    env = (allocator.jemalloc_environment if jemalloc else allocator.pymalloc_environment)(os.environ)
    proc = subprocess.Popen([sys.executable, str(script), str(port), *([] if tuned else ["--plain"])],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{path}"
    wait_until(lambda: responds(url), timeout=60_000, interval=200)
    return url, proc


def wait_idle(pid):
    """Block until process ``pid`` uses less than 2 % of a core."""
    seconds_until_idle(pid, timeout=float("inf"), threshold=0.02)


def page_cost(browser, url, pid):
    """Server CPU seconds for opening ``url`` until plotted and idle, and for closing it until culled."""
    wait_idle(pid)
    start = cpu_seconds(pid)
    page = open_page(browser, url)
    wait_idle(pid)
    opened = cpu_seconds(pid)
    page.close()
    time.sleep(11)  # the server culls a closed page's session 5-10 s after it leaves
    wait_idle(pid)
    return opened - start, cpu_seconds(pid) - opened


#: Makes the page time its next control change into ``window.fndamRedraw`` (a promise of ms from the
#: Enter to: the new data in any plot, the first frame drawn with it, the main thread idle after it).
#: Bokeh asks for its repaint when the data changes, before this page's own callback does, so the
#: animation frame below runs after Bokeh has painted.
REDRAW_JS = """
() => {
  window.fndamRedraw = new Promise((resolve) => {
    let start = null;
    const onKey = (event) => { if (event.key === "Enter" && start === null) start = performance.now(); };
    const sources = [];
    for (const doc of window.Bokeh.documents) {
      for (const model of doc.all_models) if (model.data && model.selected) sources.push(model);
    }
    const changed = () => {
      if (start === null) return;
      const seen = performance.now() - start;
      window.removeEventListener("keydown", onKey, {capture: true});
      for (const source of sources) {
        source.change.disconnect(changed);
        source.streaming.disconnect(changed);
      }
      requestAnimationFrame(() => setTimeout(() => {
        const drawn = performance.now() - start;
        requestIdleCallback(() => resolve([seen, drawn, performance.now() - start]), {timeout: 2000});
      }, 0));
    };
    window.addEventListener("keydown", onKey, {capture: true});
    for (const source of sources) {
      source.change.connect(changed);
      source.streaming.connect(changed);
    }
  });
}
"""
#: Waits for the timing REDRAW_JS armed; fails rather than hangs if no plot data changes.
WAIT_JS = """
() => Promise.race([window.fndamRedraw, new Promise((_, fail) =>
  setTimeout(() => fail(new Error("no plot data changed within 20 s")), 20000))])
"""


def open_page(browser, url):
    """A new page at ``url`` once its plots have data."""
    page = browser.new_page()
    page.goto(url)
    wait_until(lambda: has_plot_data(page), page, timeout=60_000)
    return page


def changes(browser, urls, repeats, change):
    """Page name -> ``change(page, name, i)`` for i in 1..repeats, in one open page of each, the pages
    taking turns (so both see the same moments of a noisy machine); the first change of each, which
    warms caches, is left out."""
    pages = {name: open_page(browser, urls[name]) for name in PAGES}
    times = {name: [] for name in PAGES}
    for i in range(repeats + 1):
        for name, page in pages.items():
            times[name].append(change(page, name, i))
            page.wait_for_timeout(300)
    for page in pages.values():
        page.close()
    return {name: found[1:] for name, found in times.items()}


def timed_in_page(page, name, i):
    """(to the new data, to the frame drawn with it, to idle) in ms for the i-th value, timed in the page."""
    box, values = BOXES[name]
    page.evaluate(REDRAW_JS)
    type_value(page, box, values[i % 2])
    return page.evaluate(WAIT_JS)


def polled(page, name, i):
    """Ms from before typing the i-th value to the new data as Python sees it, asking every 5 ms."""
    box, values = BOXES[name]
    before = data_fingerprint(page)
    start = time.perf_counter()
    type_value(page, box, values[i % 2])
    wait_for_data_change(page, before, settle=False, interval=5)
    return 1e3 * (time.perf_counter() - start)


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    servers = {name: serve(name) for name in SERVED}
    urls = {name: url for name, (url, _) in servers.items()}
    cost = {name: [] for name in SERVED}
    try:
        with chromium() as browser:
            for name in SERVED:  # warm-up: imports, caches and the first session of each page
                page_cost(browser, urls[name], servers[name][1].pid)
            for _ in range(repeats):
                for name in SERVED:
                    cost[name].append(page_cost(browser, urls[name], servers[name][1].pid))
            redraw = changes(browser, urls, 3 * repeats, timed_in_page)
            seen = changes(browser, urls, 3 * repeats, polled)
    finally:
        for _, proc in servers.values():
            proc.terminate()
            proc.wait(timeout=10)
    print(f"server CPU per new page, open + close (median of {repeats}):")
    total = {name: statistics.median(sum(c) for c in cost[name]) for name in SERVED}
    for name in SERVED:
        opened, closed = (statistics.median(c[i] for c in cost[name]) for i in (0, 1))
        target = " (target <= 1.5)" if name == "minimal" else ""
        print(f"  {name:15s} {total[name]:.3f} s ({opened:.3f} + {closed:.3f}); "
              f"app / this {total['app'] / total[name]:.2f}{target}")
    print(f"control-to-redraw in Chromium (median of {3 * repeats} changes, ms from Enter):")
    for index, what in enumerate(("new data", "frame drawn with it", "page idle after it")):
        ms = {n: statistics.median(t[index] for t in redraw[n]) for n in PAGES}
        target = " (target <= 1.3)" if index == 1 else ""
        print(f"  {what}: app {ms['app']:.0f}, minimal {ms['minimal']:.0f}; ratio "
              f"{ms['app'] / ms['minimal']:.2f}{target}")
    ms = {n: statistics.median(seen[n]) for n in PAGES}
    print(f"  new data seen from Python every 5 ms: app {ms['app']:.0f}, minimal {ms['minimal']:.0f}; "
          f"ratio {ms['app'] / ms['minimal']:.2f}")


if __name__ == "__main__":
    main()
