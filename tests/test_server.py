"""The server's asyncio exception handler: closed pages are not errors, everything else still is."""

from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError

from dashboard.server import quiet_closed_pages


class RecordingLoop:
    """Stands in for the event loop: records what reaches asyncio's default handler."""

    def __init__(self):
        self.default = []

    def default_exception_handler(self, context):
        self.default.append(context)


def test_a_closed_page_is_logged_as_one_info_line(caplog):
    loop = RecordingLoop()
    caplog.set_level("INFO", logger="dashboard.server")
    for error in (WebSocketClosedError(), StreamClosedError()):
        quiet_closed_pages(loop, {"message": "Task exception was never retrieved", "exception": error})
    assert loop.default == []
    assert [r.levelname for r in caplog.records] == ["INFO", "INFO"]
    assert "page closed" in caplog.records[0].getMessage()


def test_any_other_exception_reaches_the_default_handler():
    loop = RecordingLoop()
    context = {"message": "Task exception was never retrieved", "exception": ZeroDivisionError()}
    quiet_closed_pages(loop, context)
    quiet_closed_pages(loop, {"message": "no exception object"})
    assert loop.default == [context, {"message": "no exception object"}]
