"""How soon the presenter sees a vote, with each class store (issue 11: within a second).

Run: .venv/bin/python benchmarks/bench_store.py [runs] [spread_s]   (defaults 3 and 5)

Each run: a class on one question; 100 students vote once each at random moments spread over
``spread_s`` seconds, from PROCESSES processes (as from app workers); a presenter process, as in another
worker, polls the class's version every POLL_S seconds and reads the counts when it moves. Both stores
run the same runs: SQLite (a file in a temporary folder) and Redis (a throwaway redis-server on a
loopback port, saving nothing).

A vote's delay is measured from the moment it was sent to the end of the presenter's first poll that
began after the vote was acknowledged (so the vote was surely in what that poll read): an upper bound
of the time until the presenter's counts include it, poll interval included. Prints, over every vote of
every run, p50 and p95 of that delay and of the vote call alone (sent to acknowledged), what one poll
costs (version only, and version plus counts), and whether the presenter's final counts equal the votes
sent; exits 1 if they do not.
"""

import multiprocessing
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from dashboard.classroom import open_store
from dashboard.classroom.local_redis import local_redis

VOTERS, PROCESSES, CHOICES = 100, 4, 4
POLL_S = 0.1  #: the presenter's poll interval [s]
QUESTION = "q1"


def voting_process(url, code, ballots, start, out):
    """Send ``ballots`` (offset [s] from ``start``, voter id, answer); put (sent, acknowledged, message)
    of each, times from time.monotonic() (one clock for every process of the host)."""
    store = open_store(url)
    done = []
    for offset, voter, answer in ballots:
        time.sleep(max(0.0, start + offset - time.monotonic()))
        sent = time.monotonic()
        message = store.vote(code, voter, QUESTION, answer, CHOICES, 1)
        done.append((sent, time.monotonic(), message))
    store.close()
    out.put(done)


def polling_process(url, new, deadline, out):
    """Poll every POLL_S until the counts hold VOTERS votes (or ``deadline``); put the polls (began,
    ended, read the counts?) and the last counts."""
    store = open_store(url)
    polls, seen, counts = [], None, [0] * CHOICES
    tick = time.monotonic()
    while sum(counts) < VOTERS and time.monotonic() < deadline:
        began = time.monotonic()
        version, _ = store.version(new.class_id)
        moved = version != seen
        if moved:
            counts = store.counts(new.class_id, QUESTION, CHOICES, new.secret)[0] or counts
            seen = version
        polls.append((began, time.monotonic(), moved))
        tick += POLL_S
        time.sleep(max(0.0, tick - time.monotonic()))
    store.close()
    out.put((polls, counts))


def one_run(url, rng, spread_s):
    """{"delay": vote delays, "call": vote calls, "poll": polls that found no change, "poll+counts":
    polls that read the counts (all in s), "right": the presenter's counts equal the votes sent}, or
    None if a vote was refused or the presenter stopped before seeing every vote."""
    store = open_store(url)
    new, _ = store.create_class()
    store.go(new.class_id, new.secret, "predict", QUESTION)
    ballots = [(rng.uniform(0, spread_s), secrets.token_urlsafe(16), rng.randrange(CHOICES))
               for _ in range(VOTERS)]
    context = multiprocessing.get_context("fork")
    out, polled = context.Queue(), context.Queue()
    start = time.monotonic() + 1.0  # every process is up by then
    presenter = context.Process(target=polling_process, args=(url, new, start + spread_s + 30, polled))
    voters = [context.Process(target=voting_process,
                              args=(url, new.code, sorted(ballots[i::PROCESSES]), start, out))
              for i in range(PROCESSES)]
    for process in [presenter, *voters]:
        process.start()
    votes = [vote for _ in voters for vote in out.get(timeout=spread_s + 60)]
    polls, counts = polled.get(timeout=spread_s + 60)
    for process in [presenter, *voters]:
        process.join(timeout=30)
    store.end_class(new.class_id, new.secret)
    store.close()
    began = np.array([p[0] for p in polls])
    ended = np.array([p[1] for p in polls])
    after = np.searchsorted(began, [acked for _, acked, _ in votes], side="right")
    if any(message for _, _, message in votes) or after.max() >= len(polls):
        return None
    delays = ended[after] - np.array([sent for sent, _, _ in votes])
    calls = [acked - sent for sent, acked, _ in votes]
    sent = Counter(answer for _, _, answer in ballots)
    return {"delay": delays, "call": calls, "poll": [e - b for b, e, moved in polls if not moved],
            "poll+counts": [e - b for b, e, moved in polls if moved],
            "right": counts == [sent[a] for a in range(CHOICES)]}


def ms(values, q):
    return 1000 * np.percentile(values, q)


def main(runs=3, spread_s=5.0):
    rng = secrets.SystemRandom()
    print(f"{VOTERS} votes over {spread_s:g} s from {PROCESSES} processes, presenter polling every "
          f"{1000 * POLL_S:g} ms; {runs} runs per store; times in ms")
    print(f"{'store':8} {'counts':>8} {'delay p50':>10} {'p95':>7} {'max':>7} {'vote p50':>9} {'p95':>6} "
          f"{'poll p50':>9} {'+counts':>8}")
    failed = False
    with tempfile.TemporaryDirectory(prefix="fndam-store-") as folder, local_redis() as redis_url:
        for name, url in (("sqlite", f"sqlite:///{Path(folder) / 'classes.db'}"), ("redis", redis_url)):
            results = [one_run(url, rng, spread_s) for _ in range(runs)]
            if None in results:
                print(f"{name:8} a vote was refused or the presenter stopped polling before seeing it")
                failed = True
                continue
            right = all(r["right"] for r in results)
            delays, calls, idle, moved = (np.concatenate([r[key] for r in results])
                                          for key in ("delay", "call", "poll", "poll+counts"))
            failed |= not right
            print(f"{name:8} {'right' if right else 'WRONG':>8} {ms(delays, 50):10.0f} "
                  f"{ms(delays, 95):7.0f} {ms(delays, 100):7.0f} {ms(calls, 50):9.1f} {ms(calls, 95):6.1f} "
                  f"{ms(idle, 50):9.2f} {ms(moved, 50):8.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*(f(a) for f, a in zip((int, float), sys.argv[1:], strict=False))))
