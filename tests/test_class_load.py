"""benchmarks/class_load.py, issue 11's measurements, run small as a lab would run it: students vote
over websockets through the proxy with 2 workers, every vote counted exactly once by the presenter's page
and by the store; with a worker killed mid-question, no acknowledged vote is lost."""

import json
import subprocess
import sys
from pathlib import Path

CLASS_LOAD = Path(__file__).parents[1] / "benchmarks" / "class_load.py"


def run_class(tmp_path, *args):
    out = tmp_path / "class.json"
    result = subprocess.run([sys.executable, str(CLASS_LOAD), "--json", str(out), *map(str, args)],
                            capture_output=True, text=True, timeout=600)
    assert out.exists(), result.stdout + result.stderr
    return result, json.loads(out.read_text())


def assert_counted_once(result, figures, students):
    assert result.returncode == 0, result.stdout + result.stderr
    assert figures["errors"] == {}
    assert figures["students"] == students
    assert sum(figures["expected"]) == students  # one answer per student, whatever they changed
    assert figures["presenter"] == figures["expected"] == figures["store"]
    assert figures["exactly_once"] is True
    assert figures["votes_acked"] == figures["votes_sent"] > students  # some changed their answer
    latency = figures["vote_to_presenter_s"]
    assert latency["n"] == figures["votes_acked"]
    assert 0 < latency["p50"] <= latency["p95"] <= latency["max"]


def test_ten_students_vote_through_two_workers_each_counted_once(tmp_path):
    result, figures = run_class(tmp_path, "--students", 10, "--window", 4, "--change", 0.4, "--timeout", 120)
    assert_counted_once(result, figures, 10)
    assert len([w for w in figures["by_worker"] if w]) == 2  # the students were on both workers
    assert "exactly once yes" in result.stdout


def test_a_worker_killed_mid_question_loses_no_acknowledged_vote(tmp_path):
    result, figures = run_class(tmp_path, "--students", 10, "--window", 6, "--change", 0.4, "--timeout", 120,
                                "--kill-worker-after", 2)
    assert_counted_once(result, figures, 10)
    assert figures["killed"]["address"] in figures["by_worker"]  # students were on the killed worker
    assert figures["students_reloaded"] >= 1
    assert figures["reloads"] >= figures["students_reloaded"]
    assert figures["no_acked_vote_lost"] is True
    assert figures["acked_before_kill_and_kept"] >= 1
