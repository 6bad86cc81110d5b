"""Fixtures of the view tier: a fresh session and notice for each test."""

import pytest

from dashboard.state.session import SessionState
from dashboard.views.notice import Notice


@pytest.fixture
def session():
    return SessionState()


@pytest.fixture
def notice():
    return Notice()
