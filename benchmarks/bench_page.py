"""What a new page costs the server, and control-to-redraw in Chromium, against the minimal page.

Run: .venv/bin/python benchmarks/bench_page.py [repeats]   (needs /usr/bin/chromium; default 9 repeats)

One server process serves the app (``/app``) and the minimal page (``/minimal``,
benchmarks/minimal_page.py) side by side, so both see the same Panel, machine and noise.  Pages are
opened alternately in headless Chromium:

1. server CPU per new page: the server's user + system CPU time (/proc/<pid>/stat) from the page request
   until its plots have data and the server is idle again, then for closing it until the session is
   culled; one page at a time;
2. control-to-redraw: in one open page of each, type a new value into a number box, press Enter, and
   time until the plotted data has changed (the app: the oxide voltage, band view open).

Prints medians and their ratios (the issue's targets: CPU per page <= 1.5x, redraw <= 1.3x); no asserts.
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_class import seconds_until_idle

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

PAGES = ("app", "minimal")
BOXES = {"app": ("oxide_voltage", (9.0, 10.0)), "minimal": ("k", (2.0, 3.0))}


def serve_both(port):
    """Start the side-by-side server; return the process once both pages answer."""
    script = Path(__file__).with_name("minimal_page.py")
    proc = subprocess.Popen([sys.executable, str(script), str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for name in PAGES:
        wait_until(lambda n=name: responds(f"http://127.0.0.1:{port}/{n}"), timeout=60_000, interval=200)
    return proc


def wait_idle(pid):
    """Block until process ``pid`` uses less than 2 % of a core."""
    seconds_until_idle(pid, timeout=float("inf"), threshold=0.02)


def page_cost(browser, url, pid):
    """Server CPU seconds for opening ``url`` until plotted and idle, and for closing it until culled."""
    wait_idle(pid)
    start = cpu_seconds(pid)
    page = browser.new_page()
    page.goto(url)
    wait_until(lambda: has_plot_data(page), page, timeout=60_000)
    wait_idle(pid)
    opened = cpu_seconds(pid)
    page.close()
    time.sleep(11)  # the server culls a closed page's session 5-10 s after it leaves
    wait_idle(pid)
    return opened - start, cpu_seconds(pid) - opened


def redraw_times(browser, url, name, repeats):
    """Seconds from Enter in the number box to changed plot data, ``repeats`` times."""
    box, values = BOXES[name]
    page = browser.new_page()
    page.goto(url)
    wait_until(lambda: has_plot_data(page), page, timeout=60_000)
    times = []
    for i in range(repeats + 1):
        before = data_fingerprint(page)
        start = time.perf_counter()
        type_value(page, box, values[i % 2])
        wait_for_data_change(page, before, settle=False, interval=5)
        times.append(time.perf_counter() - start)
        page.wait_for_timeout(300)
    page.close()
    return times[1:]  # the first change warms caches


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    port = free_port()
    proc = serve_both(port)
    cost = {name: [] for name in PAGES}
    redraw = {}
    try:
        with chromium() as browser:
            for name in PAGES:  # warm-up: imports, caches and the first session of each page
                page_cost(browser, f"http://127.0.0.1:{port}/{name}", proc.pid)
            for _ in range(repeats):
                for name in PAGES:
                    cost[name].append(page_cost(browser, f"http://127.0.0.1:{port}/{name}", proc.pid))
            for name in PAGES:
                redraw[name] = redraw_times(browser, f"http://127.0.0.1:{port}/{name}", name, repeats)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    opened = {n: statistics.median(c[0] for c in cost[n]) for n in PAGES}
    closed = {n: statistics.median(c[1] for c in cost[n]) for n in PAGES}
    total = {n: statistics.median(sum(c) for c in cost[n]) for n in PAGES}
    ms = {n: 1e3 * statistics.median(redraw[n]) for n in PAGES}
    print(f"server CPU per new page (median of {repeats}): app {total['app']:.3f} s "
          f"(open {opened['app']:.3f} + close {closed['app']:.3f}), minimal {total['minimal']:.3f} s "
          f"(open {opened['minimal']:.3f} + close {closed['minimal']:.3f}); ratio "
          f"{total['app'] / total['minimal']:.2f} (target <= 1.5)")
    print(f"control-to-redraw in Chromium (median of {repeats}): app {ms['app']:.0f} ms, minimal "
          f"{ms['minimal']:.0f} ms; ratio {ms['app'] / ms['minimal']:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
