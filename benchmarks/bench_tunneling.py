"""Speed of the tunneling physics (issue 2).  Run: .venv/bin/python benchmarks/bench_tunneling.py

Prints medians over repeats; the FN formula is reported as a ratio to one bare numpy.exp over the
same number of values in the same run (target <= 3x), the Tsu-Esaki current for 200 voltages in ms
(target < 100 ms for WKB).
"""

import numpy as np
from _timing import median_seconds  # benchmarks/, first on sys.path when a script here runs

from physics.tunneling import current_density, fn_current_density


def main():
    fields = np.linspace(5e8, 1.5e9, 1_000_000)
    t_exp = median_seconds(lambda: np.exp(-fields / 1e9), repeats=15)
    t_fn = median_seconds(lambda: fn_current_density(fields), repeats=15)
    print(f"numpy.exp on 1e6 values:        {t_exp * 1e3:8.2f} ms (median of 15)")
    print(f"fn_current_density on 1e6:      {t_fn * 1e3:8.2f} ms"
          f"  -> ratio {t_fn / t_exp:.2f}x (target <= 3x)")
    volts = np.linspace(0.1, 14.0, 200)
    t_wkb = median_seconds(lambda: current_density(volts, 12e-9), repeats=9)
    print(f"current_density wkb, 200 V:     {t_wkb * 1e3:8.2f} ms (median of 9, target < 100 ms)")
    t_exact = median_seconds(lambda: current_density(volts[::10], 12e-9, method='exact'), repeats=3)
    print(f"current_density exact, 20 V:    {t_exact * 1e3:8.2f} ms (median of 3, 0.04 nm slices)")


if __name__ == "__main__":
    main()
