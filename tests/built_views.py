"""The app's page with every view built, without a browser: what the contrast test and the
accessibility audit count and check in every view."""

import pytest

import dashboard.app as app
from dashboard.state.session import VIEWS, SessionState


def build_every_view():
    """``(session, {view key: layout})``: create_app()'s page with each tab opened once, as a student
    would, so every view is built as the app builds it."""
    sessions = []
    patch = pytest.MonkeyPatch()
    patch.setattr(app, "SessionState", lambda: sessions.append(SessionState()) or sessions[-1])
    try:
        page = app.create_app()
    finally:
        patch.undo()
    bar, holder = page.roots["main"].objects
    layouts = {}
    for index, key in enumerate(VIEWS):
        bar.active = index
        (layouts[key],) = holder.objects
    return sessions[0], layouts
