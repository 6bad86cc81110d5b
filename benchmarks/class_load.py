"""Issue 11's measurements: a live class of simulated students voting through the proxy, every vote
counted exactly once, how soon the presenter's page shows it, and a worker killed mid-question.

Run (each starts its servers on free ports and stops them at the end):

    .venv/bin/python benchmarks/class_load.py --students 100                     # SQLite, 2 workers
    .venv/bin/python benchmarks/class_load.py --students 100 --store redis        # Redis, two hosts
    .venv/bin/python benchmarks/class_load.py --students 100 --kill-worker-after 4

Servers. ``--store sqlite`` (default): ``fndam-explorer serve --workers 2 --store sqlite:///...``, two
workers behind its nginx. ``--store redis``: a throwaway ``redis-server`` on 127.0.0.1
(dashboard.classroom.local_redis) and the several-hosts recipe of deploy/README.md: one app server on
each simulated host, 127.0.0.2 and 127.0.0.3, both ``--store redis://...``, one nginx in front.

Class. A presenter page (a websocket session, benchmarks/_browser_session.py, as every page here)
presses "Start a live class" as the lecturer does, so the class is made by the page (and read by it)
exactly as in the room: its join code, its presenter secret (from its presenter link) and the first
question, open for votes, come from what the page is sent. The presenter page keeps reading its
messages; each new ``counts`` it is sent is noted with the time it arrived.

Students. ``--students`` pages open ``?class=CODE`` through the proxy (all at once; the time to open is
reported, it is not part of the voting window). Then, within ``--window`` seconds, each sends a random
answer at a random moment as the page's "Send my answer" does (the component's ``vote`` message with the
question, the answer, a random voter id and a request number that only grows), and waits for the page's
acknowledgement (its content counts the answer, no refusal); ``--change`` of them change their answer once,
later in the window. Vote to presenter: from sending a vote to the first counts the presenter's page is
sent after that vote was acknowledged (a read of the store that began before the vote was written can
only arrive that late if it travelled slower than the acknowledgement; the exactly-once check below
would not see it, so this is the delay to the first update that can hold the vote).

Checks. At the end the presenter's last counts, and the store's own counts (read with the secret), must
equal the histogram of the last answer each student sent: every vote counted exactly once.

Kill (``--kill-worker-after S``): S seconds into the window one app process that is not the presenter's
gets SIGKILL (a worker of ``--workers 2``, restarted by the supervisor; a host in redis mode, which stays
down). Students whose websocket dies reload the page (the same cookies, as a browser reload) and send
their answer again if it was not acknowledged, then go on. Checked as above, and that every answer
acknowledged before the kill that was still its student's answer at the end is in the final counts.

Exit status 0 when every check held and no student ended with an error, 1 otherwise, 2 for bad arguments.
"""

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path

from _browser_session import BrowserSession, SessionError
from load import _count, _seconds, command_line, summary, workers
from tornado.httpclient import AsyncHTTPClient

from dashboard import proxy
from dashboard.auth import SECRET_ENV
from dashboard.classroom import open_store
from dashboard.classroom.local_redis import local_redis
from dashboard.serving import LIVENESS_PATH
from dashboard.testing import free_port, responds, serve_app, wait_until
from dashboard.views.classroom import presenter_secret

#: The JSComponents of dashboard/views/classroom.py: the header's start button and the class region.
START, PANEL = "ClassStart", "ClassPanel"
#: The simulated hosts of the redis mode (deploy/README.md's recipe, as tests/test_deploy.py runs it).
HOSTS = ("127.0.0.2", "127.0.0.3")
PORT_ARG = re.compile(r"--port (\d+)")


class Refused(Exception):
    """The page refused an action: its message, in one line."""


class ClassPage:
    """A page of the app in a live class, over a :class:`BrowserSession`: what its class region shows
    (``content``) and the actions its buttons send."""

    def __init__(self, session):
        self.session = session

    @property
    def content(self):
        return self.session.value(self.session.component(PANEL), "content") or {}

    async def act(self, data, timeout):
        """Send ``data`` as the region's (or, for ``start``, the header button's) message and wait for
        the page's answer (its ``said`` counter moves); return the content. Raises Refused."""
        said = self.content.get("said", 0)
        component = self.session.component(START if data["action"] == "start" else PANEL)
        await self.session.send_msg(component, data)
        await self.session.until(lambda: self.content.get("said", 0) > said, timeout,
                                 f"waiting for the page's answer to {data['action']}")
        content = self.content
        if content.get("message"):
            raise Refused(content["message"])
        return content


class Voter:
    """What a student's browser keeps in localStorage: a random voter id and the last request number
    (the time in ms, or one more than the last: it only grows, across reloads too)."""

    def __init__(self):
        self.id, self.seq = secrets.token_urlsafe(18), 0

    def next_seq(self):
        self.seq = max(int(time.time() * 1000), self.seq + 1)
        return self.seq


def plan(rng, students, window_s, changing, n_choices):
    """Each student's votes: [(seconds into the window, answer)], a random first answer in the first
    70 % of the window, and for ``changing`` students a different one later."""
    plans = []
    for index in range(students):
        at, answer = rng.uniform(0, 0.7 * window_s), rng.randrange(n_choices)
        votes = [(at, answer)]
        if index < changing:
            other = rng.choice([a for a in range(n_choices) if a != answer])
            votes.append((rng.uniform(at + 0.1 * window_s, window_s), other))
        plans.append(votes)
    return plans


async def joined(page, timeout):
    """Wait until the page shows the class to its student; Refused if it says why it cannot."""
    content = lambda: page.content  # noqa: E731 - read afresh after every message
    try:
        await page.session.until(lambda: content().get("role") == "student" or content().get("message"),
                                 timeout, "joining the class")
    except TimeoutError:
        where = f"role {content()['role']}" if content().get("role") else "no class"
        raise TimeoutError(f"timeout while joining the class (the page is in {where})") from None
    if content().get("role") != "student":
        raise Refused(content()["message"])


async def reload(page, record, timeout, tries=3):
    """Open the page again (a browser reload) until it is back in the class; up to ``tries`` times,
    a second apart (the proxy may still try the dead process first)."""
    for attempt in range(tries):
        record["reloads"] += 1
        try:
            await page.session.reload()
            await joined(page, timeout)
            record["upstream"] = page.session.upstreams.get("websocket")
            return
        except SessionError:
            if attempt == tries - 1:
                raise
            await asyncio.sleep(1)


async def student(url, http, votes, question, start, arrived, timeout):
    """One student: open ``?class=CODE``, call ``arrived()`` (also if that failed), send ``votes`` at
    their moments (seconds) after the window starts (``start``, a future of its perf_counter time),
    reloading the page if its websocket dies. Returns its record."""
    session, voter = BrowserSession(url, http, timeout), Voter()
    page = ClassPage(session)
    record = {"sent": [], "acked": [], "last_sent": None, "reloads": 0, "error": None, "open_s": None}
    try:
        try:
            record["open_s"] = await session.open()
            await joined(page, timeout)
            record["joined_on"] = record["upstream"] = session.upstreams.get("websocket")
        finally:
            arrived()
        await start
        for at, answer in votes:
            while True:  # a vote, sent again after a reload until it is acknowledged
                wait = start.result() + at - time.perf_counter()
                try:
                    if wait > 0:
                        await session.idle(wait)
                    sent = time.perf_counter()
                    record["sent"].append(sent)
                    record["last_sent"] = answer
                    await page.act({"action": "vote", "question": question, "answer": answer,
                                    "voter": voter.id, "seq": voter.next_seq()}, timeout)
                    record["acked"].append({"answer": answer, "sent": sent, "at": time.perf_counter()})
                    break
                except SessionError:
                    await reload(page, record, timeout)
    except (SessionError, TimeoutError, Refused) as exc:
        record["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        record["phases_s"] = session.phases
        session.close()
    return record


async def presenter_page(url, http, timeout):
    """The lecturer's page: open the app, start a class; return (ClassPage, [(arrival, counts)])."""
    session = BrowserSession(url, http, timeout)
    seen = []
    page = ClassPage(session)
    await session.open()
    content = await page.act({"action": "start"}, timeout)
    await session.until(lambda: page.content.get("question") and page.content.get("phase") == "open",
                        timeout, "waiting for the first question")

    def note(events, received):
        counts = page.content.get("counts")
        if counts is not None and (not seen or seen[-1][1] != counts):
            seen.append((received, counts))

    session.on_patch.append(note)
    return page, seen, content


def app_processes(root_pids):
    """{upstream address as the proxy names it: pid} of the app servers below ``root_pids`` (and them)."""
    found = {}
    for root in root_pids:
        for pid in (root, *workers(root)):
            cmd = command_line(pid)
            port = PORT_ARG.search(cmd)
            address = re.search(r"--address (\S+)", cmd)
            if port and "serve" in cmd and ("--workers" not in cmd):
                found[f"{address.group(1) if address else '127.0.0.1'}:{port.group(1)}"] = pid
    return found


async def run_class(url, store_url, roots, args):
    """The class through ``url``; the records and figures (a dict)."""
    http = AsyncHTTPClient(force_instance=True, max_clients=args.students + 2)
    rng = random.Random(args.seed)
    try:
        presenter, seen, content = await presenter_page(url, http, args.timeout)
        code, question = content["code"], content["question"]["key"]
        n_choices = len(content["question"]["choices"])
        secret = presenter_secret("#" + content["links"]["presenter"].split("#", 1)[1])
        plans = plan(rng, args.students, args.window, round(args.change * args.students), n_choices)
        start, all_in = asyncio.get_running_loop().create_future(), asyncio.Event()
        waiting = [len(plans)]

        def arrived():
            waiting[0] -= 1
            if not waiting[0]:
                all_in.set()

        opening = time.perf_counter()
        tasks = [asyncio.ensure_future(student(f"{url}?class={code}", http, votes, question, start, arrived,
                                               args.timeout)) for votes in plans]
        reading = asyncio.ensure_future(presenter.session.idle(10 ** 6))  # the presenter keeps reading
        await all_in.wait()
        opened_s = time.perf_counter() - opening
        killed = None
        start.set_result(time.perf_counter())
        if args.kill_worker_after is not None:
            await asyncio.sleep(args.kill_worker_after)
            killed = kill_one(roots, presenter.session.upstreams.get("websocket"))
            killed["at"] = time.perf_counter()
        records = await asyncio.gather(*tasks)
        expected = Counter(r["last_sent"] for r in records if r["last_sent"] is not None)
        expected = [expected.get(a, 0) for a in range(n_choices)]
        settled = await settle(seen, expected, args.settle)
        reading.cancel()
        presenter.session.close()
    finally:
        http.close()
    store = open_store(store_url)
    try:
        class_id, _ = store.join(code)
        stored, message = store.counts(class_id, question, n_choices, secret)
    finally:
        store.close()
    return figures(records, seen, expected, stored or message, settled, opened_s, killed, args)


async def settle(seen, expected, seconds):
    """Wait up to ``seconds`` until the presenter's page was sent ``expected`` as its latest counts
    (``seen`` grows as the presenter's reader takes its messages); True if it was."""
    end = time.perf_counter() + seconds
    while not (seen and seen[-1][1] == expected):
        if time.perf_counter() > end:
            return False
        await asyncio.sleep(0.05)
    return True


def kill_one(roots, presenter_upstream):
    """SIGKILL an app process that is not the presenter page's; what was killed."""
    processes = app_processes(roots)
    victims = sorted(address for address in processes if address != presenter_upstream)
    if not victims:
        raise SystemExit(f"class_load.py: error: no app process to kill but the presenter's: {processes}")
    pid = processes[victims[0]]
    os.kill(pid, signal.SIGKILL)
    print(f"  killed {victims[0]} (pid {pid}, {command_line(pid)[:60]})", flush=True)
    return {"address": victims[0], "pid": pid}


def figures(records, seen, expected, stored, settled, opened_s, killed, args):
    """Latency, counts and checks of a run (printed by :func:`report`)."""
    delays = []
    for record in records:
        for vote in record["acked"]:
            shown = next((t for t, _ in seen if t >= vote["at"]), None)
            if shown is not None:
                delays.append(shown - vote["sent"])
    acked = sum(len(r["acked"]) for r in records)
    result = {
        "students": len(records), "opened_s": opened_s,
        "open_s": summary([r["open_s"] for r in records if r["open_s"] is not None]),
        "votes_sent": sum(len(r["sent"]) for r in records), "votes_acked": acked,
        "vote_to_presenter_s": summary(delays), "unseen_votes": acked - len(delays),
        "errors": dict(Counter(r["error"] for r in records if r["error"])),
        "expected": expected, "presenter": seen[-1][1] if seen else None, "store": stored,
        "presenter_settled": settled, "by_worker": dict(Counter(r.get("joined_on") for r in records)),
        "by_worker_at_end": dict(Counter(r.get("upstream") for r in records)),
        "reloads": sum(r["reloads"] for r in records), "sessions": records,
    }
    result["exactly_once"] = result["presenter"] == expected and stored == expected
    if killed:
        kill_at = killed.pop("at")
        before = [v for r in records for v in r["acked"][-1:] if v["at"] < kill_at]
        result["killed"] = killed
        result["acked_before_kill_and_kept"] = len(before)
        result["students_reloaded"] = sum(1 for r in records if r["reloads"])
        # every such answer is in the final counts iff the final counts are exactly the last answers
        result["no_acked_vote_lost"] = result["exactly_once"]
    return result


def report(result):
    """Print a run's figures; True if its checks held."""
    lat = result["vote_to_presenter_s"]
    print(f"{result['students']} students joined in {result['opened_s']:.1f} s "
          f"(each page open p50 {result['open_s']['p50']:.2f} s, p95 {result['open_s']['p95']:.2f} s); "
          f"joined on: {result['by_worker']}")
    print(f"  votes sent {result['votes_sent']}, acknowledged {result['votes_acked']}; reloads "
          f"{result['reloads']}; errors {result['errors'] or 'none'}")
    print(f"  vote to presenter [ms]: p50 {lat['p50'] * 1e3:.0f}  p95 {lat['p95'] * 1e3:.0f}  "
          f"max {lat['max'] * 1e3:.0f}  (n={lat['n']}; {result['unseen_votes']} acknowledged votes never "
          f"followed by a presenter update)")
    print(f"  counts: sent (last answer of each) {result['expected']}, presenter {result['presenter']}, "
          f"store {result['store']}: exactly once {'yes' if result['exactly_once'] else 'NO'}")
    ok = result["exactly_once"] and not result["errors"]
    if "killed" in result:
        print(f"  killed {result['killed']['address']}; {result['students_reloaded']} students reloaded; "
              f"{result['acked_before_kill_and_kept']} answers acknowledged before the kill and kept to "
              f"the end: all counted {'yes' if result['no_acked_vote_lost'] else 'NO'}")
    return ok


@contextmanager
def sqlite_class(folder, log):
    """``fndam-explorer serve --workers 2`` on an SQLite store in ``folder``; yields (url, store URL,
    server pids)."""
    store = f"sqlite:///{folder / 'classes.sqlite'}"
    with serve_app(log=log, timeout=180_000, args=("--workers", "2", "--store", store)) as (url, proc):
        yield url, store, [proc.pid]


@contextmanager
def redis_class(folder, log):
    """A redis-server, one app server on each of :data:`HOSTS` sharing it, one nginx in front (the
    recipe of deploy/README.md); yields (url, store URL, app server pids)."""
    if missing := proxy.missing_nginx():
        raise SystemExit(f"class_load.py: error: {missing}")
    with local_redis() as store, ExitStack() as stack:
        app_port, public_port = free_port(), free_port()
        public = f"localhost:{public_port}"
        env = {**os.environ, proxy.CDN_ENV: proxy.cdn_root(public), SECRET_ENV: secrets.token_urlsafe(32)}
        hosts = [stack.enter_context(_running([sys.executable, "-m", "dashboard.cli", "serve", "--address",
                                               host, "--port", str(app_port), "--allow-websocket-origin",
                                               public, "--store", store], env, log)) for host in HOSTS]
        run_dir = proxy.make_run_dir(folder)
        site = proxy.site_config(f"127.0.0.1:{public_port}", [f"{h}:{app_port}" for h in HOSTS])
        (run_dir / "nginx.conf").write_text(proxy.main_config(run_dir, site))
        stack.enter_context(_running(proxy.nginx_command(run_dir), None, log))
        for host in HOSTS:
            wait_until(lambda h=host: responds(f"http://{h}:{app_port}{LIVENESS_PATH}"), timeout=120_000,
                       interval=200)
        url = f"http://{public}/"
        wait_until(lambda: responds(url.rstrip("/") + LIVENESS_PATH), timeout=20_000)
        yield url, store, [p.pid for p in hosts]


@contextmanager
def _running(command, env, log):
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(15)


def build_parser():
    parser = argparse.ArgumentParser(prog="class_load.py", description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=_count(1), default=100, help="students in the class (100)")
    parser.add_argument("--window", type=_seconds, default=10.0, help="seconds in which they vote (10)")
    parser.add_argument("--change", type=float, default=0.3,
                        help="share of students who change their answer once (0.3)")
    parser.add_argument("--store", choices=("sqlite", "redis"), default="sqlite",
                        help="sqlite: serve --workers 2; redis: two simulated hosts (sqlite)")
    parser.add_argument("--kill-worker-after", type=_seconds, metavar="S",
                        help="SIGKILL an app process (not the presenter's) S seconds into the window")
    parser.add_argument("--timeout", type=_seconds, default=300.0,
                        help="seconds an open or a vote may take before it counts as an error (300)")
    parser.add_argument("--settle", type=_seconds, default=10.0,
                        help="seconds the presenter's page may take to show the final counts (10)")
    parser.add_argument("--seed", type=int, default=11, help="random seed of the answers and moments (11)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure to FILE")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if not 0 <= args.change <= 1:
        sys.exit("class_load.py: error: --change is a share from 0 to 1")
    servers = redis_class if args.store == "redis" else sqlite_class
    with tempfile.TemporaryDirectory(prefix="fndam-class-load-") as folder, \
            open(Path(folder) / "server.log", "w") as log:
        with servers(Path(folder), log) as (url, store, roots):
            print(f"serving at {url}, store {store.split(':')[0]}", flush=True)
            result = asyncio.run(run_class(url, store, roots, args))
        ok = report(result)
        if not ok:
            print("  server log (last 20 lines):\n" + "\n".join(
                Path(log.name).read_text().splitlines()[-20:]))
    if args.json:
        args.json.write_text(json.dumps({"command": sys.argv, **result}, indent=1, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
