"""The live class in Chromium: a presenter starts a class, the projector's audience view and three
students (one on a phone, 390 x 844) open its links, answer the first question, and the presenter closes
it, shows the room's histogram and reveals the answer; every page follows, each answer is counted once,
a vote after the close is refused on the page, and ending the class frees every page; axe-core finds
no serious or critical violation on any of them, open and revealed. Served directly
and through the proxy with two workers, where the pages are spread over both workers on purpose (the
class lives in the shared store). Screenshots: tests/artifacts/live-*-<serving>.png."""

from urllib.parse import urlsplit

import pytest
from proxy_helpers import health_worker
from test_accessibility import audit
from ui_helpers import ARTIFACTS, open_app, screenshot

from dashboard.proxy import ROUTE_COOKIE
from dashboard.state.classroom import QUESTIONS
from dashboard.testing import wait_until

FIRST = QUESTIONS[0]
RIGHT = FIRST.correct_choice()
LETTERS = "ABCD"
#: The students' answers: two right, one not.
ANSWERS = {"student-1": RIGHT, "student-2": RIGHT, "student-phone": (RIGHT + 1) % len(FIRST.question.choices)}


def worker_routes(url):
    """Two route cookies that send a browser to different workers through the proxy at ``url``."""
    routes = {}
    for _ in range(64):  # each request without a cookie gets a random one
        worker, cookie = health_worker(url)
        routes.setdefault(worker, cookie)
        if len(routes) == 2:
            return list(routes.values())
    raise AssertionError(f"64 new routes all went to {list(routes)}")


class Pages:
    """Browser contexts of their own (each one browser, with its own storage and voter id), each
    checked as tests/ui/conftest's page is: no request off the server, no console or page error."""

    def __init__(self, browser, url):
        self.browser, self.url = browser, url
        self.contexts, self.errors, self.off_server = [], [], []

    def open(self, name, width, height, route=None):
        context = self.browser.new_context(viewport={"width": width, "height": height})
        if route:
            context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": self.url}])
        page = context.new_page()
        own = urlsplit(self.url).netloc
        page.on("request", lambda r: self.off_server.append(r.url)
                if urlsplit(r.url).scheme in ("http", "https", "ws", "wss") and urlsplit(r.url).netloc != own
                else None)
        page.on("console", lambda m: self.errors.append(f"{name}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"{name}: {exc}"))
        self.contexts.append(context)
        return page

    def close(self):
        for context in self.contexts:
            context.close()
        assert not self.off_server, f"pages requested hosts other than their server: {self.off_server}"
        assert not self.errors, f"pages logged errors: {self.errors}"


@pytest.fixture
def pages(browser, app_url):
    opened = Pages(browser, app_url)
    yield opened
    opened.close()


def region_text(page):
    return " ".join(page.locator(".fndam-live").first.inner_text().split())


def wait_for_region(page, *fragments, timeout=20_000):
    """Wait until the live class region shows every fragment; its text then."""
    seen = [""]

    def shows():
        seen[0] = region_text(page)
        missing = [f for f in fragments if f not in seen[0]]
        assert not missing, f"the live class region lacks {missing}: {seen[0]!r}"

    wait_until(shows, page, timeout)
    return seen[0]


def counts_shown(page):
    """The count of each answer in the page's bars."""
    return [int(text.split()[0]) for text in page.locator(".fndam-live-bar-count").all_inner_texts()]


def test_a_class_runs_a_question_from_start_to_reveal(pages, app_url, request):
    serving = request.node.callspec.params["app_url"]
    # Through the proxy: the presenter and one student on one worker, the room and two students on the other.
    routes = worker_routes(app_url) if serving == "proxy" else [None, None]
    route = lambda i: routes[i % 2]  # noqa: E731
    presenter = pages.open("presenter", 1400, 1250, route(0))
    open_app(presenter, app_url)
    presenter.get_by_role("button", name="Start a live class").click()
    text = wait_for_region(presenter, "you present", f"Question 1 of {len(QUESTIONS)}: {FIRST.title}")
    code = presenter.locator(".fndam-live-code strong").first.inner_text()
    assert f"Live class {code}" in text
    join = presenter.locator(".fndam-live-join a").first.get_attribute("href")
    assert join == f"{app_url}?class={code}"
    assert presenter.locator(".fndam-live-qr svg").count() == 1
    assert presenter.evaluate("location.hash").startswith("#presenter=")
    audience_link = presenter.locator(".fndam-live-links a").first.get_attribute("href")

    room = pages.open("audience", 1024, 768, route(1))
    open_app(room, audience_link)
    wait_for_region(room, f"Join code {code}", FIRST.prompt(), "Voting is open")
    assert room.locator(".fndam-live-qr svg").count() == 1
    assert room.locator(".fndam-live-bars").is_hidden()  # the room's answers wait for the presenter

    students = {}
    for i, (name, answer) in enumerate(ANSWERS.items()):
        size = (390, 844) if name == "student-phone" else (1280, 900)
        student = pages.open(name, *size, route(i + 1))
        open_app(student, join)
        wait_for_region(student, f"Live class {code}", FIRST.title, FIRST.prompt())
        student.get_by_role("radio", name=f"{LETTERS[answer]}. {FIRST.question.choices[answer].text}").check()
        student.get_by_role("button", name="Send my answer").click()
        wait_for_region(student, f"Your answer {LETTERS[answer]} is counted; you can change it until the "
                                 "question closes.")
        students[name] = student

    expected = [list(ANSWERS.values()).count(i) for i in range(len(FIRST.question.choices))]
    wait_for_region(presenter, f"Voting is open. {len(ANSWERS)} answers. Only you see the answers.")
    assert counts_shown(presenter) == expected
    everyone = [("presenter", presenter), ("audience", room), *students.items()]
    assert [found for name, page in everyone for found in audit(page, f"{name}, voting open")] == []
    presenter.get_by_role("button", name="Close voting").click()
    phone = students["student-phone"]
    wait_for_region(phone, f"Your answer {LETTERS[ANSWERS['student-phone']]} was counted.")
    # Too late: the button says it cannot act (aria-disabled), but a press still asks, and the store refuses.
    phone.get_by_role("button", name="Send my answer").click(force=True)
    wait_for_region(phone, "Voting on this question is closed: the vote was not taken.")
    wait_for_region(room, "Voting is closed.")

    presenter.get_by_role("button", name="Show the histogram to the room").click()
    wait_for_region(room, f"Voting is closed. {len(ANSWERS)} answers.")
    assert counts_shown(room) == expected
    for student in students.values():
        wait_until(lambda student=student: counts_shown(student) == expected, student)

    presenter.get_by_role("button", name="Reveal the answer").click()
    right = f"The answer: {LETTERS[RIGHT]}. {FIRST.question.choices[RIGHT].text}"
    explanation = FIRST.explanation()
    for name, student in students.items():
        mine = "Your answer was right." if ANSWERS[name] == RIGHT else \
            f"Your answer was {LETTERS[ANSWERS[name]]}: not this time."
        wait_for_region(student, right, mine, explanation)
    wait_for_region(room, right, explanation)
    wait_for_region(presenter, "The answer is revealed.")

    assert [found for name, page in everyone for found in audit(page, f"{name}, revealed")] == []
    for name, page in everyone:
        path = screenshot(page, f"live-{name}-{serving}")
        assert path.parent == ARTIFACTS

    end = presenter.get_by_role("button", name="End the class")
    end.click()
    presenter.get_by_role("button", name="Press again to end the class for everyone").click()
    presenter.get_by_role("button", name="Start a live class").wait_for()
    for page in (room, *students.values()):
        wait_for_region(page, f"The class {code} has ended or expired.")
