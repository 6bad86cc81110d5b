"""Helpers shared by the browser tests (tests/ui) and the browser benchmarks (benchmarks/), in the
manner of ``panel.tests.util``: the app served on a free port, Debian's Chromium, polling for a
condition, what the page plots, and the CPU, memory and children of served processes (/proc).

Importable as ``dashboard.testing`` wherever the project is installed; nothing here runs on import.
Playwright is only a test extra, so it is imported inside the functions that need it. Times are in
milliseconds, as in Playwright and Panel's ``wait_until``.
"""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from dashboard.workers import answers

#: Debian's Chromium (never a browser downloaded by `playwright install`); FNDAM_CHROMIUM overrides it.
CHROMIUM = os.environ.get("FNDAM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def cpu_seconds(pid):
    """CPU time used so far by process ``pid`` [s] (0 once it has exited).

    The sum over its threads of the scheduler's running time (``/proc/<pid>/task/*/schedstat``, in
    nanoseconds): /proc/<pid>/stat counts in clock ticks (10 ms), the size of the difference between a
    ~0.15 s page and a ~0.23 s one. The time of threads that have ended is not in it (a server's event
    loop runs on its main thread). From /proc/<pid>/stat on a kernel without schedstat.
    """
    proc = Path(f"/proc/{pid}")
    if not (proc / "schedstat").exists():
        return _stat_cpu_seconds(proc)
    total = 0
    for task in _listing(proc / "task"):
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except FileNotFoundError:
            continue  # a thread that ended meanwhile
    return total / 1e9


def _listing(directory):
    """The entries of ``directory`` ([] once it is gone)."""
    try:
        return list(directory.iterdir())
    except FileNotFoundError:
        return []


def _stat_cpu_seconds(proc):
    """User + system CPU time of the process at ``proc`` (/proc/<pid>) in clock ticks [s] (0 if gone)."""
    try:
        fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    """Resident set size of process ``pid`` [MB]."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def uses_jemalloc(pid):
    """True when process ``pid`` has jemalloc loaded and serving Python objects (dashboard.allocator)."""
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return b"PYTHONMALLOC=malloc" in environ and "libjemalloc" in Path(f"/proc/{pid}/maps").read_text()


def descendants(pid):
    """Pids of every running (not zombie) process below ``pid``, read from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # exited while we read
            continue
        if fields[0] != "Z":
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def free_port():
    """A TCP port on localhost that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def responds(url):
    """True once ``url`` answers 200 (False while nothing listens yet)."""
    return answers(url, timeout=2)


def wait_until(fn, page=None, timeout=20_000, interval=50):
    """Call ``fn`` until it passes; fail with what it saw last after ``timeout`` ms.

    The shape of Panel's ``panel.tests.util.wait_until``: ``fn`` either returns True or False, or
    holds ``assert`` statements and passes when it returns (None) without raising AssertionError.
    On timeout, raises TimeoutError whose message is that of the *last* AssertionError, i.e. the
    values read at the moment of failure. Any other return value is a mistake in the test
    (ValueError). With ``page``, waits between calls with ``page.wait_for_timeout``, which lets
    Playwright process the page's events (a ``time.sleep`` does not).
    """
    __tracebackhide__ = True
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            result = fn()
        except AssertionError as exc:
            if time.monotonic() > deadline:
                raise TimeoutError(f"wait_until timed out in {timeout:g} ms: {exc}") from exc
        else:
            if result not in (None, True, False):
                raise ValueError(f"wait_until's callable must return None, True or False, not {result!r}")
            if result is None or result:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"wait_until timed out in {timeout:g} ms: {fn!r} stayed False")
        if page is not None:
            page.wait_for_timeout(interval)
        else:
            time.sleep(interval / 1000)


@contextmanager
def serve_app(port=None, log=subprocess.DEVNULL, timeout=60_000, prefix="", args=()):
    """Serve the app with ``fndam-explorer serve`` in a subprocess, as a user would run it.

    Yields ``(url, process)`` once the app answers; stops the server on exit. ``log`` receives the
    server's output (a file to read when something fails). ``prefix`` serves it under that path
    (``--prefix``, part of the URL yielded); ``args`` are further ``serve`` options.
    """
    port = port or free_port()
    cli = Path(sys.executable).with_name("fndam-explorer")
    options = ["--port", str(port), *(["--prefix", prefix] if prefix else []), *args]
    proc = subprocess.Popen([str(cli), "serve", *options], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}{prefix}/"
    see = f"; see {log.name}" if isinstance(getattr(log, "name", None), str) else ""
    try:
        def answers():
            assert proc.poll() is None, f"fndam-explorer serve exited with {proc.returncode}{see}"
            assert responds(url), f"the app did not answer at {url}"

        wait_until(answers, timeout=timeout, interval=100)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def chromium_missing():
    """A message saying how to get Chromium if it is not installed, else ''."""
    import shutil

    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return ""
    return (f"Chromium not found at {CHROMIUM}: install it with `make chromium` "
            "(apt-get install chromium) or set FNDAM_CHROMIUM.")


@contextmanager
def chromium():
    """Headless Debian Chromium driven by Playwright; yields the Playwright ``Browser``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


#: A number that changes whenever the data of any Bokeh ColumnDataSource on the page changes.
FINGERPRINT_JS = """
() => {
  let total = 0, count = 0;
  for (const doc of window.Bokeh.documents) {
    for (const model of doc.all_models) {
      if (!model.data || typeof model.data !== "object" || !model.selected) continue;
      const data = model.data instanceof Map ? Object.fromEntries(model.data) : model.data;
      for (const name of Object.keys(data).sort()) {  // column order varies between updates
        for (const v of Array.from(data[name])) {
          if (typeof v === "number" && Number.isFinite(v)) { total += v * (1 + (count++ % 7)); }
        }
      }
    }
  }
  return [total, count];
}
"""

#: True once a plot on the page has data (a Bokeh data source with a non-empty column); safe to
#: evaluate while BokehJS is still loading.
HAS_PLOT_DATA_JS = """() => !!window.Bokeh && Bokeh.documents.length > 0 && Bokeh.documents.some(doc =>
  [...doc.all_models].some(m => m.data && m.selected &&
    Object.values(m.data instanceof Map ? Object.fromEntries(m.data) : m.data).some(c => c.length > 0)))"""


def data_fingerprint(page):
    """(weighted sum, count) over the numbers of every data source on the page."""
    return tuple(page.evaluate(FINGERPRINT_JS))


def has_plot_data(page):
    """True once a plot on the page shows data (False while the page is still navigating)."""
    from playwright.sync_api import Error

    try:
        return bool(page.evaluate(HAS_PLOT_DATA_JS))
    except Error:  # the page's JavaScript context was replaced by the one of the page being loaded
        return False


def settled_fingerprint(page, timeout=20_000):
    """The data fingerprint once two readings 0.25 s apart agree (plots update source by source)."""
    readings = [data_fingerprint(page)]

    def unchanged():
        readings.append(data_fingerprint(page))
        old, new = readings[-2:]
        assert new == old, f"the plotted data kept changing: {old} -> {new}"

    wait_until(unchanged, page, timeout, interval=250)
    return readings[-1]


def wait_for_data_change(page, before, timeout=20_000, settle=True, interval=50):
    """Wait until the plotted data differs from the fingerprint ``before``; return the new fingerprint
    (once settled, unless ``settle`` is False)."""
    now = [before]

    def changed():
        now[0] = data_fingerprint(page)
        assert now[0] != before, f"the plotted data did not change from {before}"

    wait_until(changed, page, timeout, interval)
    return settled_fingerprint(page, timeout) if settle else now[0]


def type_value(page, name, value):
    """Type ``value`` into the number box of parameter ``name`` (CSS class ``box-<name>``), press Enter."""
    box = page.locator(f".box-{name} input").first
    box.fill(str(value))
    box.press("Enter")


def open_view(page, title):
    """Click the tab called ``title`` (found by its ARIA role and name, as a screen reader finds it)."""
    page.get_by_role("tab", name=title, exact=True).click()
