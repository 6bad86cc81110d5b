"""The allocator a server runs with (dashboard/allocator.py): jemalloc for every Python object, so the
memory of closed pages goes back to the system."""

import ctypes.util
import os
import subprocess
import sys

import pytest

from dashboard import allocator
from dashboard.testing import serve_app, uses_jemalloc

# A million small dicts (pymalloc's size classes), then all but every 1000th freed: the survivors are
# spread over every pymalloc arena (1 MiB) but over only ~1 in 10 of jemalloc's 4 kB pages. Prints the
# share of the freed memory the process still holds after 2.5 s (jemalloc returns pages after ~1 s).
FRAGMENT = """
import time
def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS"))
base = rss()
objects = [{"k": i} for i in range(1_000_000)]
peak = rss()
survivors = objects[::1000]
del objects
time.sleep(2.5)
print((rss() - base) / (peak - base))
"""


def retained(env):
    """Share of freed memory [0-1] a Python process under ``env`` still holds (:data:`FRAGMENT`)."""
    run = subprocess.run([sys.executable, "-c", FRAGMENT], env=env, capture_output=True, text=True,
                         timeout=60, check=True)
    return float(run.stdout)


@pytest.fixture
def plain_env():
    """This process's environment without an allocator choice."""
    return allocator.pymalloc_environment(os.environ)


def test_jemalloc_is_installed_by_the_setup():
    assert allocator.JEMALLOC, "libjemalloc2 is missing: `make jemalloc` installs it"


def test_with_jemalloc_the_memory_of_freed_objects_goes_back(plain_env):
    # Measured: pymalloc keeps 0.97 of it, jemalloc 0.07 (its pages with a survivor, ~1 in 10).
    assert retained(plain_env) > 0.8
    assert retained(allocator.jemalloc_environment(plain_env)) < 0.25


def test_a_conda_environments_own_jemalloc_comes_first(tmp_path, monkeypatch):
    library = tmp_path / "lib" / "libjemalloc.so.2"
    library.parent.mkdir()
    library.touch()
    monkeypatch.setattr("sys.prefix", str(tmp_path))
    assert allocator.find_jemalloc() == str(library)
    library.unlink()
    assert allocator.find_jemalloc() == ctypes.util.find_library("jemalloc")


def test_the_environment_preloads_jemalloc_and_keeps_other_preloads(plain_env):
    env = allocator.jemalloc_environment({**plain_env, "LD_PRELOAD": "libother.so"})
    assert env["PYTHONMALLOC"] == "malloc"
    assert env["LD_PRELOAD"].split() == [allocator.JEMALLOC, "libother.so"]
    assert env["MALLOC_CONF"] == allocator.MALLOC_CONF


def test_a_users_pythonmalloc_is_kept(plain_env):
    env = {**plain_env, "PYTHONMALLOC": "pymalloc_debug"}
    assert allocator.jemalloc_environment(env) == env


def test_without_jemalloc_nothing_changes_and_the_server_says_so(plain_env, monkeypatch):
    monkeypatch.setattr(allocator, "JEMALLOC", None)
    monkeypatch.delenv("PYTHONMALLOC", raising=False)
    assert allocator.jemalloc_environment(plain_env) == plain_env
    assert allocator.missing()
    monkeypatch.setenv("PYTHONMALLOC", "pymalloc")
    assert not allocator.missing()


def test_a_single_process_server_runs_with_jemalloc_in_the_same_process(monkeypatch):
    monkeypatch.delenv("PYTHONMALLOC", raising=False)
    with serve_app() as (_, process):  # answers: the re-executed command serves
        assert uses_jemalloc(process.pid)


def test_a_server_started_with_pythonmalloc_set_keeps_it(monkeypatch):
    monkeypatch.setenv("PYTHONMALLOC", "pymalloc")
    with serve_app() as (_, process):
        assert not uses_jemalloc(process.pid)
