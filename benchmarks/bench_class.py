"""A class on one server: many browsers open the app at once, one plays a training run, all leave.

Run: .venv/bin/python benchmarks/bench_class.py [pages]   (needs /usr/bin/chromium; default 20 pages)

Serves the app with the console command, as a lab would, and drives headless Chromium:

1. ``pages`` pages requested at the same moment: seconds from the request to plotted data on each
   (median and slowest) and how many never got there, against one page loaded alone (here the
   browser's renderers share the machine with the server; in a class each has its own);
2. the server's CPU time and memory per session (resident set size, /proc): what limits a lab server;
3. control-to-update in the browser (type a voltage, wait for new plot data) with the server idle and
   while one other session plays a learning run (the server is one process: sessions share its core),
   with only those two pages open;
4. seconds after the pages close until the server is idle again (CPU below 5 % of a core);

and first, the same burst of pages against one app server without the proxy and against two workers
behind it (``fndam-explorer serve --workers 2``), alternated in one run.

Prints medians; no asserts.
"""

import statistics
import sys
import time

from dashboard.testing import (
    chromium,
    cpu_seconds,
    data_fingerprint,
    has_plot_data,
    open_view,
    rss_mb,
    serve_app,
    type_value,
    wait_for_data_change,
)

LATENCY_REPEATS = 7


def load_together(browser, url, n, timeout=120.0):
    """Request ``n`` pages at once; return (seconds to plotted data per page, pages that failed, pages)."""
    pages = [browser.new_page() for _ in range(n)]
    start = time.perf_counter()
    for page in pages:
        page.goto(url, wait_until="commit")  # returns once the request is answered: all load together
    done = {}
    while len(done) < n and time.perf_counter() - start < timeout:
        for i, page in enumerate(pages):
            if i not in done and has_plot_data(page):
                done[i] = time.perf_counter() - start
        time.sleep(0.05)
    return list(done.values()), n - len(done), pages


def voltage_latency(page, volts):
    """Median seconds from typing each new oxide voltage in ``volts`` to new plot data in the browser."""
    samples = []
    for v in volts:
        before = data_fingerprint(page)
        start = time.perf_counter()
        type_value(page, "oxide_voltage", v)
        wait_for_data_change(page, before, timeout=60_000, settle=False, interval=10)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def seconds_until_idle(pid, timeout=60.0, threshold=0.05):
    """Seconds until the process uses less than ``threshold`` of a core over half a second."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        used = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - used < threshold * 0.5:
            return time.perf_counter() - start
    return float("inf")


def burst(browser, n, repeats=3):
    """Median seconds to first plot over ``n`` pages requested at once, for one app server without
    the proxy and for two workers behind it (``--workers 2``), alternating the two, ``repeats`` times."""
    servings = {"one server, no proxy": (), "2 workers behind the proxy": ("--workers", "2")}
    results = {name: ([], 0) for name in servings}
    with serve_app(args=servings["one server, no proxy"]) as (direct, _), \
            serve_app(args=servings["2 workers behind the proxy"]) as (proxied, _):
        urls = dict(zip(servings, (direct, proxied), strict=True))
        for url in urls.values():  # warm-up: imports and caches of every worker
            for page in load_together(browser, url, 2)[2]:
                page.close()
        for _ in range(repeats):
            for name, url in urls.items():
                times, failed, pages = load_together(browser, url, n)
                for page in pages:
                    page.close()
                results[name] = (results[name][0] + times, results[name][1] + failed)
                time.sleep(12)  # the closed pages' sessions are culled before the next burst
    for name, (times, failed) in results.items():
        print(f"burst of {n} pages, {name}: first plot after median {statistics.median(times):.1f} s, "
              f"slowest {max(times):.1f} s, {failed} never ({repeats} bursts)")


def main(n):
    with chromium() as browser:
        burst(browser, n)
    with serve_app() as (url, server), chromium() as browser:
        alone, _, pages = load_together(browser, url, 1)  # also warms the server up
        for page in pages:
            page.close()
        alone, _, pages = load_together(browser, url, 1)
        seconds_until_idle(server.pid)
        base, cpu = rss_mb(server.pid), cpu_seconds(server.pid)
        times, failed, pages = load_together(browser, url, n)
        seconds_until_idle(server.pid)
        per_session = (rss_mb(server.pid) - base) / n
        cpu = (cpu_seconds(server.pid) - cpu) / n
        print(f"{n} pages at once: plotted data after median {statistics.median(times):.1f} s, "
              f"slowest {max(times):.1f} s, {failed} never (one page alone: {alone[0]:.1f} s; the "
              f"{n} renderers share this machine's cores with the server)")
        print(f"server per session: {cpu:.2f} s of CPU to serve a page with its open view "
              f"(one core: ~{1 / cpu:.0f} pages per second), +{per_session:.1f} MB resident "
              f"({base:.0f} MB with one session)")

        for page in pages[2:]:
            page.close()  # the latency is measured with two pages: the browser's load stays small
        seconds_until_idle(server.pid)
        idle = voltage_latency(pages[0], [8.0 + 0.5 * i for i in range(LATENCY_REPEATS)])
        player = pages[1]
        open_view(player, "Synapse learning")
        type_value(player, "n_steps", 10000)
        player.get_by_role("button", name="Play", exact=True).click()
        busy = voltage_latency(pages[0], [12.0 - 0.5 * i for i in range(LATENCY_REPEATS)])
        print(f"browser control-to-update (median of {LATENCY_REPEATS}): {idle * 1e3:.0f} ms idle, "
              f"{busy * 1e3:.0f} ms while one other session plays training ({busy / idle:.1f}x)")

        player.close()
        pages[0].close()
        print(f"after the pages close the server is idle in {seconds_until_idle(server.pid):.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
