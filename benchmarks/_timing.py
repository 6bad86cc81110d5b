"""Shared timing helper for the benchmark scripts: medians over repeats (these machines are noisy)."""

import statistics
import time


def median_seconds(func, repeats=7, warmup=1):
    """Median wall time [s] of ``func()`` over ``repeats`` runs after ``warmup`` untimed runs."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
