"""benchmarks/load.py, the load tool, run as a lab would run it against a really served app, so that it
cannot rot silently: its students open pages, type values and get new plot data back; its soak reads the
server's memory; a server that is not there gives counted errors, and bad arguments one line."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.proxy import ROUTE_COOKIE
from dashboard.testing import free_port

LOAD = Path(__file__).parents[1] / "benchmarks" / "load.py"


def run_load(*args):
    return subprocess.run([sys.executable, str(LOAD), *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def test_students_open_pages_and_get_new_plot_data(tmp_path):
    out = tmp_path / "load.json"
    result = run_load("--sessions", 3, "--changes", 2, "--think", 0.2, "--timeout", 60, "--json", out)
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())
    sessions = figures["sessions"]
    assert [s["error"] for s in sessions] == [None, None, None]
    assert all(0 < s["ready_s"] < 60 for s in sessions)
    assert all(len(s["latency_s"]) == 2 and all(0 < t < 60 for t in s["latency_s"]) for s in sessions)
    assert (figures["ready_s"]["n"], figures["latency_s"]["n"], figures["errors"]) == (3, 6, {})
    assert figures["ready_s"]["p50"] <= figures["ready_s"]["p95"] <= figures["ready_s"]["max"]
    assert figures["server_cpu_s"] > 0
    assert "3 at once: 3 sessions, 0 with errors" in result.stdout


def test_soak_reads_the_server_memory_after_the_first_cycles_and_at_the_end(tmp_path):
    out = tmp_path / "soak.json"
    result = run_load("--soak", 4, "--first", 2, "--concurrency", 2, "--changes", 1, "--think", 0,
                      "--cull-wait", 1, "--timeout", 60, "--json", out)
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())
    assert len(figures["sessions"]) == 4
    assert figures["errors"] == {}
    first, last = figures["memory"].values()
    assert list(first) == list(last)  # the same process read twice: the one server process
    assert len(first) == 1
    (process,) = first
    assert "fndam-explorer serve" in process
    assert min(first[process], last[process]) > 10  # MB: a Python process with Panel loaded
    assert figures["memory_ratio"][process] == pytest.approx(last[process] / first[process])


def test_through_the_proxy_a_killed_worker_fails_only_its_own_sessions(tmp_path):
    out = tmp_path / "kill.json"
    result = run_load("--workers", 2, "--sessions", 4, "--changes", 2, "--think", 1, "--timeout", 60,
                      "--kill-worker-after", 3, "--after-kill", 2, "--json", out)
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())
    first, after = figures["sessions"][:4], figures["sessions"][4:]
    assert all(s["cookie"].startswith(f"{ROUTE_COOKIE}=") for s in figures["sessions"])
    assert figures["before_kill"]["split_sessions"] == 0  # page and websocket on one worker
    killed = "127.0.0.1:" + re.search(r"--port (\d+)", figures["killed"]["command"]).group(1)
    failed = {s["upstreams"]["websocket"] for s in first if s["error"]}
    assert failed <= {killed}, figures["before_kill"]["by_worker"]
    assert [s["error"] for s in after] == [None, None]
    assert all(s["upstreams"]["websocket"] for s in after)  # named by the proxy: they went through it


def test_a_server_that_is_not_there_gives_counted_errors():
    result = run_load("--url", f"http://localhost:{free_port()}/", "--sessions", 2, "--changes", 1)
    assert result.returncode == 1
    assert "2 at once: 2 sessions, 2 with errors" in result.stdout
    assert "2 x page request failed" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--sessions", "0"), "expected a number >= 1, got 0"),
        (("--url", "localhost:5006"), "expected an http:// or https:// URL"),
        (("--kill-worker-after", "5"), "--kill-worker-after needs --workers K"),
        (("--think", "soon"), "expected seconds, got 'soon'"),
        (("--soak", "30"), "--first (50) must be below --soak (30)"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, expected):
    result = run_load(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert expected in result.stderr
