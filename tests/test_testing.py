"""The /proc measures the benchmarks and tests share (dashboard/testing.py)."""

import subprocess
import sys
import time
from pathlib import Path

from dashboard.testing import _stat_cpu_seconds, cpu_seconds

BUSY = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass\n"


def test_cpu_seconds_of_a_busy_process_agree_with_the_kernels_ticks_and_end_at_zero():
    child = subprocess.Popen([sys.executable, "-c", BUSY + "time.sleep(30)"])
    try:
        time.sleep(0.3)
        while _stat_cpu_seconds(Path(f"/proc/{child.pid}")) < 0.6:  # its spin is done
            time.sleep(0.05)
        fine, ticks = cpu_seconds(child.pid), _stat_cpu_seconds(Path(f"/proc/{child.pid}"))
        # One reading in nanoseconds, the other in 10 ms ticks (each rounded down): a few ticks apart.
        assert abs(fine - ticks) < 0.03
        assert fine >= 0.6  # the spin, plus starting Python
    finally:
        child.kill()
        child.wait()
    assert cpu_seconds(child.pid) == 0.0
