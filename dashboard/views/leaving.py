"""What a view does when its page goes away: the browser's connection closes (a closed tab, a lost
network) or the server drops the session."""

import panel as pn
from bokeh.events import ConnectionLost


def on_leave(callback):
    """Call ``callback()`` once the current page's browser is gone; a no-op outside a served session.

    The server keeps a page's session for ``dashboard.serving.UNUSED_SESSION_MS`` (a minute) after
    its websocket closes, in case it comes back; work a page started (a playing run, an animation)
    would run on for nobody meanwhile. So ``callback`` runs when the connection closes (in the
    session, as its own callbacks do), and again when the session is destroyed: it must be safe to
    call twice. A page that reconnects finds its work paused.
    """
    doc = pn.state.curdoc
    if doc is None or doc.session_context is None:
        return
    # Bokeh tells the document of a closed connection outside its lock: the callback goes through
    # the session's next tick, where changes to the page are allowed.
    doc.on_event(ConnectionLost, lambda _: doc.add_next_tick_callback(callback))
    doc.on_session_destroyed(lambda _: callback())
