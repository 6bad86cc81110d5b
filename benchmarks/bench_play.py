"""What a playing training run costs the server, and what it does to everybody else's controls.

Run: .venv/bin/python benchmarks/bench_play.py [repeats]   (needs /usr/bin/chromium; default 3)

Serves the app with the console command, as a lab would, and drives headless Chromium:

1. CPU while one session plays: one page on the learning view (10,000 steps, so it plays for the whole
   window), the server's CPU time per second of wall time (/proc/<pid>/stat) over WINDOW_S seconds,
   first with the page open and paused, then playing; the server process (its event loop serves every
   session) and its child processes (the training worker pool) apart.  Each repeat plays a new seed,
   so the worker computes every run it shows (no cached run).
2. Control-to-redraw in one Chromium page (type an oxide voltage in the band view, wait for new plot
   data in the browser): alone, with OTHERS other sessions open on the learning view and paused, with
   those sessions playing (distinct seeds: the worker computes each of their runs), and with OTHERS
   sessions playing one run (one seed, as a class at the defaults: computed once).  The other
   sessions are students over Bokeh's websocket protocol without a browser (benchmarks/_browser_session.py,
   as load.py drives them): the server does for them all it does for a browser, but no renderer of
   theirs competes with the server for this machine's two cores (in a class each student's browser has
   its own machine).  They read every message, and the messages with new plot data each received show
   they played.

Prints medians over repeats and the ratios measured in this run; no asserts.  Issue 9's targets: a
playing run costs the server <= 10 % of a core; with 5 other sessions playing, control-to-redraw
<= 1.5x its idle value.
"""

import asyncio
import json
import statistics
import sys
import threading
import time
from pathlib import Path

from _browser_session import BrowserSession, carries_plot_data, objects
from tornado.httpclient import AsyncHTTPClient

from dashboard.testing import (
    chromium,
    cpu_seconds,
    data_fingerprint,
    serve_app,
    type_value,
    wait_for_data_change,
    wait_until,
)

WINDOW_S = 10.0  #: length of one CPU measurement [s]
OTHERS = 5  #: sessions playing beside the measured one
LATENCY_REPEATS = 7  #: voltage changes per latency median
RUN_STEPS = 10_000  #: steps of every played run: ~30 s of playing at 100 steps per 0.3 s tick
REDRAW_TIMEOUT_MS = 30_000  #: a change not drawn by then counts as never (inf)
PLAY_BEFORE_S = 3.0  #: seconds the other students play (after their first plot data) before measuring

#: Text of a pane (Panel keeps it in a shadow root beside <style> elements).
TEXT_JS = ("e => [...(e.shadowRoot || e).children].filter(c => c.tagName !== 'STYLE')"
           ".map(c => c.innerText).join(' ')")


def children(pid):
    """Process ids of every descendant of ``pid`` (the server's worker pool and its helpers)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        kids = [p for p, pp in parents.items() if pp == parent]
        found += kids
        todo += kids
    return found


def cpu_share(pid, seconds):
    """(server, workers): CPU seconds per wall second of the process ``pid`` and of its descendants,
    over ``seconds`` of wall time."""
    kids = children(pid)
    start = time.perf_counter(), cpu_seconds(pid), sum(cpu_seconds(k) for k in kids)
    time.sleep(seconds)
    kids = set(kids) | set(children(pid))  # a pool started meanwhile counts from its start
    wall = time.perf_counter() - start[0]
    return (cpu_seconds(pid) - start[1]) / wall, (sum(cpu_seconds(k) for k in kids) - start[2]) / wall


def summary(page):
    """Text of the learning summary ('' until it is shown; Playwright's locators see into shadow roots)."""
    return " ".join(" ".join(el.evaluate(TEXT_JS) for el in page.locator(".fndam-summary").all()).split())


def steps_shown(page):
    """The step count the learning summary shows (-1 before it shows one)."""
    text = summary(page)
    return int(text.split("Step ")[1].split(" of")[0].replace(",", "")) if "Step " in text else -1


def learning_url(url, seed):
    return f"{url}?view=learning&steps={RUN_STEPS}&seed={seed}"


def open_learning(browser, url, seed):
    """A page on the learning view with a RUN_STEPS-step run of ``seed``, paused at step 0 with its
    learning rates searched (the summary shows them)."""
    page = browser.new_page()
    page.goto(learning_url(url, seed))

    def ready():
        text = summary(page)
        assert f"of {RUN_STEPS:,}" in text, text
        assert "η0" in text, text

    wait_until(ready, page, timeout=60_000)
    return page


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def play(page):
    """Press Play and wait until the page shows the run moving."""
    press(page, "Play")
    wait_until(lambda: steps_shown(page) > 0, page, timeout=60_000)


def voltage_latency(page, volts):
    """Median seconds from typing each oxide voltage of ``volts`` to new plot data in the browser; inf
    if one change is not drawn within REDRAW_TIMEOUT_MS (a server that cannot keep up)."""
    samples = []
    for v in volts:
        before = data_fingerprint(page)
        start = time.perf_counter()
        type_value(page, "oxide_voltage", v)
        try:
            wait_for_data_change(page, before, timeout=REDRAW_TIMEOUT_MS, settle=False, interval=10)
        except TimeoutError:
            return float("inf")
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def playing_cost(browser, url, server, repeats):
    """Medians over ``repeats`` seeds of (server, workers) CPU share, paused and playing."""
    paused, playing = [], []
    for seed in range(1, repeats + 1):
        page = open_learning(browser, url, seed)
        paused.append(cpu_share(server, WINDOW_S))
        play(page)
        playing.append(cpu_share(server, WINDOW_S))
        if "(done)" in summary(page):
            print(f"  warning: seed {seed} ended inside the window; the figure undercounts")
        page.close()
        wait_for_idle(server)
    return [tuple(statistics.median(part) for part in zip(*samples, strict=True))
            for samples in (paused, playing)]


def wait_for_idle(pid, timeout=120.0):
    """Wait until the server and its workers use less than 5 % of a core over half a second (the
    messages of closed pages drained)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and sum(cpu_share(pid, 0.5)) > 0.05:
        pass


class Student(BrowserSession):
    """A learning page held over the websocket (no browser) that can press Play, counts the messages
    with new plot data it gets (frames) and notes when its summary shows the searched learning rates."""

    def __init__(self, url, http):
        super().__init__(url, http, timeout=120.0)
        self.frames, self.searched = 0, False

    async def _until(self, wanted, deadline, doing):
        def take(msg):  # keep the models the server adds (the view comes after document_ready)
            if msg.msgtype == "PATCH-DOC":
                events = msg.content["events"]
                self.models.update({obj["id"]: obj for obj in objects(events)})
                self.frames += carries_plot_data(events)
                self.searched = self.searched or "η0" in json.dumps(events, ensure_ascii=False)
            return wanted(msg)

        return await super()._until(take, deadline, doing)

    async def play(self):
        """Press Play (the Toggle labelled Play)."""
        toggle = next(obj for obj in self.models.values() if obj.get("name") == "Toggle"
                      and obj.get("attributes", {}).get("label") == "Play")
        await self._patch([self._changed(toggle, "active", True)])


class Class:
    """OTHERS students on the learning view, held on an event loop in a thread of their own."""

    def __init__(self, url, seeds):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.students = self._run(self._open(url, seeds))
        self.reading = asyncio.run_coroutine_threadsafe(self._read(), self.loop)
        deadline = time.perf_counter() + 120.0
        while not all(student.searched for student in self.students) and time.perf_counter() < deadline:
            time.sleep(0.1)  # their learning rates searched: the worker idle again before measuring

    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    async def _open(self, url, seeds):
        http = AsyncHTTPClient()
        students = [Student(learning_url(url, seed), http) for seed in seeds]
        await asyncio.gather(*(student.open() for student in students))
        return students

    async def _read(self):
        while True:  # as a browser does: take every message as it comes
            await asyncio.gather(*(student.idle(0.2) for student in self.students))

    def play(self):
        async def press_all():
            await asyncio.gather(*(student.play() for student in self.students))

        self._run(press_all())

    def frames(self):
        return [student.frames for student in self.students]

    def wait_for_frames(self, before, timeout=60.0):
        """Wait until every student got plot data since ``frames()`` was ``before``; False on timeout."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if all(now > then for now, then in zip(self.frames(), before, strict=True)):
                return True
            time.sleep(0.05)
        return False

    def close(self):
        self.reading.cancel()
        for student in self.students:
            self.loop.call_soon_threadsafe(student.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def control_latency(browser, url, server, repeats):
    """Medians over ``repeats`` of the observer's control-to-redraw [s]: ``alone``; beside OTHERS
    students on the learning view with distinct seeds, ``paused`` and ``playing`` (the worker computes
    five runs); beside OTHERS students playing the same run (``same``: computed once for all, as for a
    class at the defaults).  ``server`` is the server's process id."""
    observer = browser.new_page()
    observer.goto(url + "?view=band")
    wait_until(lambda: data_fingerprint(observer)[1] > 0, observer, timeout=60_000)
    up = [8.0 + 0.5 * i for i in range(LATENCY_REPEATS)]
    down = [v + 0.25 for v in reversed(up)]  # each pass starts from a value the last did not end on
    results = {"alone": [], "paused": [], "playing": [], "same": []}
    for r in range(repeats):
        results["alone"].append(voltage_latency(observer, up))
        for name, seeds in (("playing", [100 * (r + 1) + i for i in range(OTHERS)]),
                            ("same", [100 * (r + 1) + OTHERS] * OTHERS)):
            others = Class(url, seeds)
            if name == "playing":
                results["paused"].append(voltage_latency(observer, down))
            before = others.frames()
            others.play()
            if not others.wait_for_frames(before):
                print(f"  warning: repeat {r + 1}, {name}: not every student got plot data within a minute "
                      "of Play", flush=True)
            time.sleep(PLAY_BEFORE_S)
            results[name].append(voltage_latency(observer, up if name == "playing" else down))
            shown = [after - b for after, b in zip(others.frames(), before, strict=True)]
            print(f"  repeat {r + 1}, {name}: frames of plot data each student got since Play: {shown}",
                  flush=True)
            others.close()
            wait_for_idle(server)
    observer.close()
    return {name: statistics.median(samples) for name, samples in results.items()}


def main(repeats):
    print(f"bench_play: {repeats} repeats, served from {Path(__import__('dashboard').__file__).parent}",
          flush=True)
    with serve_app() as (url, server), chromium() as browser:
        warm = open_learning(browser, url, 0)  # imports, first page and pool start out of the figures
        play(warm)
        warm.close()
        (paused_main, paused_pool), (main_, pool) = playing_cost(browser, url, server.pid, repeats)
        print(f"one session playing (median of {repeats} runs, {WINDOW_S:g} s windows): server process "
              f"{100 * main_:.1f} % of a core (paused: {100 * paused_main:.1f} %), training workers "
              f"{100 * pool:.1f} % (paused: {100 * paused_pool:.1f} %); target: server <= 10 %", flush=True)
        lat = control_latency(browser, url, server.pid, repeats)
        ms = {name: f"{1e3 * value:.0f} ms" for name, value in lat.items()}
        print(f"control-to-redraw in one page (median of {repeats} x {LATENCY_REPEATS} changes): alone "
              f"{ms['alone']}; beside {OTHERS} learning sessions with distinct runs: paused {ms['paused']}, "
              f"playing {ms['playing']} ({lat['playing'] / lat['paused']:.2f}x paused, "
              f"{lat['playing'] / lat['alone']:.2f}x alone); beside {OTHERS} playing one run: {ms['same']} "
              f"({lat['same'] / lat['paused']:.2f}x paused, {lat['same'] / lat['alone']:.2f}x alone); "
              "target <= 1.5x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
