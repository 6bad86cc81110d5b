"""The memory allocator an app server runs with: jemalloc for every Python object, when installed.

Why: a page builds ~15 MB of small Python objects and frees them when its session is culled. With
CPython's own small-object allocator (pymalloc) that memory sits in 1 MiB arenas, and an arena goes
back to the system only when every object in it is gone; the few long-lived objects a page leaves
(caches filled, dicts resized) pin arenas that are otherwise empty. Measured with
``benchmarks/load.py --workers 2 --soak 300`` and ``sys._debugmallocstats()`` in each worker: live
blocks stayed at 67 MB after every batch of pages while the arenas grew from 101 to 123, a worker's
resident memory +13 % after 300 pages and +22-26 % after 1,000, level from ~500.

With ``PYTHONMALLOC=malloc`` every object comes from the C allocator instead, and jemalloc (Debian's
``libjemalloc2``, preloaded) hands back each free 4 KiB page within a second (``dirty_decay_ms``, its
own background thread). Same soak: +1-2 % after 300 pages, +2-4 % after 1,000 (level from ~200).
Building and sending a page costs ~4-5 % more CPU than with pymalloc (benchmarks/bench_allocator.py;
glibc's malloc in its place: ~10 % more, and it keeps freed pages until trimmed).

The setting must be made before the interpreter starts, so it is passed in a process's environment:
to each worker by ``dashboard.workers`` and, for a single-process server, by re-executing the command
once (:func:`run_with_jemalloc`). A ``PYTHONMALLOC`` already set is the user's choice and is kept.
"""

import ctypes.util
import os
import sys
from pathlib import Path


def find_jemalloc():
    """jemalloc's shared library: a conda environment's own (conda-forge ``jemalloc``, in
    ``<prefix>/lib``), else the system's as the dynamic linker finds it (``libjemalloc.so.2``), else
    None."""
    own = Path(sys.prefix, "lib", "libjemalloc.so.2")
    return str(own) if own.exists() else ctypes.util.find_library("jemalloc")


#: jemalloc's shared library for LD_PRELOAD, or None (:func:`find_jemalloc`).
JEMALLOC = find_jemalloc()
#: jemalloc's options: a background thread returns free pages 1 s after they are freed, at once
#: from the "muzzy" state (jemalloc 5 option names).
MALLOC_CONF = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0"
#: The environment variables :func:`jemalloc_environment` sets.
SETS = ("PYTHONMALLOC", "LD_PRELOAD", "MALLOC_CONF")
#: What to tell an administrator when jemalloc is missing.
MISSING = ("jemalloc is not installed (apt-get install libjemalloc2, `make jemalloc`, or conda's "
           "jemalloc): the server keeps Python's own allocator, and its memory grows ~20 % over its "
           "first ~500 pages")


def jemalloc_environment(env):
    """``env`` (a mapping of environment variables) with jemalloc serving every Python object.

    Returns a new dict, or ``env`` as a dict unchanged when jemalloc is not installed or
    ``PYTHONMALLOC`` is already set (the user's choice).
    """
    env = dict(env)
    if JEMALLOC is None or "PYTHONMALLOC" in env:
        return env
    preload = env.get("LD_PRELOAD", "")
    env["LD_PRELOAD"] = f"{JEMALLOC} {preload}".strip()
    env["PYTHONMALLOC"] = "malloc"
    env["MALLOC_CONF"] = MALLOC_CONF
    return env


def pymalloc_environment(env):
    """``env`` without what :func:`jemalloc_environment` sets: a process started with it runs with
    Python's own allocator (benchmarks and tests compare the two)."""
    return {name: value for name, value in env.items() if name not in SETS}


def missing():
    """True when the server runs with Python's own allocator because jemalloc is not installed."""
    return JEMALLOC is None and "PYTHONMALLOC" not in os.environ


def run_with_jemalloc():
    """Run this process's command again, as it was started (``sys.orig_argv``), with jemalloc.

    Returns (doing nothing) when it is already in effect, ``PYTHONMALLOC`` is set, or jemalloc is not
    installed (the server then logs :data:`MISSING`). ``os.execve`` keeps the process id, so a
    supervisor or a test holding it still holds the server.
    """
    env = jemalloc_environment(os.environ)
    if env != dict(os.environ):
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)
