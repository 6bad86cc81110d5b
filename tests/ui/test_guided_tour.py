"""The guided tour in Chromium, by keyboard alone: Tab to the header's start button, Enter, then keys
only (Tab, Space, arrows, Enter, Escape) through every step, answering each question (the right answer
on some, a wrong one on others), in the normal and the projector view. Each step is checked for its
heading and text, the open view, the values it sets (in the URL and a box), its highlighted controls,
and after the reveal the explanation and why the chosen answer was right or tempting. Screenshots:
tests/artifacts/tour-<n>-<key>[-projector].png."""

import pytest
from ui_helpers import (
    ARTIFACTS,
    box_value,
    open_app,
    query,
    screenshot,
    wait_for_notice,
    wait_for_query,
)

from dashboard.state.session import URL_KEYS, VIEWS
from dashboard.state.tour import STEPS
from dashboard.testing import settled_fingerprint, wait_for_data_change, wait_until

#: The focused element, followed into shadow roots (Panel draws every component in one).
FOCUS_JS = """() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a) return null;
  const style = getComputedStyle(a);
  return {tag: a.tagName.toLowerCase(), cls: String(a.className || ""), type: a.type || "",
          text: (a.textContent || "").trim().slice(0, 120),
          outline: `${style.outlineStyle} ${style.outlineWidth}`};
}"""

#: URL key of each (part, parameter).
KEY_OF = {target: key for key, target in URL_KEYS.items()}

REGION = "section.fndam-tour"
#: A plot's live sentence shows at most once per 1.5 s (assets/plotframe.js QUIET_MS) [ms].
PLOT_TEXT_QUIET_MS = 1600


def focused(page):
    return page.evaluate(FOCUS_JS) or {}


def wait_for_focus(page, cls, timeout=20_000):
    """Wait until the focused element has CSS class ``cls`` (or is a radio button, for 'radio') and
    shows the focus (a 3px outline)."""
    def focus_is_there():
        now = focused(page)
        ok = now.get("type") == "radio" if cls == "radio" else cls in now.get("cls", "").split()
        assert ok, f"focus on {now}, expected {cls}"
        assert now["outline"] == "solid 3px", f"no visible focus on {now}"

    wait_until(focus_is_there, page, timeout)


def text_of(page, selector):
    return " ".join(page.locator(selector).first.inner_text().split())


def wait_for_region_text(page, selector, *fragments, timeout=20_000):
    def shows():
        text = text_of(page, selector)
        missing = [f for f in fragments if " ".join(f.split()) not in text]
        assert not missing, f"{selector} shows {text!r}, missing {missing}"

    wait_until(shows, page, timeout)


def highlighted_rows(page):
    """(class list, outline) of every highlighted control row on the page."""
    return page.evaluate("""() => {
      const rows = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll("*")) {
          if (el.classList.contains("fndam-highlight")) {
            const style = getComputedStyle(el);
            rows.push([[...el.classList], style.outlineStyle, style.outlineWidth, style.outlineColor,
                       el.querySelector(".fndam-sr:not([hidden])") ? "sr" : ""]);
          }
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      return rows;
    }""")


def check_highlights(page, step):
    """Every control the step names, and no other, has a 3px Okabe-Ito blue outline and the
    screen-reader text; hidden views' panels are off the page."""
    wanted = {name for _, name in step.highlights}

    def lit():
        rows = highlighted_rows(page)
        names = {c.split("-", 1)[1] for classes, *_ in rows for c in classes
                 if c.split("-", 1)[0] in ("box", "check", "select")}
        assert names == wanted, f"highlighted {names}, expected {wanted}"
        for classes, style, width, color, sr in rows:
            assert (style, width, color, sr) == ("solid", "3px", "rgb(0, 114, 178)", "sr"), classes

    wait_until(lit, page)


def check_step(page, number, step):
    """The region, tab, URL and controls show step ``number`` (from 1)."""
    wait_for_region_text(page, ".fndam-tour-title", f"Step {number} of {len(STEPS)}: {step.title}")
    wait_for_region_text(page, ".fndam-tour-text", step.description())
    wait_for_focus(page, "fndam-tour-title")  # a new step is read from its heading
    settings = {KEY_OF[(part, name)]: value for part, values in step.settings.items()
                for name, value in values.items()}
    wait_for_query(page, step=step.key, view=step.view, **settings)
    assert page.get_by_role("tab", selected=True).inner_text().strip() == VIEWS[step.view]
    assert page.get_by_role("region", name="Guided tour").is_visible()
    numbers = [(name, v) for values in step.settings.values() for name, v in values.items()
               if isinstance(v, float) and page.locator(f".box-{name} input").count()]
    for name, value in numbers:  # the boxes show what the step set
        wait_until(lambda name=name, value=value: _box_is(page, name, value), page)
    check_highlights(page, step)


def _box_is(page, name, value):
    assert box_value(page, name) == value, f"box {name} shows {box_value(page, name)}, expected {value}"


def answer_by_keys(page, step, answer):
    """From the heading: Tab to the radio group, pick ``answer`` with Space and arrows, Tab to Commit,
    Enter, Tab to Reveal, Enter; the focus lands on the result and the plots change."""
    page.keyboard.press("Tab")
    wait_for_focus(page, "radio")
    page.keyboard.press("Space")  # the first radio (focused, none checked yet)
    for _ in range(answer):
        page.keyboard.press("ArrowDown")  # moves and checks: arrows stay in the group here
    wait_until(lambda: _answer_is(page, answer), page)
    assert query(page)["step"] == step.key  # the arrows did not leave the step
    page.keyboard.press("Tab")
    wait_for_focus(page, "fndam-tour-commit")
    page.keyboard.press("Enter")
    wait_until(lambda: _enabled(page, ".fndam-tour-reveal"), page)
    page.keyboard.press("Tab")
    wait_for_focus(page, "fndam-tour-reveal")
    before = settled_fingerprint(page)
    page.keyboard.press("Enter")
    wait_for_focus(page, "fndam-tour-result")
    wait_for_data_change(page, before)  # the plots show the consequence (and settle before a screenshot)


def tab_through_the_steps_buttons(page):
    """From the heading of a step without a question, Tab reaches Back, Next and Exit in turn, each
    with a visible focus."""
    for cls in ("fndam-tour-back", "fndam-tour-next", "fndam-tour-exit"):
        page.keyboard.press("Tab")
        wait_for_focus(page, cls)


def _answer_is(page, answer):
    held = page.locator(".fndam-tour fieldset").first.get_attribute("data-answer")
    assert held == str(answer), f"the server holds answer {held!r}, expected {answer}"


def _enabled(page, selector):
    assert page.locator(selector).first.get_attribute("aria-disabled") == "false", f"{selector} disabled"


def check_result(page, step, answer):
    """The explanation with its numbers, and the chosen answer first, marked right or wrong, with why."""
    correct = step.correct_choice()
    choices = step.question.choices
    verdict = "Your answer is right." if answer == correct else "Not quite: here is what happened."
    mark = "Your answer, right" if answer == correct else "Your answer, wrong"
    wait_for_region_text(page, ".fndam-tour-result", verdict, step.explanation())
    first = " ".join(page.locator(".fndam-tour-reasons li").first.inner_text().split())
    assert first == " ".join(f"{mark}: {choices[answer].text}. {choices[answer].why}".split())
    if answer != correct:  # the right one follows the wrong one
        second = " ".join(page.locator(".fndam-tour-reasons li").nth(1).inner_text().split())
        assert second.startswith(f"The right answer: {choices[correct].text}.")
    part, name, value = step.question.changed()
    wait_for_query(page, **{KEY_OF[(part, name)]: value})  # the reveal set the state


@pytest.mark.parametrize("display", ["normal", "projector"])
def test_walk_the_whole_tour_by_keyboard_alone(page, app_url, display):
    suffix = "-projector" if display == "projector" else ""
    if display == "projector":
        page.set_viewport_size({"width": 1024, "height": 768})  # what lecture halls still project
    open_app(page, app_url, "?projector=true" if display == "projector" else "")
    for _ in range(12):  # Tab from the top of the page to the header's start button
        page.keyboard.press("Tab")
        if "fndam-tour-start" in focused(page).get("cls", ""):
            break
    assert focused(page)["text"] == "Start the guided tour"
    wait_for_focus(page, "fndam-tour-start")
    page.keyboard.press("Enter")
    questions = 0
    for number, step in enumerate(STEPS, start=1):
        check_step(page, number, step)
        if step.question:
            questions += 1
            correct = step.correct_choice()
            answer = correct if questions % 2 else (correct + 1) % len(step.question.choices)
            answer_by_keys(page, step, answer)
            check_result(page, step, answer)
        else:
            tab_through_the_steps_buttons(page)
        page.wait_for_timeout(PLOT_TEXT_QUIET_MS)  # the plots' live sentences caught up, for the picture
        screenshot(page, f"tour-{number}-{step.key}{suffix}")
        if number < len(STEPS):
            page.keyboard.press("ArrowRight")  # from the result, the heading or a button
    page.keyboard.press("ArrowRight")  # past the last step: it says so and stays
    wait_for_region_text(page, ".fndam-tour-status", "This is the last step")
    page.keyboard.press("ArrowLeft")
    check_step(page, len(STEPS) - 1, STEPS[-2])
    page.keyboard.press("Escape")
    wait_until(lambda: _closed(page), page)
    wait_for_focus(page, "fndam-tour-start")  # back where the tour began
    assert (ARTIFACTS / f"tour-{len(STEPS)}-{STEPS[-1].key}{suffix}.png").exists()


def _closed(page):
    assert not page.locator(REGION).first.is_visible(), "the tour is still shown"
    assert query(page).get("step", "") == "", f"URL still has step={query(page).get('step')}"
    assert highlighted_rows(page) == [], "controls still highlighted"


def test_a_link_opens_its_step_and_a_bad_step_only_the_notice(page, app_url):
    open_app(page, app_url, "?step=fn-plot")
    step = STEPS[2]
    wait_for_region_text(page, ".fndam-tour-title", f"Step 3 of {len(STEPS)}: {step.title}")
    wait_for_query(page, step="fn-plot", view="current", vox=8.0)
    check_highlights(page, step)
    open_app(page, app_url, "?step=99&vox=11")
    wait_for_notice(page, "URL parameter step: Tour step '99' does not exist")
    wait_for_query(page, vox=11.0)
    assert not page.locator(REGION).first.is_visible()
    assert highlighted_rows(page) == []
