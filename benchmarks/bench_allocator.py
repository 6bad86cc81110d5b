"""CPU of a new page under each allocator a server can run with (dashboard/allocator.py).

Run: .venv/bin/python benchmarks/bench_allocator.py [repeats]   (default 5; needs libjemalloc2)

Each repeat starts one Python process per page (the app, and the minimal page of
benchmarks/minimal_page.py) and allocator, taking turns: Python's own (pymalloc), and jemalloc for
every object (the environment ``dashboard.allocator`` gives a server). Each process builds PAGES pages
as the server does for a new session (the page into a fresh Bokeh document, then the document as
JSON, with the server's serializer) and times each with ``time.process_time``; its first SKIP pages
(imports, caches) are not counted. Prints the median CPU per page of each over every counted page and,
per page, the ratio jemalloc / pymalloc; no asserts.
"""

import json
import os
import statistics
import subprocess
import sys
import time

from dashboard import allocator

PAGES, SKIP = 14, 4
PAGE_NAMES = ("app", "minimal")


def build_pages(page):
    """Build PAGES of ``page`` ("app" or "minimal") in this process; print the CPU seconds of each
    counted one as JSON."""
    from bokeh.document import Document
    from minimal_page import minimal_app
    from panel.io.state import set_curdoc

    from dashboard.app import create_app
    from dashboard.server import tune_for_pages

    tune_for_pages()
    make = {"app": create_app, "minimal": minimal_app}[page]
    seconds = []
    for _ in range(PAGES):
        doc = Document()
        start = time.process_time()
        with set_curdoc(doc):
            make().server_doc(doc)
        doc.to_json()
        seconds.append(time.process_time() - start)
    print(json.dumps(seconds[SKIP:]))


def environments():
    """Allocator name -> environment of the process that measures it."""
    plain = allocator.pymalloc_environment(os.environ)
    return {"pymalloc": plain, "jemalloc": allocator.jemalloc_environment(plain)}


def main():
    if not allocator.JEMALLOC:
        sys.exit(allocator.MISSING)
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    runs = [(page, name) for page in PAGE_NAMES for name in environments()]
    seconds = {run: [] for run in runs}
    for _ in range(repeats):
        for page, name in runs:
            child = subprocess.run([sys.executable, __file__, "--child", page], env=environments()[name],
                                   capture_output=True, text=True, check=True)
            seconds[page, name] += json.loads(child.stdout)
    medians = {run: statistics.median(values) for run, values in seconds.items()}
    for (page, name), value in medians.items():
        print(f"{page:8s} {name:9s} CPU per page {1e3 * value:6.1f} ms ({len(seconds[page, name])} pages)")
    for page in PAGE_NAMES:
        print(f"{page}: jemalloc / pymalloc {medians[page, 'jemalloc'] / medians[page, 'pymalloc']:.3f}x")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        build_pages(sys.argv[2])
    else:
        main()
