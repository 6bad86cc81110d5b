"""Benchmarks of the FN-DAM physics: medians over repeats, printed with ratios (no asserts on speed).

Run: .venv/bin/python benchmarks/bench_fndam.py

1. closed form V(t) on 1e6 times against one numpy log over 1e6 values (target: within 3x);
2. closed form against the ODE solver on the same 200 times (speed-up);
3. a 1e5-synapse array stepped 100 times (target: < 1 s).
"""

import numpy as np
from _timing import median_seconds  # benchmarks/, first on sys.path when a script here runs

from physics.fndam import FNDAMDevice, advance, oxide_voltage, oxide_voltage_ode
from physics.synapse import SynapseArray

REPEATS = 7


def main():
    device = FNDAMDevice()
    rng = np.random.default_rng(0)
    t = rng.uniform(0.0, 1e10, 1_000_000)
    x = rng.uniform(1.0, 1e10, 1_000_000)

    closed = median_seconds(lambda: oxide_voltage(t, device), REPEATS)
    log = median_seconds(lambda: np.log(x), REPEATS)
    print(f"closed form, 1e6 times : {closed * 1e3:8.2f} ms (median of {REPEATS})")
    print(f"numpy log, 1e6 values  : {log * 1e3:8.2f} ms")
    print(f"ratio closed / log     : {closed / log:8.2f} (target <= 3)")
    # The same closed form without the argument check (min and max over t: two passes of six).
    _, ln_k1, k2 = device.log_constants()
    bare = median_seconds(lambda: advance(device.initial_voltage, ln_k1, k2, t), REPEATS)
    print(f"ratio unchecked / log  : {bare / log:8.2f} (physics.fndam.advance, no validation)")

    grid = np.geomspace(1.0, 3.15576e8, 200)
    ode = median_seconds(lambda: oxide_voltage_ode(grid, device), REPEATS)
    closed_200 = median_seconds(lambda: oxide_voltage(grid, device), REPEATS)
    print(f"ODE, 200 times         : {ode * 1e3:8.2f} ms")
    print(f"closed form, 200 times : {closed_200 * 1e6:8.2f} us")
    print(f"speed-up closed / ODE  : {ode / closed_200:8.0f} x")

    n, steps = 100_000, 100
    requests = rng.normal(0.0, 0.05, (steps, n))

    def run_array():
        array = SynapseArray(n, device, seed=0)
        for dw in requests:
            array.update(dw, 0.1)
            array.read()

    arr = median_seconds(run_array, repeats=5)
    print(f"1e5 synapses x 100 updates (+ reads): {arr:6.3f} s (median of 5; target < 1 s)")


if __name__ == "__main__":
    main()
