"""Learning runs computed once per process, away from the server's event loop, shown step by step.

A run is a deterministic function of its :class:`RunSpec` (task, steps, element, array, rounding, seed),
so it is computed once and shown to every session that asks for it:

* :func:`compute` advances the live :class:`physics.learning.LearningRun` of a spec *in the process it
  runs in* and returns the run's :class:`physics.learning.RunInfo` and a chunk of its records;
* a :class:`Recording` (one per spec in the server process, :func:`recording`) holds what has arrived
  of one run, for every session that shows it.  It asks for missing steps either here, waiting
  (``executor=None``: tests, notebooks), or from an executor without waiting (the server: a pool of
  one worker process, :func:`process_pool`), a chunk at a time and only while a session wants them;
* a :class:`Playback` is one session's view of a recording: its own step cursor and pricing, read like
  a ``LearningRun`` (``steps_done``, ``history``, ``fndam_counts``, ...).

Panel and Bokeh stay in the server process (their models belong to the session's document);
the worker only runs NumPy, and one worker leaves the server's event loop a core of its own on a
two-core machine.
"""

import collections
import logging
import multiprocessing
import os
import signal
import threading
import time
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import NamedTuple

from physics import learning
from physics.fndam import FNDAMDevice
from physics.synapse import SynapseParameters

log = logging.getLogger(__name__)

#: Steps one request to an executor computes at least (~0.2-0.4 s of a worker): what is left to do
#: after a pause or a closed page, at most.
CHUNK_STEPS = 500
LIVE_RUNS = 4  #: live LearningRuns a process keeps (each holds its whole record)
RECORDINGS = 16  #: recordings the server process keeps for sessions to come (LRU)
ORPHAN_CHECK_S = 1.0  #: how often a worker checks that its server is still alive [s]
#: Niceness added to the worker: at 10 the scheduler gives it ~1/10 of a core's share of a process at
#: the default priority when they compete, and all of an idle core.
WORKER_NICE = 10


class RunSpec(NamedTuple):
    """Everything a learning run depends on (pricing aside: it is applied where the run is shown)."""

    task: str
    n_steps: int
    device: FNDAMDevice
    params: SynapseParameters
    static_rounding: str
    static_read_noise: bool
    seed: int

    def run(self):
        """A new :class:`physics.learning.LearningRun` at step 0 (its learning-rate search included)."""
        return learning.LearningRun(self.task, self.n_steps, device=self.device, params=self.params,
                                    static_rounding=self.static_rounding,
                                    static_read_noise=self.static_read_noise, seed=self.seed)


_live = collections.OrderedDict()  # spec -> LearningRun of this process, most recently used last


def compute(spec, since, until):
    """Run ``spec`` up to step ``until`` in this process and return ``(info, chunk)``: its
    :class:`physics.learning.RunInfo` and the :class:`physics.learning.RunRecord` of steps
    ``since + 1 .. until``.

    The process keeps its last :data:`LIVE_RUNS` runs, so the next chunk of a run continues it.
    """
    run = _live.pop(spec, None) or spec.run()
    _live[spec] = run
    while len(_live) > LIVE_RUNS:
        _live.popitem(last=False)
    run.advance(max(0, until - run.steps_done))
    return run.info(), run.record.chunk(since, until)


def _start_worker(server_pid):
    """Worker initializer.  Training is background work: the worker runs at a lower priority
    (:data:`WORKER_NICE`), so that the server's event loop, which answers every student's controls, gets
    the cores first when they are short.  Ctrl-C stops the server, which shuts its pool down: the
    worker ignores it (no second traceback).  A server stopped by a signal (SIGTERM, SIGKILL) cannot
    shut its pool down: the worker notices it has a new parent and exits, rather than idle on forever."""
    os.nice(WORKER_NICE)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def exit_with_server():
        while os.getppid() == server_pid:
            time.sleep(ORPHAN_CHECK_S)
        os._exit(0)

    threading.Thread(target=exit_with_server, name="exit-with-server", daemon=True).start()


class WorkerPool:
    """A pool of one worker process (spawned: no copy of the server's state or threads), started on the
    first :meth:`submit` and started again on the first one after its worker died (killed, out of
    memory): the sessions keep this object, whatever becomes of the pool behind it."""

    def __init__(self):
        self._pool = None

    def submit(self, fn, *args):
        """Run ``fn(*args)`` in the worker; return its ``concurrent.futures.Future``."""
        if self._pool is not None:
            try:
                return self._pool.submit(fn, *args)
            except BrokenProcessPool:
                log.warning("the training worker had died; starting a new one")
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start_worker, initargs=(os.getpid(),))
        return self._pool.submit(fn, *args)


_pool = WorkerPool()


def process_pool():
    """This process's :class:`WorkerPool` (one for every session of the server)."""
    return _pool


class Recording:
    """What has arrived of one run in this process: its info (None until the first answer) and its
    record, shared by every session showing the run.  At most one request is in flight."""

    def __init__(self, spec):
        self.spec = spec
        self.info, self.record = None, None
        self._pending = None  # the Future of the request in flight
        self._waiting = weakref.WeakSet()  # playbacks whose last request is not answered yet

    @property
    def steps(self):
        """Steps recorded here so far."""
        return 0 if self.record is None else self.record.end

    @property
    def pending(self):
        """True while a request is in flight."""
        return self._pending is not None

    def poll(self):
        """Take the answer of the request in flight if it has come; True if it brought something (a
        request that died with its worker is asked again by the next :meth:`ensure`)."""
        future = self._pending
        if future is None or not future.done():
            return False
        self._pending = None
        if future.cancelled():
            return False
        try:
            self._take(*future.result())
        except BrokenProcessPool:
            log.warning("the training worker died while computing; asking again")
            return False
        return True

    def _take(self, info, chunk):
        if self.record is None:
            self.info = info
            self.record = learning.RunRecord(info.names, self.spec.n_steps, info.n_weights)
        self.record.put(chunk)

    def ensure(self, until, executor=None, waiter=None):
        """Make the info and steps up to ``until`` (capped at the run's end) available; True once here.

        Without ``executor`` they are computed here and now.  With one, this returns at once: a
        request goes to the executor if none is in flight, for at least :data:`CHUNK_STEPS` more steps
        whenever fewer than half of that lie ahead of ``until`` (so that a playing session rarely
        waits), and :meth:`poll` takes the answer later.  ``until`` = 0 asks for the info alone.
        ``waiter`` (a playback) is noted as waiting until an answer has what it asked for
        (:meth:`release`).
        """
        self.poll()
        until = min(until, self.spec.n_steps)
        here = self.info is not None and self.steps >= until
        if executor is None:
            if not here:
                self._take(*compute(self.spec, self.steps, until))
            return True
        ahead = min(self.spec.n_steps, until + CHUNK_STEPS // 2) if until else 0
        if self._pending is None and (self.info is None or self.steps < ahead):
            end = min(self.spec.n_steps, max(until, self.steps) + CHUNK_STEPS) if until else 0
            self._pending = executor.submit(compute, self.spec, self.steps, end)
        if waiter is not None:
            (self._waiting.discard if here else self._waiting.add)(waiter)
        return here

    def release(self, waiter):
        """``waiter`` no longer waits (paused, reset, closed): if nobody else does, cancel the request
        in flight unless the worker has started it."""
        self._waiting.discard(waiter)
        if not self._waiting and self._pending is not None and self._pending.cancel():
            self._pending = None


_recordings = collections.OrderedDict()  # spec -> Recording, most recently used last


def recording(spec):
    """The process's :class:`Recording` of ``spec`` (new if none of the last :data:`RECORDINGS`)."""
    rec = _recordings.pop(spec, None) or Recording(spec)
    _recordings[spec] = rec
    while len(_recordings) > RECORDINGS:
        _recordings.popitem(last=False)
    return rec


def forget():
    """Drop every recording and live run of this process (tests that count runs built start clean)."""
    _recordings.clear()
    _live.clear()


class Playback:
    """One session's view of a :class:`Recording`: its step cursor ``steps_done`` and its
    :class:`physics.learning.Pricing`.  The run's parameters come from the spec; its rates, word sizes
    and level spacings from the info (:attr:`ready` says whether it has come)."""

    def __init__(self, recording, pricing):
        self.recording, self.pricing, self.steps_done = recording, pricing.checked(), 0

    # --- the run's parameters (spec) and description (info) -------------------------------------------
    @property
    def spec(self):
        return self.recording.spec

    n_steps = property(lambda self: self.spec.n_steps)
    device = property(lambda self: self.spec.device)
    params = property(lambda self: self.spec.params)
    static_rounding = property(lambda self: self.spec.static_rounding)
    static_read_noise = property(lambda self: self.spec.static_read_noise)

    @property
    def info(self):
        """The run's :class:`physics.learning.RunInfo` (None until it has arrived)."""
        return self.recording.info

    @property
    def ready(self):
        """True once the run's info is here (rates searched)."""
        return self.recording.info is not None

    names = property(lambda self: self.info.names)
    learning_rates = property(lambda self: self.info.learning_rates)
    searches = property(lambda self: self.info.searches)
    read_sigma = property(lambda self: self.info.read_sigma)
    weight_range = property(lambda self: self.info.weight_range)
    step_seconds = property(lambda self: self.info.step_seconds)

    # --- the session's cursor -----------------------------------------------------------------------
    @property
    def done(self):
        return self.steps_done >= self.n_steps

    def prepare(self, executor=None):
        """Ask for the run's info (see :meth:`Recording.ensure`); True once it is here."""
        return self.recording.ensure(0, executor, self)

    def advance(self, steps, executor=None):
        """Move the cursor ``steps`` steps on (fewer at the end) once they are recorded; return how many
        it moved, or None while they are being computed (``executor`` given: call again later)."""
        target = min(self.n_steps, self.steps_done + steps)
        if not self.recording.ensure(target, executor, self):
            return None
        ran, self.steps_done = target - self.steps_done, target
        return ran

    def stop(self):
        """This session no longer waits for the run (see :meth:`Recording.release`)."""
        self.recording.release(self)

    # --- what the cursor shows, at the session's pricing --------------------------------------------
    def reprice(self, pricing):
        self.pricing = pricing.checked()

    def unit_energies(self):
        """Name -> (energy per write, energy per read) [J] (:func:`physics.learning.unit_energies`)."""
        return learning.unit_energies(self.info.word_bits, self.device, self.params, self.pricing)

    def history(self, since=0):
        """Steps ``since + 1 .. steps_done`` as a :class:`physics.learning.LearningHistory`."""
        return self.recording.record.history(self.unit_energies(), since, self.steps_done)

    def fndam_counts(self):
        """The FN-DAM array's counts (requests, pulses, clipped, dropped) at the cursor."""
        return self.recording.record.fndam_counts(self.steps_done)
