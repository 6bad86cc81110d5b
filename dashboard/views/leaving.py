"""A page's session: whether the page is served, and when it goes away (its browser's connection
closes: a closed tab, a lost network) what its views stop and how soon the server drops it."""

import panel as pn
from bokeh.events import ConnectionLost


def served_doc():
    """The current page's Bokeh document when it is served (in a session), else None (tests and
    notebooks, where there is no browser connection and no server loop)."""
    doc = pn.state.curdoc
    return doc if doc is not None and doc.session_context is not None else None


def on_leave(callback):
    """Call ``callback()`` once the current page's browser is gone; a no-op outside a served session.

    The server keeps a page's session for ``dashboard.serving.UNUSED_SESSION_MS`` (a minute) after
    its websocket closes, in case it comes back; work a page started (a playing run, an animation)
    would run on for nobody meanwhile. So ``callback`` runs when the connection closes (in the
    session, as its own callbacks do), and again when the session is destroyed: it must be safe to
    call twice. A page that reconnects finds its work paused.
    """
    doc = served_doc()
    if doc is None:
        return
    # Bokeh tells the document of a closed connection outside its lock: the callback goes through
    # the session's next tick, where changes to the page are allowed.
    doc.on_event(ConnectionLost, lambda _: doc.add_next_tick_callback(callback))
    doc.on_session_destroyed(lambda _: callback())


def release_when_left():
    """Have the server drop the current page's session at its next check for unused sessions
    (``dashboard.serving.CHECK_SESSIONS_MS``) after the page's connection closes, rather than after
    ``UNUSED_SESSION_MS``; a no-op outside a served session.

    That minute is for a page whose websocket has not come yet (a whole class opening at once); a page
    that has been and gone only holds memory meanwhile: ~20 closed pages per worker at a page every
    1.7 s (benchmarks/load.py --soak), the heap's high-water mark. A page that comes back later opens
    a new session from its URL, as after a worker restart.
    """
    doc = served_doc()

    def expire():
        # Bokeh's session context holds its server session privately (``_session``, Bokeh 3.9); its
        # ``request_expiration`` has the next check drop it once no connection is left (a flag: asking
        # again as the session is destroyed does nothing).
        session = getattr(doc.session_context, "_session", None)
        if session is not None:
            session.request_expiration()

    on_leave(expire)
