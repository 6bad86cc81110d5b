"""Fixtures of the view tier. A test module names its view with ``build(session, notice)``; the view is
rendered once per module (rendering costs ~0.4 s, a change ~0.1 s) and every test gets it back with
the session at its defaults (``session.reset()``, the learning run restarted) and the notice cleared."""

from types import SimpleNamespace

import pytest

from dashboard.state.session import SessionState
from dashboard.views.notice import Notice

from .helpers import render


@pytest.fixture(scope="module")
def built(request):
    session, notice = SessionState(), Notice()
    view = request.module.build(session, notice)
    doc, root = render(view)
    return SimpleNamespace(session=session, notice=notice, view=view, doc=doc, root=root)


@pytest.fixture
def view(built):
    yield built.view
    built.session.reset()
    if built.session.learning.steps_done:
        built.session.learning.reset()  # a run at defaults keeps its steps through session.reset()
    built.notice.clear()


@pytest.fixture
def session(built, view):
    return built.session


@pytest.fixture
def notice(built, view):
    return built.notice


@pytest.fixture
def root(built, view):
    return built.root
