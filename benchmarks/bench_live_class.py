"""How soon a student's vote shows on the presenter's page, through the whole app (issue 11: within a
second), and what a page in a class costs its server while nothing happens.

Run: .venv/bin/python benchmarks/bench_live_class.py [votes]   (default 40)

1. Vote to presenter. The app is served as a lab serves it, two workers behind the proxy, on a
   throwaway SQLite store (``--store``); in Chromium a presenter page starts a class and three student
   pages (each its own browser context: its own voter) join it, spread over both workers. Then, one vote
   at a time, a student changes their answer (so every vote changes the counts) and the delay is taken
   from the press of "Send my answer" (``Date.now()`` in the student's page) to the moment the
   presenter's page shows the new counts (a MutationObserver there, same clock): the websocket message,
   the store's write, the presenter's worker's next read of the class's version (every POLL_MS, one
   read per class and worker: dashboard/views/classroom.py ClassWatch), the page's own read and the
   redraw. Between votes
   a random pause (0.2 to 1.2 s) puts each vote at a random point of the poll cycle. Prints p50, p95 and
   the worst delay.
2. Idle cost. One app server (no proxy); six student pages sit in a class that does not move for 20 s,
   then leave it and sit 20 s more: the server's CPU time (/proc) in the first state less the second,
   per page, is what following the class costs a page while it does not move (with one read per class
   and tick whatever the number of pages, little), and 100 such pages take that times 100.
"""

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from dashboard.proxy import ROUTE_COOKIE
from dashboard.testing import chromium, cpu_seconds, serve_app, wait_until
from dashboard.views.classroom import POLL_MS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from proxy_helpers import health_worker  # the tests' helper, found beside them

STUDENTS = 3
#: Student pages, and seconds, of the idle measurement.
IDLE_PAGES, IDLE_S = 6, 20
#: Install in the presenter's page: every change of the counts it shows, with Date.now().
OBSERVE_JS = """el => {
  window.__counts = [];
  const read = () => [...el.querySelectorAll('.fndam-live-bar-count')]
    .map(c => c.innerText.split(' ')[0]).join(',');
  new MutationObserver(() => window.__counts.push([Date.now(), read()]))
    .observe(el, {subtree: true, childList: true, characterData: true});
  return read();
}"""
#: Press "Send my answer" in a student's page; the time of the press.
PRESS_JS = "b => { const t = Date.now(); b.click(); return t }"


def routes(url, count=2):
    """Route cookies that send browsers to ``count`` different workers through the proxy."""
    found = {}
    while len(found) < count:
        worker, cookie = health_worker(url)
        found.setdefault(worker, cookie)
    return list(found.values())


def open_page(browser, url, route, query, ready):
    """A page in a browser context of its own, routed to one worker, once ``ready`` (a selector) shows."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": url}])
    page = context.new_page()
    page.goto(url + query)
    page.locator(ready).first.wait_for(timeout=60_000)
    return page


def vote_delays(url, votes):
    """Delays [ms] from each press of "Send my answer" to the presenter's page showing the new counts."""
    with chromium() as browser:
        workers = routes(url)
        presenter = open_page(browser, url, workers[0], "", ".fndam-live-start")
        presenter.locator(".fndam-live-start").click()
        presenter.locator(".fndam-live-presenter").wait_for(timeout=60_000)
        code = presenter.locator(".fndam-live-code strong").first.inner_text()
        shown = presenter.locator(".fndam-live-presenter").evaluate(OBSERVE_JS)
        students = [open_page(browser, url, workers[(i + 1) % 2], f"?class={code}", ".fndam-live-choice")
                    for i in range(STUDENTS)]
        answers = [None] * STUDENTS
        delays = []
        for n in range(votes):
            i = n % STUDENTS
            answers[i] = 1 if answers[i] == 0 else 0  # a changed answer: the counts change
            student = students[i]
            student.locator(".fndam-live-choice input").nth(answers[i]).check()
            counts = [answers.count(choice) for choice in range(4)]
            expected = ",".join(map(str, counts))
            assert expected != shown, "a vote that changes nothing cannot be timed"
            pressed = student.locator(".fndam-live-send").evaluate(PRESS_JS)

            def seen(expected=expected):
                return any(text == expected for _, text in presenter.evaluate("window.__counts"))

            wait_until(seen, presenter, timeout=10_000, interval=20)
            at = next(t for t, text in presenter.evaluate("window.__counts") if text == expected)
            delays.append(at - pressed)
            presenter.evaluate("window.__counts = []")
            shown = expected
            presenter.wait_for_timeout(random.uniform(200, 1200))
        return delays


def idle_cpu_per_page(url, pid, pages=IDLE_PAGES, seconds=IDLE_S):
    """Server CPU [s per s] that one page costs while it sits in a class that does not move, less what
    it costs once it has left the class (the difference is the polling): ``pages`` student pages of the
    server ``pid`` at ``url``, each state measured over ``seconds``."""
    with chromium() as browser:
        presenter = browser.new_page()
        presenter.goto(url)
        presenter.locator(".fndam-live-start").click()
        presenter.locator(".fndam-live-presenter").wait_for(timeout=60_000)
        code = presenter.locator(".fndam-live-code strong").first.inner_text()
        presenter.close()  # its session goes; the class stays in the store
        students = []
        for _ in range(pages):
            student = browser.new_context().new_page()
            student.goto(f"{url}?class={code}")
            student.locator(".fndam-live-choice").first.wait_for(timeout=60_000)
            students.append(student)

        def server_cpu():
            time.sleep(5)  # the presenter's session dropped, pages settled
            before = cpu_seconds(pid)
            time.sleep(seconds)
            return (cpu_seconds(pid) - before) / seconds

        in_class = server_cpu()
        for student in students:
            student.locator(".fndam-live-leave").click()
            student.locator(".fndam-live-start").wait_for(timeout=60_000)
        left = server_cpu()
    return (in_class - left) / pages


def main():
    votes = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    random.seed(1)
    with tempfile.TemporaryDirectory(prefix="fndam-bench-live-") as folder:
        store = f"sqlite:///{Path(folder) / 'classes.sqlite'}"
        with open(Path(folder) / "server.log", "w") as log, \
                serve_app(log=log, args=("--workers", "2", "--store", store)) as (url, _):
            started = time.monotonic()
            delays = sorted(vote_delays(url, votes))
            took = time.monotonic() - started
        p95 = delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))]
        print(f"vote to presenter, 2 workers behind the proxy, poll every {POLL_MS} ms: {len(delays)} votes "
              f"in {took:.0f} s: p50 {statistics.median(delays):.0f} ms, p95 {p95:.0f} ms, "
              f"worst {delays[-1]:.0f} ms")
        with open(Path(folder) / "server-1.log", "w") as log, \
                serve_app(log=log, args=("--store", store)) as (url, server):
            per_page = idle_cpu_per_page(url, server.pid)
        print(f"idle cost of a page in a class (poll every {POLL_MS} ms), one server, {IDLE_PAGES} pages "
              f"over {IDLE_S} s: {1000 * per_page:.2f} ms of CPU per s, so 100 pages take "
              f"{100 * 100 * per_page:.0f} % of a core")

if __name__ == "__main__":
    main()
