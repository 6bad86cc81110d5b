"""What the plots' accessible frames (dashboard/views/plotframe.py) cost a page, in-process.

Run: .venv/bin/python benchmarks/bench_plotframe.py [repeats]   (default 7)

For each view with plots, builds it twice per repeat and renders each into a fresh Bokeh document:
as the app does (every plot in its PlotFrame: named canvas, live sentence, table toggle) and with each
frame swapped for its bare Bokeh pane. Prints the median render CPU time and the Bokeh models of both; the
median CPU time of one redraw's sentence (every frame's describe, as a control change runs it); and the
median CPU time to build a view's tables once a reader opens them all (nothing is built before).
Medians over repeats as ratios; no asserts.
"""

import statistics
import sys
import time

import panel as pn
from bokeh.document import Document

from dashboard.state.session import SessionState
from dashboard.views.band import BandView
from dashboard.views.current import CurrentView
from dashboard.views.energy import EnergyView
from dashboard.views.learning import LearningView
from dashboard.views.memory import MemoryView
from dashboard.views.notice import Notice
from dashboard.views.plotframe import PlotFrame

VIEWS = {"band": BandView, "current": CurrentView, "memory": MemoryView, "learning": LearningView,
         "energy": EnergyView}


def build(key):
    session = SessionState()
    return VIEWS[key](session.part(key), Notice())


def unframed(view):
    """``view`` with every plot frame replaced by its bare Bokeh pane."""
    for layout in view._layout.select(pn.layout.ListLike):
        layout.objects = [o.plot if isinstance(o, PlotFrame) else o for o in layout.objects]
    return view


def render(view):
    """Seconds to render ``view`` into a new document, and the document's model count."""
    doc = Document()
    start = time.process_time()
    root = pn.panel(view).get_root(doc)
    doc.add_root(root)
    return time.process_time() - start, len(doc.models)


def timed(action):
    start = time.process_time()
    action()
    return time.process_time() - start


def main(repeats):
    print(f"{'view':10} {'framed ms':>10} {'bare ms':>8} {'ratio':>6} {'models':>7} {'bare':>5} "
          f"{'sentences ms':>13} {'tables ms':>10}")
    for key in VIEWS:
        framed, bare, sentences, tables, models = [], [], [], [], None
        for _ in range(repeats):
            seconds, models = render(build(key))
            framed.append(seconds)
            seconds, bare_models = render(unframed(build(key)))
            bare.append(seconds)
            view = build(key)
            frames = view._layout.select(PlotFrame)
            # A closed frame's watcher does what a redraw adds: the title and the sentence, no tables.
            sentences.append(timed(lambda f=frames: [frame.param.trigger("table_open") for frame in f]))
            tables.append(timed(lambda f=frames: [setattr(frame, "table_open", True) for frame in f]))
        f, b = statistics.median(framed), statistics.median(bare)
        print(f"{key:10} {f * 1e3:10.1f} {b * 1e3:8.1f} {f / b:6.2f} {models:7d} {bare_models:5d} "
              f"{statistics.median(sentences) * 1e3:13.2f} {statistics.median(tables) * 1e3:10.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
