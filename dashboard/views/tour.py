"""The guided tour on the page (issue 10): a start button for the header and the open step above the
view, both reading everything from :mod:`dashboard.state.tour`.

The step shows as one browser component (``assets/tour.js``): a region named "Guided tour" with the
step's number and title, its text, its equation (a KaTeX pane), and for a question its prompt, the
choices as native radio buttons in a fieldset, Commit and Reveal, then the explanation and why each
choice is right or tempting. Back, Next and Exit, or the Left, Right and Escape keys, move through it.
Every action goes through :class:`TourState`, which sets the session with the sliders' own physics (so
the plots move); a refused action's message is shown in the region. The controls a step names get the
tour's highlight in every control panel on the page.
"""

import time
from typing import ClassVar

import panel as pn
import param
from panel.custom import Child, JSComponent

from dashboard.pages import asset_text
from dashboard.state.tour import STEPS
from dashboard.views.controls import ControlPanel
from dashboard.views.leaving import served_doc
from dashboard.views.plotting import batched

#: Label of the header's button.
START = "Start the guided tour"
#: A reveal moves its number to the new value over this time, a frame at most this often [ms]: the
#: room sees the consequence happen (the plots follow each frame with the sliders' physics) before the
#: answer. Frames follow the clock: a busy server shows fewer of them, never a longer reveal.
REVEAL_MS, REVEAL_FRAME_MS = 1000, 80


class TourPanel(JSComponent):
    """The open step in the browser (``assets/tour.js``, ``assets/tour.css``); hidden while closed.

    The browser sends ``{"action": ...}`` messages (see :meth:`TourView.act`) and draws ``content``.
    """

    content = param.Dict(default={}, doc="What the region shows (see TourView.content).")
    equation = Child(doc="The step's equation, typeset by KaTeX.")

    _esm: ClassVar[str] = asset_text("tour.js")
    _stylesheets: ClassVar[list] = [asset_text("tour.css")]


class TourStart(JSComponent):
    """The header's button that opens the tour at its first step; it takes the focus back when the
    tour closes (the event ``fndam-tour-closed`` that ``assets/tour.js`` sends), so a keyboard user
    is not left at the top of the page."""

    label = param.String(default=START, doc="The button's text.")

    _esm: ClassVar[str] = """
export function render({ model, el }) {
  const button = document.createElement("button")
  button.type = "button"
  button.className = "fndam-tour-start"
  button.textContent = model.label
  button.addEventListener("click", () => model.send_msg({action: "start"}))
  const back = () => button.focus()
  document.addEventListener("fndam-tour-closed", back)
  model.on("remove", () => document.removeEventListener("fndam-tour-closed", back))
  el.append(button)
}
"""
    _stylesheets: ClassVar[list] = [asset_text("tour.css")]


class TourView(pn.viewable.Viewer):
    """The tour of ``tour`` (a :class:`dashboard.state.tour.TourState`) on the page.

    Parameters
    ----------
    tour : TourState
        The walk through the tour; its session is the page's.
    places : sequence of Panel objects
        Where the page's control panels are (the sidebar, the view tabs): the step's highlighted
        controls are looked up there each time the step or the open view changes.
    """

    def __init__(self, tour, places=(), **params):
        super().__init__(**params)
        self.tour, self._places = tour, list(places)
        self._message, self._said = "", 0
        self._lit = []  # control panels whose highlight the tour has set
        self._equation = pn.pane.LaTeX("", renderer="katex", margin=(0, 10), styles={"font-size": "1.2em"})
        self._panel = TourPanel(equation=self._equation, content=self.content(), sizing_mode="stretch_width",
                                margin=0)
        self._panel.on_msg(lambda event: self.act(event.data))
        self.start = TourStart(margin=0)
        self.start.on_msg(lambda event: self.act(event.data))
        tour.param.watch(self._show, ["step", "answer", "committed", "revealed"])
        tour.param.watch(self._highlight, "step")
        # After the tabs' own watcher and onload (made before this view), so the open view is built.
        tour.session.param.watch(self._highlight, "view")
        pn.state.onload(self._highlight)
        self._show()

    def act(self, data):
        """Do what the browser asks: ``{"action": name}`` with name start, next, back, exit, commit
        or reveal, or ``{"action": "choose", "index": i}``; a refused action's message is shown."""
        actions = {"start": lambda: self.tour.go(1), "next": self.tour.next, "back": self.tour.back,
                   "exit": self.tour.exit, "commit": self.tour.commit, "reveal": self.tour.reveal,
                   "choose": lambda: self.tour.choose(data.get("index"))}
        name = data.get("action") if isinstance(data, dict) else None
        if name == "reveal" and not data.get("moved") and self._reveal_in_motion():
            return  # the last frame asks for the reveal itself
        self._message = ""
        with batched():  # a step or reveal changes several parameters: the plots redraw once
            message = actions[name]() if name in actions else f"Unknown tour action {name!r}."
            self._message = message or ""
            self._said += 1
            self._show()

    def _reveal_in_motion(self):
        """On a served page, move the number the reveal changes from its value now to the reveal's, a
        frame at a time, then reveal; False (nothing started) where there is nothing to move: the
        reveal refused (not committed), already shown, a menu or checkbox, or no server."""
        step, tour = self.tour.current, self.tour
        if (step is None or step.question is None or not tour.committed or tour.revealed
                or served_doc() is None):
            return False
        part, name, target = step.question.changed()
        obj, kind = tour.session.part(part), tour.session.part(part).param[name]
        start = getattr(obj, name)
        if not isinstance(kind, param.Number) or isinstance(start, bool) or start == target:
            return False
        began = time.monotonic()
        whole = isinstance(kind, param.Integer)

        def frame():
            done = (time.monotonic() - began) * 1000 / REVEAL_MS
            if done >= 1:
                mover.stop()
                self.act({"action": "reveal", "moved": True})
                return
            value = start + (target - start) * done
            with batched():
                obj.param.update({name: round(value) if whole else float(value)})

        mover = pn.state.add_periodic_callback(frame, period=REVEAL_FRAME_MS)
        return True

    def content(self):
        """What the region shows, for ``assets/tour.js``: ``open``; then ``key``, ``number`` of
        ``count``, ``title``, ``text``, ``message`` (the last refusal, '' if none) with ``said`` (counts
        actions, so a repeated message is said again) and ``question`` (None on a step without one):
        ``prompt``, ``choices`` (texts), ``answer``, ``committed``, ``revealed`` and ``result``
        (:meth:`TourState.result`)."""
        tour, step = self.tour, self.tour.current
        if step is None:
            return {"open": False, "message": self._message, "said": self._said}
        question = None
        if step.question is not None:
            question = {"prompt": step.prompt(), "choices": [c.text for c in step.question.choices],
                        "answer": tour.answer, "committed": tour.committed, "revealed": tour.revealed,
                        "result": tour.result()}
        return {"open": True, "key": step.key, "number": tour.index + 1, "count": len(STEPS),
                "title": step.title, "text": step.description(), "question": question,
                "message": self._message, "said": self._said}

    def _show(self, *_):
        step = self.tour.current
        if step is not None:
            self._equation.object = f"$${step.equation}$$"
        self._panel.content = self.content()

    def _highlight(self, *_):
        """Highlight the open step's controls in every control panel on the page (none when closed)."""
        step = self.tour.current
        session = self.tour.session
        wanted = [] if step is None else [(session.part(part), name) for part, name in step.highlights]
        shown = [panel for place in self._places for panel in place.select(ControlPanel)]
        panels = [*shown, *(p for p in self._lit if not any(p is s for s in shown))]
        for panel in panels:
            names = [name for obj, name in wanted if panel.edits is obj]
            if panel.highlight != names:
                panel.highlight = names
        self._lit = [panel for panel in panels if panel.highlight]

    def __panel__(self):
        return self._panel
