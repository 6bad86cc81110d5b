"""The guided tour on the page built by create_app(), without a browser: the messages the browser sends
(``TourView.act``) move the session and its open view, the region shows what dashboard/state/tour.py
computes, the step's controls are highlighted in the panels on the page, and the URL opens a step.
(The tour's data and rules are tests/test_tour.py's; keys and focus are tests/ui/test_tour.py's.)"""

from urllib.parse import parse_qsl

import panel as pn
import pytest
from panel.io.location import Location

import dashboard.app as app
from dashboard.state.session import VIEWS
from dashboard.state.tour import CLOSED, STEP_KEYS, STEPS
from dashboard.views.controls import ControlPanel
from dashboard.views.tour import START, TourStart

from .helpers import plotted, render
from .test_app import Page

QUESTIONS = [step for step in STEPS if step.question]


class TourPage(Page):
    """create_app()'s page with its tour view (``guide``), panel and start button."""

    def __init__(self, monkeypatch):
        guides = []
        original = app.TourView
        monkeypatch.setattr(app, "TourView", lambda *a, **k: guides.append(original(*a, **k)) or guides[-1])
        super().__init__(monkeypatch)
        (self.guide,) = guides
        self.panel = self.template.roots["tour"]
        (self.start,) = self.template.roots["tools"].select(TourStart)

    @property
    def content(self):
        return self.panel.content

    def act(self, action, **data):
        """Send what the browser sends for ``action``; return the content shown then."""
        self.guide.act({"action": action, **data})
        return self.content

    def highlighted(self):
        """(state object, name) of every highlighted control in the page's panels (sidebar, open view)."""
        panels = [*self.sidebar.select(ControlPanel), *self.holder.select(ControlPanel)]
        return {(id(panel.edits), name) for panel in panels for name in panel.highlight}

    def wanted(self, step):
        return {(id(self.session.part(part)), name) for part, name in step.highlights}


@pytest.fixture
def page(monkeypatch):
    return TourPage(monkeypatch)


def test_the_tour_starts_closed_with_a_start_button_in_the_header(page):
    assert page.start.label == START
    assert page.content["open"] is False
    assert page.highlighted() == set()
    assert page.guide.tour.step == CLOSED


def test_start_opens_the_first_step_and_every_next_shows_the_steps_data(page):
    last = f"This is the last step ({len(STEPS)} of {len(STEPS)}); exit closes the tour."
    content = page.act("start")
    for number, step in enumerate(STEPS, start=1):
        assert {k: content[k] for k in ("open", "key", "number", "count", "title", "text", "message")} == {
            "open": True, "key": step.key, "number": number, "count": len(STEPS), "title": step.title,
            "text": step.description(), "message": ""}
        assert page.guide._equation.object == f"$${step.equation}$$"
        assert page.session.view == step.view
        assert list(VIEWS)[page.bar.active] == step.view
        for part, values in step.settings.items():
            assert {n: getattr(page.session.part(part), n) for n in values} == values
        question = content["question"]
        if step.question is None:
            assert question is None
        else:
            assert question == {"prompt": step.prompt(), "choices": [c.text for c in step.question.choices],
                                "answer": None, "committed": False, "revealed": False, "result": None}
        # Every control the step names is on the page (sidebar or open view) and highlighted, no other.
        assert page.highlighted() == page.wanted(step)
        content = page.act("next")
    assert content["key"] == STEP_KEYS[-1]
    assert content["message"] == last


def test_back_and_start_again(page):
    page.act("start")
    assert page.act("back")["message"] == "This is the first step; there is none before it."
    page.act("next")
    page.act("next")
    assert page.act("back")["key"] == STEP_KEYS[1]
    assert page.act("start")["key"] == STEP_KEYS[0]


@pytest.mark.parametrize("step", QUESTIONS, ids=lambda s: s.key)
def test_predict_commit_reveal_moves_the_plots_and_explains(page, step):
    # A wrong answer on even-numbered questions, the right one on the others.
    wrong = QUESTIONS.index(step) % 2 == 0
    correct = step.correct_choice()
    answer = (correct + 1) % len(step.question.choices) if wrong else correct
    page.guide.tour.go(step.key)
    _, root = render(page.holder)
    assert page.act("commit")["message"] == "Choose an answer before committing."
    assert page.act("choose", index=answer)["question"]["answer"] == answer
    assert page.act("reveal")["message"] == "Commit an answer before the reveal."
    before = plotted(root)
    question = page.act("commit")["question"]
    assert (question["committed"], question["revealed"], question["result"]) == (True, False, None)
    assert plotted(root) == before  # nothing revealed before the reveal
    content = page.act("reveal")
    part, name, value = step.question.changed()
    assert getattr(page.session.part(part), name) == value
    if step.view in ("band", "current", "energy", "memory"):
        assert plotted(root) != before  # the open view shows the consequence
    result = content["question"]["result"]
    assert result["right"] is not wrong
    assert result["explanation"] == step.explanation()
    first = [answer, correct] if wrong else [answer]
    assert [r["index"] for r in result["reasons"]][:len(first)] == first
    assert result["reasons"][0]["why"] == step.question.choices[answer].why
    assert page.highlighted() == page.wanted(step)  # the reveal keeps the step's highlights


def test_refused_and_unknown_actions_say_why_and_change_nothing(page):
    page.act("start")
    state = (page.guide.tour.step, page.session.query())
    assert page.act("choose", index=9)["message"] == "Choice 9 does not exist: choose from 0 to 3."
    assert page.act("jump")["message"] == "Unknown tour action 'jump'."
    page.guide.act("next")  # not a dict: what no page of the app sends
    assert page.content["message"] == "Unknown tour action None."
    assert (page.guide.tour.step, page.session.query()) == state
    said = page.content["said"]
    assert page.act("back")["said"] == said + 1  # the same message again is a new one to announce


def test_exit_clears_every_highlight_and_keeps_the_state(page):
    page.guide.tour.go("fn-plot")  # the current view, one of its controls highlighted
    current = page.holder.select(ControlPanel)
    assert any(p.highlight for p in current)
    page.guide.tour.go("widening")  # back to the band: the current view's panel is off the page
    page.session.device.oxide_voltage = 11.0
    assert page.act("exit")["open"] is False
    assert page.highlighted() == set()
    assert not any(p.highlight for p in [*current, *page.sidebar.select(ControlPanel)])
    assert page.session.device.oxide_voltage == 11.0
    page.session.view = "current"  # shown again: nothing highlighted
    assert page.highlighted() == set()


def test_a_view_opened_by_hand_during_a_step_gets_its_highlights(page):
    page.guide.tour.go("fn-plot")  # highlights device and current controls
    page.session.view = "band"
    device = {(id(page.session.device), n) for p, n in STEPS[2].highlights if p == "device"}
    assert page.highlighted() == device
    page.session.view = "current"
    assert page.highlighted() == page.wanted(STEPS[2])


def url_step(location):
    """The ``step`` of the page's URL as written ('' for an empty value, None when absent)."""
    return dict(parse_qsl(location.search.lstrip("?"), keep_blank_values=True)).get("step")


@pytest.fixture
def served_url(monkeypatch):
    """Build pages as if served at a URL: a Location whose query the app reads (onload runs at once)."""
    def open_page(search):
        location = Location(search=search)
        monkeypatch.setattr(pn.state, "_location", location)
        return TourPage(monkeypatch), location
    return open_page


def test_a_link_with_a_step_opens_it_with_its_settings_and_the_url_follows(served_url):
    page, location = served_url("?step=fn-plot&vox=9")
    step = STEPS[STEP_KEYS.index("fn-plot")]
    assert page.content["key"] == "fn-plot"
    assert page.session.view == "current"
    assert page.session.device.oxide_voltage == step.settings["device"]["oxide_voltage"]  # the step wins
    assert page.notice.visible is False
    assert page.highlighted() == page.wanted(step)
    assert url_step(location) == "fn-plot"
    page.act("next")
    assert url_step(location) == STEP_KEYS[3]
    assert location.query_params["view"] == STEPS[3].view
    page.act("exit")
    assert url_step(location) is None  # closed: the URL names no step


@pytest.mark.parametrize("value", ["99", "nope", "0"])
def test_a_link_with_a_bad_step_shows_the_notice_and_the_tour_stays_closed(served_url, value):
    page, location = served_url(f"?step={value}&vox=11")
    assert page.content["open"] is False
    assert page.notice.visible
    assert page.notice.object.startswith(f"URL parameter step: Tour step '{value}' does not exist")
    assert page.session.device.oxide_voltage == 11.0  # the session's keys still apply
    assert url_step(location) is None  # closed: the URL names no step
