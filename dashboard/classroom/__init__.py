"""The live class (issue 11): a store of classes, questions and votes shared by every app process.

``open_store(url)`` opens the store a server was given (``--store``); the rules and what is kept are
described in :mod:`dashboard.classroom.store`. Nothing here imports Panel.
"""

from urllib.parse import urlsplit

from dashboard.classroom.store import ClassStatus, ClassStore, NewClass

__all__ = ["ClassStatus", "ClassStore", "NewClass", "open_store"]

#: Longest store URL accepted [characters].
URL_MAX_CHARS = 500
USAGE = ("give sqlite:///PATH (a file shared by the processes of one host) or redis://HOST:PORT "
         "(a Redis server shared by several hosts)")


def open_store(url):
    """The class store at ``url``: ``sqlite:///PATH`` (PATH relative to the working folder;
    ``sqlite:////abs/path`` for an absolute one) or ``redis://HOST:PORT[/DB]``.

    Raises ValueError with a one-line message for any other URL, or if the store cannot be opened.
    """
    text = url.strip() if isinstance(url, str) else ""
    if not text or len(text) > URL_MAX_CHARS or not text.isprintable():
        raise ValueError(f"The store {str(url)[:60]!r} is not a store URL: {USAGE}.")
    if text.startswith("sqlite:///"):
        path = text.removeprefix("sqlite:///")
        if not path or path == ":memory:" or "?" in path:
            raise ValueError(f"The store {text[:60]!r} names no file: {USAGE}.")
        from dashboard.classroom.sqlite_store import SQLiteStore

        return SQLiteStore(path)
    if urlsplit(text).scheme == "redis":
        if message := _redis_url_problem(text):
            raise ValueError(message)
        from dashboard.classroom.redis_store import RedisStore

        return RedisStore(text)
    raise ValueError(f"The store {text[:60]!r} is not one the app can use: {USAGE}.")


def _redis_url_problem(text):
    """None if ``text`` is redis://HOST[:PORT][/DB], else a one-line message."""
    parts = urlsplit(text)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # not a number, or past 65535
        port_ok = False
    if parts.hostname and port_ok and not parts.query and parts.path.strip("/") in ("", *map(str, range(16))):
        return None
    return (f"The store {text[:60]!r} is not a Redis URL: give redis://HOST:PORT or redis://HOST:PORT/DB "
            f"with DB from 0 to 15.")
