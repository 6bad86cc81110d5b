"""Load tool: a class of simulated students over websockets (no browser), a soak, a worker killed mid-run.

Run (each starts ``fndam-explorer serve`` on a free port and stops it at the end, unless --url):

    .venv/bin/python benchmarks/load.py --sessions 100 --changes 3          # 100 pages opened at once
    .venv/bin/python benchmarks/load.py --sessions 100 --workers 2          # through the proxy, 2 workers
    .venv/bin/python benchmarks/load.py --url http://labserver:5006/ --sessions 20   # a running server
    .venv/bin/python benchmarks/load.py --soak 1000 --concurrency 4         # memory: 50 cycles vs the end
    .venv/bin/python benchmarks/load.py --workers 2 --sessions 40 --kill-worker-after 10

Each student (benchmarks/_browser_session.py) requests the page keeping its cookies, opens the Bokeh
websocket, pulls the document and reports ``document_ready`` as a browser does, so the server builds the
open view; then, ``--changes`` times after ``--think`` seconds, types a new oxide voltage and waits for
the server's new plot data. Printed: session-ready time (page request to the view's data), update latency
(value sent to new plot data) as p50/p95/max, error counts by kind, the server's CPU per session and the
tool's own CPU (it shares the machine with the server). ``--json FILE`` writes every figure. Before a
measured run, two sessions per worker warm the server up (first imports and caches; not counted).

Soak (``--soak CYCLES``): sessions opened, changed and closed, ``--concurrency`` at a time; every server
process's resident memory (/proc/<pid>/status) is read after the first ``--first`` cycles, every
``--read-every`` cycles after that if given (a plateau and a leak look alike in two readings) and at the
end, each time ``--cull-wait`` seconds after the last page closed (the server drops closed sessions
UNUSED_SESSION_MS to that plus CHECK_SESSIONS_MS after); the ratio of the last reading to the first is
printed (issue 9 wants it within 10 %).

Kill (``--kill-worker-after S``, needs ``--workers``): ``--sessions`` students start at once; after S
seconds one worker gets SIGKILL and ``--after-kill`` new students start: they must all open; errors of
the first wave are listed by the worker the proxy named for each (its X-Upstream header), so they show
they were the killed worker's sessions.

Exit status 0 when every counted session worked (in kill mode: every session started after the kill),
1 otherwise, 2 for bad arguments.
"""

import argparse
import asyncio
import json
import math
import os
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import ExitStack, contextmanager
from pathlib import Path

from _browser_session import BrowserSession, SessionError
from tornado.httpclient import AsyncHTTPClient

from dashboard.serving import CHECK_SESSIONS_MS, UNUSED_SESSION_MS
from dashboard.testing import cpu_seconds, descendants, rss_mb, serve_app

#: Parameter whose control a student types into (the sidebar's oxide voltage box).
CONTROL = "oxide_voltage"
#: Volts below the control's initial value of the successive changes: each change is a new value, and
#: students differ by a few mV so the server's shared physics caches do not answer for everyone.
STEPS_V = [0.5 * k for k in range(1, 9)]
WARMUP_PER_WORKER = 2
#: Soak: seconds from the last close until every closed session has surely been culled.
CULL_WAIT_S = (UNUSED_SESSION_MS + 2 * CHECK_SESSIONS_MS) / 1000


class _Parser(argparse.ArgumentParser):
    """Errors in one line (no usage block), exit status 2."""

    def error(self, message):
        self.exit(2, f"load.py: error: {message} (see 'load.py --help')\n")


def _count(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a number >= {minimum}, got {value}")
        return value
    return parse


def _seconds(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not 0 <= value < math.inf:
        raise argparse.ArgumentTypeError(f"expected a finite number of seconds >= 0, got {text}")
    return value


def _url(text):
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"expected an http:// or https:// URL, got {text!r}")
    return text


def build_parser():
    """The command line (see the module docstring)."""
    parser = _Parser(prog="load.py", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=_count(1), default=10, help="students opening at once (10)")
    parser.add_argument("--changes", type=_count(0), default=3, help="values each student types (3)")
    parser.add_argument("--think", type=_seconds, default=1.0, help="seconds between changes (1)")
    parser.add_argument("--timeout", type=_seconds, default=300.0,
                        help="seconds an open or a change may take before it counts as an error (300)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", type=_url, help="a server already running (default: start one)")
    where.add_argument("--workers", type=_count(1), help="start `fndam-explorer serve --workers K`")
    parser.add_argument("--pid", type=_count(1), action="append", default=[],
                        help="with --url: a server process to measure (with its children; repeatable)")
    parser.add_argument("--soak", type=_count(1), metavar="CYCLES", help="open/close CYCLES sessions")
    parser.add_argument("--concurrency", type=_count(1), default=4, help="soak: sessions at a time (4)")
    parser.add_argument("--first", type=_count(1), default=50,
                        help="soak: cycles after which memory is first read (50)")
    parser.add_argument("--read-every", type=_count(0), default=0, metavar="CYCLES",
                        help="soak: also read memory every CYCLES cycles after the first reading")
    parser.add_argument("--cull-wait", type=_seconds, default=CULL_WAIT_S,
                        help=f"soak: seconds after the last close before memory is read ({CULL_WAIT_S:g})")
    parser.add_argument("--kill-worker-after", type=_seconds, metavar="S",
                        help="SIGKILL one worker S seconds into the run (needs --workers)")
    parser.add_argument("--after-kill", type=_count(1), default=10,
                        help="kill mode: students starting right after the kill (10)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure to FILE")
    return parser


def percentile(values, q):
    """The nearest-rank ``q``-th percentile of ``values`` (q in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(values):
    """n, p50, p95 and max of ``values`` (same unit as the values)."""
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "max": max(values, default=math.nan)}


def command_line(pid):
    """The command of process ``pid`` as one short string ('' once it has ended): file paths by their
    last part, so the words that tell processes apart survive a long install folder."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return ""
    return " ".join(Path(arg).name if arg.startswith("/") else arg for arg in args if arg)[:90]


def server_processes(roots):
    """{pid: command} of the server processes: ``roots`` and their descendants that still run."""
    pids = sorted({pid for root in roots for pid in (root, *descendants(root))})
    return {pid: cmd for pid in pids if (cmd := command_line(pid))}


def workers(root):
    """Pids of the app server processes below ``root``: the Python ones (the proxy is not Python)."""
    python = os.path.realpath(sys.executable)
    found = []
    for pid in sorted(descendants(root)):
        try:
            if os.path.realpath(f"/proc/{pid}/exe") == python:
                found.append(pid)
        except OSError:
            continue
    return found


def total_cpu(roots):
    """CPU seconds used so far by the server processes (NaN when there is no process to read)."""
    processes = server_processes(roots)
    return sum(cpu_seconds(pid) for pid in processes) if processes else math.nan


def memory(roots):
    """{"pid command": resident MB} of every server process."""
    return {f"{pid} {cmd}": rss_mb(pid) for pid, cmd in server_processes(roots).items()}


@contextmanager
def served(worker_count, log):
    """``fndam-explorer serve`` (with ``--workers K`` if given) on a free port; yields (url, process).

    Whatever of it is still running once the command has stopped (a worker or the proxy) is killed
    by pid.
    """
    options = ["--workers", str(worker_count)] if worker_count else []
    with serve_app(log=log, timeout=180_000, args=options) as (url, proc):
        try:
            yield url, proc
        finally:
            started = descendants(proc.pid)
    for pid in started:
        if command_line(pid):
            os.kill(pid, signal.SIGKILL)


def change_value(index, change):
    """The voltage [V] student ``index`` types at its ``change``-th change (below the 10 V default)."""
    return round(10.0 - STEPS_V[change % len(STEPS_V)] - 0.01 * (index % 50), 2)


async def student(url, http, index, args):
    """One student: open the page, type ``args.changes`` values, leave. Returns the session's record."""
    record = {"index": index, "ready_s": None, "latency_s": [], "error": None}
    session = BrowserSession(url, http, args.timeout)
    try:
        record["ready_s"] = await session.open()
        for change in range(args.changes):
            await session.idle(args.think)
            record["latency_s"].append(await session.set_value(CONTROL, change_value(index, change)))
        await session.idle(args.think)  # reads the result before leaving, as a student does
    except (SessionError, TimeoutError) as exc:
        record["error"] = str(exc)
    finally:
        record.update(cookie=session.cookie, upstreams=session.upstreams, phases_s=session.phases)
        session.close()
    return record


async def class_at_once(url, http, count, args, first_index=0):
    """``count`` students starting at the same moment; their records."""
    return await asyncio.gather(*(student(url, http, first_index + i, args) for i in range(count)))


async def warm_up(url, http, count, args):
    """Sessions one after another before measuring (the first pages pay imports and cold caches)."""
    return [await student(url, http, -1 - i, argparse.Namespace(**{**vars(args), "changes": 1, "think": 0}))
            for i in range(count)]


def soak_milestones(args):
    """Cycle counts after which the soak reads memory: ``--first``, every ``--read-every``, the end."""
    steps = range(args.first + args.read_every, args.soak, args.read_every) if args.read_every else []
    return [args.first, *steps, args.soak]


async def soak(url, http, args, roots):
    """Open/close cycles ``args.concurrency`` at a time; memory at each of :func:`soak_milestones`."""
    records, readings = [], {}
    next_index = 0

    async def cycles_until(target):
        nonlocal next_index
        while next_index < target:
            index, next_index = next_index, next_index + 1
            records.append(await student(url, http, index, args))

    for target in soak_milestones(args):
        await asyncio.gather(*(cycles_until(target) for _ in range(args.concurrency)))
        await asyncio.sleep(args.cull_wait)
        readings[f"after {target} cycles"] = memory(roots)
        print(f"  {len(records)} cycles done; memory read {args.cull_wait:g} s after the last close",
              flush=True)
    return records, readings


async def kill_run(url, http, args, root):
    """The first wave at once, one worker killed after ``args.kill_worker_after`` s, a second wave."""
    first = asyncio.ensure_future(class_at_once(url, http, args.sessions, args))
    await asyncio.sleep(args.kill_worker_after)
    victims = workers(root)
    if not victims:
        raise SystemExit("load.py: error: found no worker process to kill below the server")
    victim = victims[0]
    killed = {"pid": victim, "command": command_line(victim), "at_s": args.kill_worker_after}
    os.kill(victim, signal.SIGKILL)
    print(f"  killed worker {victim} ({killed['command']}) at {args.kill_worker_after:g} s", flush=True)
    second = await class_at_once(url, http, args.after_kill, args, first_index=args.sessions)
    return await first, second, killed


def error_counts(records):
    """{error message: sessions that ended with it}, most frequent first."""
    return dict(Counter(r["error"] for r in records if r["error"]).most_common())


def report(title, records):
    """Print ready and latency figures and errors of ``records``; return them as a dict."""
    ready = summary([r["ready_s"] for r in records if r["ready_s"] is not None])
    latency = summary([s for r in records for s in r["latency_s"]])
    errors = error_counts(records)
    print(f"{title}: {len(records)} sessions, {sum(errors.values())} with errors")
    print(f"  session ready [s]:   p50 {ready['p50']:.2f}  p95 {ready['p95']:.2f}  max {ready['max']:.2f}"
          f"  (n={ready['n']})")
    print(f"  update latency [ms]: p50 {latency['p50'] * 1e3:.0f}  p95 {latency['p95'] * 1e3:.0f}"
          f"  max {latency['max'] * 1e3:.0f}  (n={latency['n']})")
    phases = {step: percentile([r["phases_s"][step] for r in records if step in r["phases_s"]], 50)
              for step in ("page", "ack", "pulled", "view")}
    print("  opening, p50 of when each step ended [s]: "
          + ", ".join(f"{step} {seconds:.2f}" for step, seconds in phases.items()))
    for error, count in errors.items():
        print(f"  {count} x {error}")
    workers_seen, split = by_worker(records), split_sessions(records)
    if "(not named)" not in workers_seen:
        print(f"  [sessions, with errors] by worker: {workers_seen}; page and websocket on different "
              f"workers: {split}")
    return {"ready_s": ready, "latency_s": latency, "phases_p50_s": phases, "errors": errors,
            "by_worker": workers_seen,
            "split_sessions": split}


def by_worker(records):
    """{worker the proxy named for the websocket: [sessions, sessions with errors]} of ``records``."""
    groups = defaultdict(lambda: [0, 0])
    for r in records:
        worker = r["upstreams"].get("websocket") or r["upstreams"].get("page") or "(not named)"
        groups[worker][0] += 1
        groups[worker][1] += bool(r["error"])
    return dict(groups)


def split_sessions(records):
    """Sessions whose page and websocket the proxy sent to different workers (affinity broken)."""
    return sum(1 for r in records if len({r["upstreams"].get("page"), r["upstreams"].get("websocket")}
                                         - {None}) > 1)


def print_memory(readings):
    """Print each server process's memory at every reading; return {process: last / first reading}."""
    first, *_, last = readings.values()
    print("  resident memory [MB], " + " -> ".join(readings) + " (last / first):")
    ratios = {}
    for name in sorted(set().union(*readings.values())):
        values = [reading.get(name, math.nan) for reading in readings.values()]
        ratios[name] = last.get(name, math.nan) / first.get(name, math.nan)
        print(f"    {name}: {' -> '.join(f'{mb:.1f}' for mb in values)} ({ratios[name]:.3f}x)")
    return ratios


async def measure(url, args, roots, results):
    """Run the mode ``args`` asks for against ``url``; fill ``results``; return True if it all worked."""
    http = AsyncHTTPClient(force_instance=True, max_clients=max(args.sessions + args.after_kill,
                                                                args.concurrency))
    try:
        warm = await warm_up(url, http, WARMUP_PER_WORKER * (args.workers or 1), args)
        if error_counts(warm):
            print(f"warm-up errors: {error_counts(warm)}")
        cpu, wall, client = total_cpu(roots), time.perf_counter(), time.process_time()
        if args.soak:
            records, readings = await soak(url, http, args, roots)
            results.update(report(f"soak, {args.concurrency} at a time", records), sessions=records,
                           memory=readings, memory_ratio=print_memory(readings) if roots else None)
            ok = not error_counts(records)
        elif args.kill_worker_after is not None:
            first, second, killed = await kill_run(url, http, args, roots[0])
            results["killed"] = killed
            results["before_kill"] = report(f"{args.sessions} at once, a worker killed", first)
            results["after_kill"] = report(f"{args.after_kill} started right after the kill", second)
            results["sessions"] = first + second
            records, ok = first + second, not error_counts(second)
        else:
            records = await class_at_once(url, http, args.sessions, args)
            results.update(report(f"{args.sessions} at once", records), sessions=records)
            ok = not error_counts(records)
    finally:
        http.close()
    wall, client, cpu = time.perf_counter() - wall, time.process_time() - client, total_cpu(roots) - cpu
    results.update(wall_s=wall, load_tool_cpu_s=client, server_cpu_s=cpu)
    if args.kill_worker_after is not None:
        cpu, server = math.nan, "server CPU not measured (the killed worker's CPU time went with it)"
    elif math.isfinite(cpu):
        server = f"server CPU {cpu:.1f} s ({cpu / len(records):.2f} s per session with its changes)"
    else:
        server = "server CPU not measured (give --pid)"
    print(f"  wall {wall:.0f} s; {server}; this tool's CPU {client:.1f} s")
    return ok


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.kill_worker_after is not None and not args.workers:
        parser.error("--kill-worker-after needs --workers K (it kills one of the workers)")
    if args.soak and args.first >= args.soak:
        parser.error(f"--first ({args.first}) must be below --soak ({args.soak}): memory after the first "
                     "cycles is compared with memory at the end")
    if args.pid and not args.url:
        parser.error("--pid is for --url (a server this tool starts is measured by itself)")
    results = {"command": sys.argv, "args": {k: str(v) for k, v in vars(args).items()}}
    if args.url:
        print(f"against {args.url}")
        ok = asyncio.run(measure(args.url, args, args.pid, results))
    else:
        with ExitStack() as stack:
            log = stack.enter_context(tempfile.NamedTemporaryFile("w", prefix="load-server-", suffix=".log",
                                                                  delete=False))
            try:
                url, proc = stack.enter_context(served(args.workers, log))
            except TimeoutError as exc:  # it exited or never answered: say why in one line
                sys.exit(f"load.py: error: the server did not start: {exc}")
            print(f"serving at {url} ({args.workers or 1} worker(s){', proxy' if args.workers else ''})")
            ok = asyncio.run(measure(url, args, [proc.pid], results))
        if ok:
            os.unlink(log.name)
        else:
            print(f"  server log kept: {log.name}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
