"""A page's place in a live class (issue 11): its role, the class's current question as the tour
defines it, and the presenter's and the students' actions, each done through the shared class store
(:mod:`dashboard.classroom`), so every page of every worker sees the same class.

Roles come from the link a page was opened with:

- ``?class=CODE``, the join link: a student, who answers the current question from a phone;
- ``?class=CODE&audience=true``: the audience view on the room's projector (the question, the join
  code and the histogram once the presenter shows it; it reads, never acts);
- ``?class=CODE#presenter=SECRET``: the presenter. The secret travels in the URL's fragment, which a
  browser never sends in a request, so no server or proxy log holds it; the page hands it over its
  websocket (:meth:`LiveClass.claim`), and the store keeps only its hash.

The class moves over the tour's steps that ask a question (:data:`QUESTIONS`); a step's key is its id
and its question's id in the store. Each page follows the class: when the step changes or its answer is
revealed (or un-revealed by a reset), the step's settings, and the reveal's, are applied to the page's
session once, so the plots show what the question is about and a student may explore freely until the
next change. Every action returns None, or the one-line message of why it was refused (the store's
own, when the store refused), and nothing changed; nothing raises. No Panel here: the page
(:mod:`dashboard.views.classroom`) polls :meth:`LiveClass.poll` and draws.
"""

import param

from dashboard.classroom.store import MAX_CHOICES, REVEALED, normal_code, unknown_class
from dashboard.live_store import live_store
from dashboard.state.checks import try_set
from dashboard.state.session import url_keys
from dashboard.state.tour import STEPS, apply_step

#: The tour's steps that ask a question, in order: what a class asks.
QUESTIONS = tuple(step for step in STEPS if step.question is not None)
#: Step key (= question id in the store) -> step.
BY_KEY = {step.key: step for step in QUESTIONS}

#: Roles of a page: in no class, the presenter, the projector's audience view, a student.
NONE, PRESENTER, AUDIENCE, STUDENT = "", "presenter", "audience", "student"


def step_of(question):
    """The step whose question has the id ``question`` (any value a browser may send), else None."""
    return BY_KEY.get(question) if isinstance(question, str) else None


class LiveClass(param.Parameterized):
    """One page's place in a live class, over ``session`` (the page's SessionState, which follows
    the class's step) and ``store`` (a callable giving ``(store, None)`` or ``(None, message)``,
    :func:`dashboard.live_store.live_store` by default).

    ``code`` and ``audience`` are in the page's URL (:data:`URL_KEYS`): a copied or reloaded link
    comes back to the class in the same role (the presenter's secret is in the fragment).
    """

    code = param.String(default="", label="Class",
                        doc="Join code of the class the page is in ('' when in none).",
                        metadata={"url": "class"})
    audience = param.Boolean(default=False, label="Audience view",
                             doc="Show the class as the room's projector does: the question, the join "
                                 "code and the histogram once the presenter shows it.",
                             metadata={"url": "audience"})
    role = param.Selector(objects=[NONE, PRESENTER, AUDIENCE, STUDENT], default=NONE, constant=True,
                          doc="The page's role in its class ('' when in none).")

    def __init__(self, session, store=live_store, **params):
        super().__init__(**params)
        self.session, self._store = session, store
        self.class_id = self.secret = None
        self.status = None       # the ClassStatus last read
        self.counts = None       # votes per choice, when this page may read them
        self.answers = {}        # question -> the answer of this page's counted vote
        self._followed = None    # (step, revealed) last applied to the session
        self.refused = None      # why the class the URL named was not joined (the page says so)

    # --- where the page is ---------------------------------------------------------------------

    @property
    def step(self):
        """The class's current question step, None outside a class or before the first."""
        return step_of(self.status.question) if self.status else None

    @property
    def index(self):
        """Index of the current question in QUESTIONS, None if there is none."""
        return QUESTIONS.index(self.step) if self.step else None

    def apply_query(self, query):
        """Join the class the URL's query names (``class``, with ``audience``); one message per value
        not applied, as :meth:`SessionState.apply_query` gives them."""
        messages = []
        if "audience" in query and (message := try_set(self, "audience", query["audience"])):
            messages.append(f"URL parameter audience: {message}")
        if "class" in query and (message := self.join(query["class"])):
            self.refused = message
            messages.append(f"URL parameter class: {message}")
        return messages

    def query(self):
        """The URL query of the page's class: its code, and the audience flag when set."""
        if self.role == NONE:
            return {}
        return {"class": self.code, **({"audience": "true"} if self.role == AUDIENCE else {})}

    def _enter(self, class_id, code, role, secret=None):
        self.class_id, self.secret = class_id, secret
        self.status = self.counts = self._followed = None
        self.answers = {}
        self.code = code
        with param.edit_constant(self):
            self.role = role

    def _leave(self):
        self._enter(None, "", NONE)
        self.audience = False

    def _with_store(self, work):
        """``work(store)``'s message, or why the store cannot be used."""
        store, message = self._store()
        return message or work(store)

    # --- joining -------------------------------------------------------------------------------

    def join(self, code):
        """Join the class with the join ``code`` as a student (or the audience view if ``audience``)."""
        code, message = normal_code(code)

        def work(store):
            class_id, message = store.join(code)
            if message:
                return message
            self._enter(class_id, code, AUDIENCE if self.audience else STUDENT)
            return self.refresh()

        return message or self._with_store(work)

    def start(self):
        """Start a new class with this page as its presenter, at the first question."""

        def work(store):
            new, message = store.create_class()
            if message:
                return message
            self._enter(new.class_id, new.code, PRESENTER, new.secret)
            first = QUESTIONS[0].key
            return store.go(new.class_id, new.secret, first, first) or self.refresh()

        return self._with_store(work)

    def claim(self, secret):
        """Become the presenter of the page's class with ``secret`` (from the presenter link)."""
        if self.class_id is None:
            return "The presenter link names no class that is running."

        def work(store):
            # Moving the class where it already is changes nothing, but only its presenter may do it.
            status = self.status
            step, question = (status.step, status.question) if status.step else (QUESTIONS[0].key,) * 2
            message = store.go(self.class_id, secret, step, question)
            if message:
                return message
            self.secret = secret
            with param.edit_constant(self):
                self.role = PRESENTER
            return self.refresh()

        return self._with_store(work)

    def leave(self):
        """Leave the class: the page is the plain app again (the class goes on for the others)."""
        self._leave()

    # --- following the class -------------------------------------------------------------------

    def poll(self):
        """Read the class's version; when it moved, read the class again (:meth:`refresh`).

        Returns True if what the page shows may have changed (the class moved, or ended).
        """
        if self.class_id is None:
            return False
        store, message = self._store()
        if message:
            return False  # the store is away: the next poll asks again
        version, message = store.version(self.class_id)
        if message:
            return self._gone(message)
        if self.status is not None and version == self.status.version:
            return False
        self.refresh()
        return True

    def _gone(self, message):
        """Leave the class if ``message`` says it no longer exists; True if the page left."""
        if message != unknown_class(f"id {self.class_id}"):
            return False  # the store did not answer this time
        self._leave()
        return True

    def refresh(self):
        """Read the class's status and, where this page may, the current question's counts; follow the
        class's step on the session. Returns None, or the store's message."""

        def work(store):
            status, message = store.status(self.class_id)
            if message:
                code = self.code
                return f"The class {code} has ended or expired." if self._gone(message) else message
            before, self.status = self.status, status
            step = self.step
            if before is not None and before.phase == REVEALED and status.phase != REVEALED:
                self.answers.pop(status.question, None)  # a revealed question opens again only by a reset
            self.counts = None
            if step is not None and (self.role == PRESENTER or status.shown):
                self.counts, _ = store.counts(self.class_id, step.key, len(step.question.choices),
                                              self.secret)
            wanted = (status.step, status.phase == REVEALED)
            if step is not None and wanted != self._followed:
                apply_step(self.session, step, revealed=wanted[1])
                self._followed = wanted
            return None

        return self._with_store(work)

    # --- the presenter -------------------------------------------------------------------------

    def _present(self, call):
        """``call(store)`` for the presenter (the store checks the secret), then the class read again."""
        if self.class_id is None:
            return "This page is in no class."
        return self._with_store(lambda store: call(store) or self.refresh())

    def move(self, offset):
        """Move the class ``offset`` questions on (1: next, -1: back)."""
        index = self.index
        target = 0 if index is None else index + offset
        if not 0 <= target < len(QUESTIONS):
            where = "first" if target < 0 else "last"
            return f"This is the {where} question ({index + 1} of {len(QUESTIONS)})."
        key = QUESTIONS[target].key
        return self._present(lambda store: store.go(self.class_id, self.secret, key, key))

    def set_phase(self, phase):
        """Open, close or reveal the current question."""
        return self._present(lambda store: store.set_phase(self.class_id, self.secret, phase))

    def show_histogram(self, shown):
        """Show (True) or hide the current question's histogram to the room."""
        return self._present(lambda store: store.show_histogram(self.class_id, self.secret, shown))

    def reset_votes(self):
        """Delete the current question's votes and ask it again."""
        return self._present(lambda store: store.reset_votes(self.class_id, self.secret))

    def end(self):
        """End the class for everyone (its votes are deleted now rather than at its expiry)."""
        if self.class_id is None:
            return "This page is in no class."
        message = self._with_store(lambda store: store.end_class(self.class_id, self.secret))
        if message is None:
            self._leave()
        return message

    # --- a student -----------------------------------------------------------------------------

    def vote(self, question, answer, voter, seq):
        """Send the answer ``answer`` (a choice index) to ``question`` for the browser's anonymous
        ``voter`` id, with its request number ``seq`` (the store refuses one not above the last)."""
        if self.role != STUDENT:
            return ("This page is in no class." if self.role == NONE else
                    "Answers come from the join link; this page shows the class, it does not vote.")
        step = step_of(question)
        n_choices = len(step.question.choices) if step else MAX_CHOICES  # the store refuses the question

        def work(store):
            message = store.vote(self.code, voter, question, answer, n_choices, seq)
            if message:
                return message
            self.answers[question] = answer
            return self.refresh()

        return self._with_store(work)


#: URL query key -> ("live", parameter): the class's keys beside the session's and the tour's.
URL_KEYS = url_keys({"live": LiveClass})
