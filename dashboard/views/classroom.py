"""The live class on the page (issue 11): the header's "Start a live class" button and, above the open
view, the class as the page's role sees it, all read from :class:`dashboard.state.classroom.LiveClass`.

The class shows as one browser component (``assets/classroom.js``, ``assets/classroom.css``), a region
named "Live class" drawn for the role:

- presenter (the lecturer's laptop): the join code, the join link and its QR code, the audience link for
  the projector, the question k of n with Back and Next, the live count of every answer, Open/Close,
  Show histogram, Reveal, Reset and End; the step's text, the right answer and the explanation as
  notes, folded away so that a mirrored screen does not give them away;
- audience (the projector): the join code big with the link and QR code, the question and its
  answers, the histogram once the presenter shows it, the right answer and explanation after the reveal;
- student (a phone): the question, its answers as native radio buttons, "Send my answer" and the
  acknowledgement, the histogram once shown, the right answer and explanation after the reveal.

A student's browser keeps a random voter id in localStorage and numbers its votes (the component
sends both with each vote); nothing else about a student is sent or kept. The pages follow their class
through one poll per server process (:class:`ClassWatch`): every :data:`POLL_MS` it reads the version of
each class its pages are in, once, and tells the pages of a class that moved, which then read it again.
Refusals (an unknown code, a forged presenter secret, a vote after the question closed or for
another question) are shown in the region's status line, or as the page's notice for a bad link.
"""

import functools
from typing import ClassVar
from urllib.parse import parse_qs, urlencode

import panel as pn
import param
import segno
from panel.custom import JSComponent
from tornado.ioloop import PeriodicCallback

from dashboard.classroom.store import REVEALED
from dashboard.live_store import live_store
from dashboard.pages import asset_text
from dashboard.state.classroom import AUDIENCE, NONE, PRESENTER, QUESTIONS, STUDENT, URL_KEYS
from dashboard.views.leaving import served_doc
from dashboard.views.plotting import batched

#: How often a server process reads the version of each class its pages are in [ms]: a vote reaches
#: the presenter about half of this later on average (benchmarks/bench_live_class.py).
POLL_MS = 300
#: Label of the header's button.
START = "Start a live class"
#: Host names a phone in the room cannot reach: a join link made on them would not work.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")


class ClassPanel(JSComponent):
    """The live class in the browser (``assets/classroom.js``), hidden while the page is in no class.

    The browser sends ``{"action": ...}`` messages (see :meth:`ClassroomView.act`) and draws
    ``content`` and the QR code ``qr``.
    """

    content = param.Dict(default={}, doc="What the region shows (see ClassroomView.content).")
    qr = param.String(default="", doc="The join link's QR code as inline SVG ('' when not shown).")

    _esm: ClassVar[str] = asset_text("classroom.js")
    _stylesheets: ClassVar[list] = [asset_text("classroom.css")]


class ClassStart(JSComponent):
    """The header's button that starts a class with this page as its presenter."""

    label = param.String(default=START, doc="The button's text.")

    _esm: ClassVar[str] = """
export function render({ model, el }) {
  const button = document.createElement("button")
  button.type = "button"
  button.className = "fndam-live-start"
  button.textContent = model.label
  button.addEventListener("click", () => model.send_msg({action: "start"}))
  el.append(button)
}
"""
    _stylesheets: ClassVar[list] = [asset_text("classroom.css")]


@functools.lru_cache(maxsize=64)
def qr_svg(url):
    """The QR code of ``url`` as inline SVG (black on white, scalable: no width or height), made
    offline by segno; medium error correction survives a projector's blur and glare."""
    return segno.make(url, error="m").svg_inline(scale=1, border=4, omitsize=True, svgclass="fndam-qr-code",
                                                 dark="#000000", light="#ffffff")


def presenter_secret(fragment):
    """The presenter secret in a URL fragment such as ``#presenter=SECRET``, else None."""
    values = parse_qs((fragment or "").removeprefix("#")).get("presenter")
    return values[0] if values else None


def page_address(location):
    """The page's address as its browser sees it (scheme, host, port and path: the proxy's, not a
    worker's), '' when unknown (outside a server)."""
    if location is None or not location.hostname:
        return ""
    port = f":{location.port}" if location.port else ""
    return f"{location.protocol}//{location.hostname}{port}{location.pathname}"


class ClassWatch:
    """The pages of this server process that are in a class, and one timer that reads the version of
    each of their classes once every ``period_ms``: the pages of a class that moved (or ended) are told,
    each in its own document (:meth:`ClassroomView.poll`).

    One read per class and process, whatever the number of pages: a page polling by itself through a
    Panel periodic callback cost its server ~3.4 ms of CPU a second at 300 ms (100 idle pages: a third
    of a core; benchmarks/bench_live_class.py). Runs on the server's event loop, as the sessions do.
    """

    def __init__(self, period_ms=POLL_MS, timer=PeriodicCallback):
        self.period_ms, self._timer_class = period_ms, timer
        self._pages = {}  # class id -> {page's ClassroomView: its Bokeh document}
        self._seen = {}   # class id -> the version last read (None if the read was refused)
        self._timer = None

    def add(self, view, doc=None):
        """Tell ``view`` (in the Bokeh document ``doc``; None outside a server: told at once) when its
        class moves; it leaves any class it was in."""
        self.remove(view)
        self._pages.setdefault(view.live.class_id, {})[view] = doc
        if self._timer is None:
            self._timer = self._timer_class(self.tick, self.period_ms)
            self._timer.start()

    def remove(self, view):
        """Stop telling ``view``; the timer stops with the last page."""
        for class_id in [c for c, views in self._pages.items() if view in views]:
            del self._pages[class_id][view]
            if not self._pages[class_id]:
                del self._pages[class_id]
                self._seen.pop(class_id, None)
        if not self._pages and self._timer is not None:
            self._timer.stop()
            self._timer = None

    def watched(self, view):
        """True while ``view`` is told of its class's moves."""
        return any(view in views for views in self._pages.values())

    def tick(self):
        """Read each class's version once; schedule a poll in every page of a class that moved."""
        store, message = live_store()
        if message:
            return  # the store is away: the next tick asks again
        for class_id, views in list(self._pages.items()):
            version, _ = store.version(class_id)  # None when the class is gone: its pages find out
            if class_id in self._seen and version == self._seen[class_id]:
                continue  # (a class read for the first time tells its pages: they check for themselves)
            self._seen[class_id] = version
            for view, doc in list(views.items()):
                if doc is None:
                    view.poll()
                else:
                    doc.add_next_tick_callback(view.poll)  # in the page's session, on this loop


#: This process's watch over its pages' classes.
WATCH = ClassWatch()


class ClassroomView(pn.viewable.Viewer):
    """The live class of ``live`` (a :class:`LiveClass` of the page's session) on the page: ``start``
    for the header and the region (this viewer) above the open view."""

    def __init__(self, live, **params):
        super().__init__(**params)
        self.live, self._watch = live, WATCH
        # A class the URL named but that cannot be joined: said in the region (with a box for the code),
        # where a phone shows it first, and in the page's notice.
        self._message, self._said = live.refused or "", 0
        self._location = pn.state.location
        self._doc = served_doc()  # served: in a session
        if self._doc is not None:
            pn.state.on_session_destroyed(lambda _: self._watch.remove(self))
        self._panel = ClassPanel(sizing_mode="stretch_width", margin=0)
        self._panel.on_msg(lambda event: self.act(event.data))
        self.start = ClassStart(margin=0, visible=live.role == NONE)
        self.start.on_msg(lambda event: self.act(event.data))
        live.param.watch(self._class_changed, ["role", "code"])
        self._loaded = False
        if self._location is not None:
            # The browser reports the fragment as it loads the page (before the page's onload), and
            # again if it changes. Not acted on before the onload: a change made to the page's models
            # then can fail to reach the browser, which would keep showing the student's view.
            self._location.param.watch(self._claim, "hash")
            pn.state.onload(self._loaded_claim)
        self._follow_class()
        self._show()

    # --- what the browser asks --------------------------------------------------------------------

    def act(self, data):
        """Do what the browser asks, ``{"action": name, ...}``: ``start``, ``join`` (with ``code``),
        ``leave``, ``dismiss``; the presenter's ``back``, ``next``, ``open``, ``close``, ``reveal``,
        ``show``, ``hide``, ``reset``, ``end``; a student's ``vote`` (with ``question``, ``answer``,
        ``voter``, ``seq``). A refused action's message is shown."""
        live = self.live
        data = data if isinstance(data, dict) else {}
        actions = {
            "start": live.start, "leave": live.leave, "dismiss": lambda: None,
            "join": lambda: live.join(data.get("code")),
            "back": lambda: live.move(-1), "next": lambda: live.move(1),
            "open": lambda: live.set_phase("open"), "close": lambda: live.set_phase("closed"),
            "reveal": lambda: live.set_phase(REVEALED),
            "show": lambda: live.show_histogram(True), "hide": lambda: live.show_histogram(False),
            "reset": live.reset_votes, "end": live.end,
            "vote": lambda: live.vote(data.get("question"), data.get("answer"), data.get("voter"),
                                      data.get("seq")),
        }
        name = data.get("action")
        with batched():  # following a step sets several parameters: the plots redraw once
            message = actions[name]() if isinstance(name, str) and name in actions else \
                f"Unknown live class action {str(name)[:40]!r}."
            self.say(message)

    def say(self, message):
        """Show ``message`` (None: clear the last one) with the class as it is now."""
        self._message = message or ""
        self._said += 1
        self._show()

    def poll(self):
        """Read the class again if it moved (the watch calls this when it saw it move) and redraw: a
        refusal said before a new question or phase no longer applies, it goes; say so when the class
        ended."""
        live = self.live
        code, before = live.code, self._where()
        with batched():
            if not live.poll():
                return
            if live.role == NONE:
                self.say(f"The class {code} has ended or expired.")
            elif self._where() != before:
                self.say(None)
            else:
                self._show()

    def _where(self):
        status = self.live.status
        return (status.question, status.phase) if status else None

    def _loaded_claim(self):
        self._loaded = True
        self._claim()

    def _claim(self, *_):
        """Become the presenter if the page's fragment carries a presenter secret."""
        if not self._loaded:
            return
        secret = presenter_secret(self._location.hash)
        if secret is not None and self.live.role in (STUDENT, AUDIENCE):
            with batched():
                self.say(self.live.claim(secret))

    # --- what the page shows ----------------------------------------------------------------------

    def links(self):
        """The class's join link, audience link (projector view) and presenter link (with the secret
        in the fragment), from the page's own address."""
        base, code = page_address(self._location), self.live.code
        links = {"join": f"{base}?{urlencode({'class': code})}",
                 "audience": f"{base}?{urlencode({'class': code, 'audience': 'true', 'projector': 'true'})}"}
        if self.live.secret:
            links["presenter"] = f"{links['join']}#{urlencode({'presenter': self.live.secret})}"
        return links

    def content(self):
        """What the region shows, for ``assets/classroom.js``: ``role``, ``message`` (the last refusal,
        '' if none) with ``said`` (counts actions, so a repeated message is said again); in a class also
        ``code``, ``links``, ``local`` (the page was opened as localhost), ``phase``, ``shown``,
        ``counts`` (None unless this page may read them), ``number`` of ``count``, and ``question``
        (None before the first): ``key``, ``title``, ``prompt``, ``choices``; the presenter's ``notes``
        (the step's text, ``correct``, ``explanation``, ``why`` of each choice) or, after the reveal,
        ``result`` (``correct``, ``explanation``); a student's counted ``answer`` (None if none)."""
        live = self.live
        base = {"role": live.role, "message": self._message, "said": self._said}
        if live.role == NONE:
            return base
        status, step = live.status, live.step
        hostname = self._location.hostname if self._location is not None else ""
        content = {**base, "code": live.code, "links": self.links(), "local": hostname in LOCAL_HOSTS,
                   "phase": status.phase if status else None, "shown": bool(status and status.shown),
                   "counts": live.counts, "count": len(QUESTIONS), "number": None, "question": None}
        if step is None:
            return content
        choices = step.question.choices
        content.update(number=live.index + 1, question={"key": step.key, "title": step.title,
                                                        "prompt": step.prompt(),
                                                        "choices": [c.text for c in choices]})
        facts = {"correct": step.correct_choice(), "explanation": step.explanation()}
        if live.role == PRESENTER:
            content["notes"] = {"text": step.description(), "why": [c.why for c in choices], **facts}
        if status.phase == REVEALED:
            content["result"] = facts
        if live.role == STUDENT:
            content["answer"] = live.answers.get(step.key)
        return content

    def _show(self):
        content = self.content()
        if content != self._panel.content:
            self._panel.content = content
        with_qr = self.live.role in (PRESENTER, AUDIENCE)
        qr = qr_svg(content["links"]["join"]) if with_qr else ""
        if qr != self._panel.qr:
            self._panel.qr = qr

    def _class_changed(self, *_):
        self._follow_class()
        self._follow_url()

    def _follow_class(self):
        """Be told of the class's moves while in one (when served), and offer the start button only
        while in none."""
        in_class = self.live.role != NONE
        self.start.visible = not in_class
        if in_class:
            self._watch.add(self, self._doc)
        else:
            self._watch.remove(self)

    def _follow_url(self):
        """Put the class (its code, the audience flag) in the page's URL, and the presenter's secret in
        its fragment; take them out when the page leaves the class."""
        location = self._location
        if location is None:
            return
        query = {k: v for k, v in location.query_params.items() if k not in URL_KEYS}
        search = "?" + urlencode({**query, **self.live.query()})
        fragment = f"#{urlencode({'presenter': self.live.secret})}" if self.live.role == PRESENTER else ""
        with pn.io.hold():
            if search != location.search:
                location.search = search
            if fragment != location.hash and (fragment or presenter_secret(location.hash)):
                location.hash = fragment

    def __panel__(self):
        return self._panel
