"""The live class on pages built by create_app(), without a browser: pages opened with the links of the
roles (no class, the join link, the audience link, the presenter link with its secret in the fragment)
over one SQLite class store, the messages their browsers send (``ClassroomView.act``), and each page's
poll of the store. A vote is counted and reaches the presenter; students and the room see only what the
presenter shows; every refusal is shown and changes nothing. (The store's own rules are
tests/test_classroom_store.py's; the pages in Chromium, tests/ui/test_live_class.py's.)"""

from urllib.parse import parse_qs, urlsplit

import panel as pn
import pytest
from panel.io.location import Location
from panel.util import edit_readonly

import dashboard.app as app
import dashboard.views.classroom as classroom
from dashboard.classroom.store import NOT_PRESENTER
from dashboard.live_store import STORE_ENV, live_store
from dashboard.state.classroom import QUESTIONS
from dashboard.views.classroom import POLL_MS, START, ClassStart, ClassWatch, presenter_secret

from .test_app import Page

#: The page's address as a browser in the room would show it.
HOST = {"protocol": "http:", "hostname": "labserver", "port": "5006", "pathname": "/fndam/"}
FIRST, SECOND = QUESTIONS[0], QUESTIONS[1]


class ClassPage(Page):
    """create_app()'s page served at ``search`` and ``fragment`` on HOST: its classroom view
    (``lecture``), region (``panel``) and start button; ``act`` sends what the browser sends."""

    def __init__(self, monkeypatch, search="", fragment=""):
        self.location = Location(search=search, hash=fragment, pathname=HOST["pathname"])
        with edit_readonly(self.location):  # what the browser reports of its address
            self.location.param.update({k: v for k, v in HOST.items() if k != "pathname"})
        monkeypatch.setattr(pn.state, "_location", self.location)
        lectures = []
        original = app.ClassroomView
        monkeypatch.setattr(app, "ClassroomView", lambda *a, **k: lectures.append(original(*a, **k)) or
                            lectures[-1])
        super().__init__(monkeypatch)
        (self.lecture,) = lectures
        self.live = self.lecture.live
        self.panel = self.template.roots["live"]
        (self.start,) = self.template.roots["tools"].select(ClassStart)

    @property
    def content(self):
        return self.panel.content

    def act(self, action, **data):
        """Send what the browser sends for ``action``; return the content shown then."""
        self.lecture.act({"action": action, **data})
        return self.content

    def poll(self):
        """One tick of the process's watch over its pages' classes; the content shown then."""
        classroom.WATCH.tick()
        return self.content

    @property
    def watched(self):
        """The page is told when its class moves."""
        return classroom.WATCH.watched(self.lecture)

    def url_query(self):
        return {key: values[0] for key, values in parse_qs(self.location.search.lstrip("?")).items()}


class Voter:
    """A student's browser: its anonymous id and increasing request numbers."""

    def __init__(self, name):
        self.id, self.seq = f"voter-{name}".ljust(20, "x"), 0

    def vote(self, page, answer, question=None):
        self.seq += 1
        return page.act("vote", question=question or page.content["question"]["key"], answer=answer,
                        voter=self.id, seq=self.seq)


class Timer:
    """Stands in for tornado's PeriodicCallback: the tests tick the watch themselves."""

    def __init__(self, callback, period_ms):
        self.callback, self.period_ms, self.running = callback, period_ms, False

    def start(self):
        self.running = True

    def stop(self):
        self.running = False


@pytest.fixture(autouse=True)
def watch(monkeypatch):
    """This test's own watch over the pages' classes (pages built outside a server are told at once)."""
    fresh = ClassWatch(timer=Timer)
    monkeypatch.setattr(classroom, "WATCH", fresh)
    return fresh


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh SQLite class store, the one every page of the test uses (as every worker would)."""
    monkeypatch.setenv(STORE_ENV, f"sqlite:///{tmp_path / 'classes.sqlite'}")
    opened, message = live_store()
    assert message is None
    return opened


@pytest.fixture
def open_page(monkeypatch, store):
    """Open a page at a URL: ``open_page("?class=CODE", "#presenter=SECRET")``."""
    return lambda search="", fragment="": ClassPage(monkeypatch, search, fragment)


@pytest.fixture
def presenter(open_page):
    page = open_page()
    page.act("start")
    return page


def test_a_page_in_no_class_offers_the_start_button_and_shows_no_region(open_page):
    page = open_page()
    assert page.start.label == START
    assert page.start.visible
    assert page.content["role"] == ""
    assert page.content["message"] == ""
    assert not page.watched
    assert "class" not in page.url_query()


def test_starting_a_class_makes_the_page_its_presenter_at_the_first_question(presenter, store):
    content = presenter.content
    code = content["code"]
    assert content["role"] == "presenter"
    assert content["message"] == ""
    assert store.join(code)[1] is None  # the class is in the store
    assert not presenter.start.visible
    assert presenter.watched
    # Links from the page's own address; the secret only in the presenter link's fragment.
    secret = presenter.live.secret
    assert content["links"]["join"] == f"http://labserver:5006/fndam/?class={code}"
    assert parse_qs(urlsplit(content["links"]["audience"]).query) == {
        "class": [code], "audience": ["true"], "projector": ["true"]}
    presenter_link = urlsplit(content["links"]["presenter"])
    assert presenter_link.fragment == f"presenter={secret}"
    assert secret not in presenter_link.query
    assert presenter.panel.qr.startswith("<svg")
    assert "fndam-qr-code" in presenter.panel.qr
    assert content["local"] is False
    # The page's URL: the code in the query, the secret in the fragment.
    assert presenter.url_query()["class"] == code
    assert presenter_secret(presenter.location.hash) == secret
    # The first question, its notes, and live counts (none yet) for the presenter only.
    assert content["number"] == 1
    assert content["count"] == len(QUESTIONS)
    assert content["question"]["key"] == FIRST.key
    assert content["question"]["prompt"] == FIRST.prompt()
    assert content["notes"]["correct"] == FIRST.correct_choice()
    assert content["notes"]["explanation"] == FIRST.explanation()
    assert content["counts"] == [0] * len(FIRST.question.choices)
    assert content["phase"] == "open"
    assert content["shown"] is False
    # The page shows the step's view with its settings.
    assert presenter.session.view == FIRST.view
    assert presenter.session.device.oxide_voltage == FIRST.settings["device"]["oxide_voltage"]


def test_a_presenter_page_opened_as_localhost_warns_that_phones_cannot_reach_it(open_page, monkeypatch):
    monkeypatch.setitem(HOST, "hostname", "localhost")
    page = open_page()
    assert page.act("start")["local"] is True


def test_a_vote_is_counted_once_reaches_the_presenter_and_the_room_sees_it_only_when_shown(presenter,
                                                                                          open_page):
    code = presenter.content["code"]
    student = open_page(f"?class={code.lower()}&vox=7")  # a code is read in any case
    content = student.content
    assert content["role"] == "student"
    assert content["code"] == code
    assert student.url_query()["class"] == code
    assert student.session.device.oxide_voltage == FIRST.settings["device"]["oxide_voltage"]  # the step wins
    assert student.watched
    # Nothing the presenter alone may see: no counts, right answer or explanation before the reveal.
    assert content["counts"] is None
    assert "notes" not in content
    assert "result" not in content
    assert "links" in content
    assert student.panel.qr == ""

    one, two = Voter("one"), Voter("two")
    assert one.vote(student, 1)["message"] == ""
    assert student.content["answer"] == 1
    assert one.vote(student, 2)["answer"] == 2  # a changed answer replaces the earlier one
    two.vote(open_page(f"?class={code}"), 2)
    assert presenter.poll()["counts"] == [0, 0, 2, 0]
    assert presenter.content["counts"] == [0, 0, 2, 0]  # polling again changes nothing
    assert student.poll()["counts"] is None

    audience = open_page(f"?class={code}&audience=true&projector=true")
    assert audience.content["role"] == "audience"
    assert audience.content["counts"] is None
    assert audience.panel.qr.startswith("<svg")
    assert audience.session.projector is True
    presenter.act("show")
    assert audience.poll()["counts"] == [0, 0, 2, 0]
    assert audience.content["shown"] is True
    assert student.poll()["counts"] == [0, 0, 2, 0]


def test_the_reveal_reaches_every_page_with_the_right_answer_and_the_reveals_settings(presenter, open_page):
    code = presenter.content["code"]
    student, audience = open_page(f"?class={code}"), open_page(f"?class={code}&audience=true")
    Voter("one").vote(student, 0)
    presenter.act("close")
    assert student.poll()["phase"] == "closed"
    presenter.act("reveal")
    part, name, value = FIRST.question.changed()
    for page in (student, audience, presenter):
        content = page.poll()
        assert content["phase"] == "revealed"
        assert content["result"] == {"correct": FIRST.correct_choice(), "explanation": FIRST.explanation()}
        assert getattr(page.session.part(part), name) == value
    assert student.content["answer"] == 0


def test_next_and_back_move_every_page_to_the_question_and_its_view(presenter, open_page):
    student = open_page(f"?class={presenter.content['code']}")
    student.session.view = "about"  # exploring between questions
    assert presenter.act("next")["question"]["key"] == SECOND.key
    assert presenter.content["number"] == 2
    content = student.poll()
    assert content["question"]["key"] == SECOND.key
    assert content["answer"] is None
    assert student.session.view == SECOND.view
    student.session.view = "about"
    assert student.poll() == content
    assert student.session.view == "about"
    presenter.act("back")
    assert student.poll()["question"]["key"] == FIRST.key
    assert presenter.act("back")["message"] == f"This is the first question (1 of {len(QUESTIONS)})."


def test_a_reset_asks_again_with_no_votes(presenter, open_page):
    student = open_page(f"?class={presenter.content['code']}")
    Voter("one").vote(student, 3)
    presenter.act("reveal")
    student.poll()
    assert presenter.act("reset")["counts"] == [0] * len(FIRST.question.choices)
    content = student.poll()
    assert content["phase"] == "open"
    assert "result" not in content
    assert content["answer"] is None
    assert student.session.device.oxide_voltage == FIRST.settings["device"]["oxide_voltage"]  # un-revealed


def test_the_presenter_link_opens_the_class_as_its_presenter(presenter, open_page):
    code, secret = presenter.content["code"], presenter.live.secret
    laptop = open_page(f"?class={code}", f"#presenter={secret}")
    assert laptop.content["role"] == "presenter"
    assert laptop.content["message"] == ""
    assert laptop.act("next")["question"]["key"] == SECOND.key
    assert presenter.poll()["question"]["key"] == SECOND.key


def test_a_forged_presenter_secret_is_refused_and_the_page_can_act_only_as_a_student(presenter, open_page):
    student = open_page(f"?class={presenter.content['code']}", "#presenter=made-up-secret-0123")
    assert student.content["role"] == "student"
    assert student.content["message"] == NOT_PRESENTER
    for action in ("next", "reveal", "show", "reset", "end"):
        assert student.act(action)["message"] == NOT_PRESENTER, action
    assert presenter.poll()["question"]["key"] == FIRST.key
    assert presenter.content["phase"] == "open"
    assert presenter.content["shown"] is False


@pytest.mark.parametrize(("code", "said"), [
    ("ABCDEF", "No class is running with join code ABCDEF: it is unknown or has expired."),
    ("AB<script>", "A join code is 6 characters from"),
    ("A" * 300, "A join code is 6 characters long"),
])
def test_a_join_link_with_a_bad_or_unknown_code_says_so_and_offers_the_code_box(open_page, code, said):
    page = open_page(f"?class={code}")
    assert page.content["role"] == ""
    assert page.content["message"].startswith(said)  # the region's join form shows it
    assert page.notice.visible
    assert page.notice.object.startswith(f"URL parameter class: {said}")
    assert not page.watched
    assert page.start.visible


def test_a_code_typed_in_the_join_form_joins(presenter, open_page):
    page = open_page("?class=ABCDEF")
    assert page.act("join", code="nope")["role"] == ""
    assert page.content["message"].startswith("A join code is 6 characters")
    assert page.act("join", code=f" {presenter.content['code']} ")["role"] == "student"
    assert page.content["message"] == ""


@pytest.mark.parametrize(("before", "vote", "said"), [
    ("close", {}, "Voting on this question is closed: the vote was not taken."),
    ("reveal", {}, "The answer has been revealed: votes are closed."),
    (None, {"question": SECOND.key}, f"Question {SECOND.key} is not the class's current question"),
    (None, {"question": "no-such-question"}, "Question no-such-question is not the class's current"),
    (None, {"answer": 9}, "The answer 9 is not valid"),
    (None, {"answer": "B"}, "The answer 'B' is not valid"),
    (None, {"voter": "short"}, "The voter id is not valid"),
    (None, {"seq": -1}, "The request number -1 is not valid"),
])
def test_a_refused_vote_is_shown_and_counts_nothing(presenter, open_page, before, vote, said):
    student = open_page(f"?class={presenter.content['code']}")
    if before:
        presenter.act(before)
        student.poll()
    message = student.act("vote", **{"question": FIRST.key, "answer": 1, "voter": "v" * 20, "seq": 1,
                                     **vote})["message"]
    assert message.startswith(said)
    assert student.content["answer"] is None
    assert presenter.poll()["counts"] == [0] * len(FIRST.question.choices)


def test_a_replayed_vote_is_refused(presenter, open_page):
    student = open_page(f"?class={presenter.content['code']}")
    vote = {"question": FIRST.key, "voter": "v" * 20, "seq": 5}
    student.act("vote", answer=1, **vote)
    assert student.act("vote", answer=2, **vote)["message"].startswith("Request 5 was already received")
    assert presenter.poll()["counts"] == [0, 1, 0, 0]


def test_the_presenter_and_the_audience_view_do_not_vote(presenter, open_page):
    audience = open_page(f"?class={presenter.content['code']}&audience=true")
    for page in (presenter, audience):
        content = Voter("x").vote(page, 1, question=FIRST.key)
        assert content["message"].startswith("Answers come from the join link")
    assert presenter.poll()["counts"] == [0] * len(FIRST.question.choices)


def test_an_unknown_action_is_refused(presenter):
    assert presenter.act("explode")["message"] == "Unknown live class action 'explode'."
    presenter.lecture.act(["not", "a", "dict"])
    assert presenter.content["message"] == "Unknown live class action 'None'."


def test_a_refusal_goes_when_the_class_moves_on(presenter, open_page):
    student = open_page(f"?class={presenter.content['code']}")
    presenter.act("close")
    student.poll()
    assert Voter("late").vote(student, 0)["message"].startswith("Voting on this question is closed")
    presenter.act("next")
    assert student.poll()["message"] == ""


def test_ending_the_class_returns_every_page_to_the_plain_app(presenter, open_page, store):
    code = presenter.content["code"]
    student = open_page(f"?class={code}")
    assert presenter.act("end")["role"] == ""
    assert presenter.location.hash == ""
    assert "class" not in presenter.url_query()
    assert presenter.start.visible
    assert not presenter.watched
    content = student.poll()
    assert content["role"] == ""
    assert content["message"] == f"The class {code} has ended or expired."
    assert "class" not in student.url_query()
    assert not student.watched
    assert store.join(code)[1].startswith("No class is running")


def test_a_student_who_leaves_keeps_exploring_without_the_class(presenter, open_page):
    student = open_page(f"?class={presenter.content['code']}")
    assert student.act("leave")["role"] == ""
    assert "class" not in student.url_query()
    assert not student.watched
    presenter.act("next")
    student.poll()
    assert student.session.view == FIRST.view  # the class no longer moves this page


def test_a_store_that_cannot_be_opened_is_said_when_a_class_is_started(open_page, monkeypatch, tmp_path):
    monkeypatch.setenv(STORE_ENV, f"sqlite:///{tmp_path / 'missing' / 'classes.sqlite'}")
    page = open_page()
    content = page.act("start")
    assert content["role"] == ""
    assert content["message"].startswith("The live class is not available: Cannot open the class store")


def test_one_read_per_class_and_tick_tells_only_the_pages_of_a_class_that_moved(presenter, open_page, watch,
                                                                              monkeypatch):
    other = open_page()
    other.act("start")
    students = [open_page(f"?class={presenter.content['code']}") for _ in range(3)]
    assert watch._timer.running
    assert watch._timer.period_ms == POLL_MS
    watch.tick()  # the first read of a class tells its pages, which find nothing new
    reads, polled = [], []
    store, _ = live_store()
    real_version = store.version
    monkeypatch.setattr(store, "version", lambda class_id: reads.append(class_id) or real_version(class_id))
    for page in (presenter, other, *students):
        real_poll = page.lecture.poll
        monkeypatch.setattr(page.lecture, "poll", lambda page=page, real_poll=real_poll: polled.append(page)
                            or real_poll())
    watch.tick()
    assert sorted(reads) == sorted([presenter.live.class_id, other.live.class_id])
    assert polled == []  # nothing moved
    Voter("one").vote(students[0], 1)
    reads.clear()
    watch.tick()
    assert {id(page) for page in polled} == {id(page) for page in (presenter, *students)}
    assert presenter.content["counts"] == [0, 1, 0, 0]
    for page in (presenter, other, *students):
        page.act("end" if page in (presenter, other) else "leave")
    assert not watch._pages
    assert not watch._timer
