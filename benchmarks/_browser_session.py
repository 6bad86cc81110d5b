"""One student's page of the app, driven over Bokeh's websocket protocol without a browser (for load.py).

What a browser does, as Chromium's websocket frames show it (Bokeh 3.9, Panel 1.9), and what
:class:`BrowserSession` repeats:

1. GET the page, keeping its cookies (a proxy's affinity cookie must go with the websocket upgrade);
   the page embeds the session token (``render_items = [{"token": ...}]``).
2. Open ``ws://host/<page path without trailing slashes>/ws`` (BokehJS's ``_get_ws_url``) with the
   subprotocols ``["bokeh", token]``; the server answers ``ACK``.
3. ``PULL-DOC-REQ``; the server answers ``PULL-DOC-REPLY`` with the document.
4. A ``PATCH-DOC`` with what the browser reports about itself (Panel's ``BrowserInfo``), then one with
   a ``MessageSent`` ``document_ready`` event: Panel runs the page's onload callbacks, our app builds
   the open view and sends it in a ``PATCH-DOC`` that brings its data sources.
5. Whenever the server sets ``Location.search``, the browser pushes the URL and reports it back as
   ``Location.href`` (Panel's ``location.ts``).
6. Typing a number into a box: a ``PATCH-DOC`` setting the controls' ``values`` (the map of parameter
   -> value of dashboard/views/controls.py, with one entry changed); the server answers ``OK`` and
   sends a ``PATCH-DOC`` with new plot data (``ColumnDataChanged`` events).
7. A Panel ``JSComponent`` calling ``model.send_msg(data)`` (the live class's buttons): a ``PATCH-DOC``
   with a ``MessageSent`` ``data_event`` naming the component's model and carrying ``data``.
8. A reload: the page requested again with the cookies kept, a new websocket and session.

The session keeps the pulled document's attributes up to date with the server's ``ModelChanged``
events, so a component's state (a JSComponent's ``content``) can be read at any time (:meth:`value`).

Framing (``bokeh/protocol/message.py``): a message is three text frames (header, metadata, content
JSON), then ``num_buffers`` pairs of a buffer-header text frame and a binary frame; the header holds
``msgid``, ``msgtype`` and, in a reply, ``reqid``. Incoming frames are reassembled by Bokeh's own
``Receiver``. Times are in seconds (``time.perf_counter``).
"""

import asyncio
import json
import re
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlsplit, urlunsplit

from bokeh.protocol import Protocol
from bokeh.protocol.exceptions import MessageError, ProtocolError, ValidationError
from bokeh.protocol.receiver import Receiver
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

TOKEN = re.compile(rb'"token":"([^"]+)"')
#: Document events that change a plot's data in place.
DATA_EVENTS = {"ColumnDataChanged", "ColumnsStreamed", "ColumnsPatched"}
DOCUMENT_READY = {"kind": "MessageSent", "msg_type": "bokeh_event",
                  "msg_data": {"type": "event", "name": "document_ready", "values": {"type": "map"}}}
#: What a browser reports through Panel's BrowserInfo model (as headless Chromium did, but not driven
#: by a webdriver).
BROWSER_INFO = {"dark_mode": False, "device_pixel_ratio": 1, "language": "en-US", "webdriver": False,
                "timezone": "UTC", "timezone_offset": 0, "webgl": True}
BROWSER_INFO_MODEL = "panel.models.browser.BrowserInfo"
LOCATION_MODEL = "panel.models.location.Location"
MAX_MESSAGE_BYTES = 1 << 30
#: Response header in which the proxy of ``serve --workers`` names the workers it tried, comma-separated,
#: the one that answered last (nginx's $upstream_addr, dashboard/proxy.py); absent without the proxy.
UPSTREAM_HEADER = "X-Upstream"


class SessionError(Exception):
    """What went wrong with a session, in one line ("HTTP 502 on the page", "timeout while ...")."""


def data_event(model_id, data):
    """The ``data_event`` a JSComponent's ``send_msg(data)`` triggers on its model ``model_id``."""
    values = {"type": "map", "entries": [["model", {"id": model_id}], ["data", serialized(data)]]}
    return {"kind": "MessageSent", "msg_type": "bokeh_event",
            "msg_data": {"type": "event", "name": "data_event", "values": values}}


def serialized(value):
    """A plain JSON value as BokehJS serializes it: dicts as ``{"type": "map", "entries": ...}``."""
    if isinstance(value, dict):
        return {"type": "map", "entries": [[key, serialized(item)] for key, item in value.items()]}
    if isinstance(value, list | tuple):
        return [serialized(item) for item in value]
    return value


def plain(value):
    """A serialized value back as plain Python: maps as dicts (the inverse of :func:`serialized`)."""
    if isinstance(value, dict) and value.get("type") == "map":
        return {key: plain(item) for key, item in value.get("entries", [])}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def objects(tree):
    """Every serialized Bokeh model (``{"type": "object", "id": ...}``) nested in a JSON tree."""
    if isinstance(tree, dict):
        if tree.get("type") == "object" and "id" in tree:
            yield tree
        for value in tree.values():
            yield from objects(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from objects(value)


def holds_data_source(tree):
    """True if a JSON tree (a document, events) holds a serialized ColumnDataSource."""
    return any(obj.get("name") == "ColumnDataSource" for obj in objects(tree))


def carries_plot_data(events):
    """True if document ``events`` change a data source or add one (a view being built)."""
    return any(event.get("kind") in DATA_EVENTS for event in events) or holds_data_source(events)


def answered(headers):
    """The worker that answered a response, as the proxy names it (None without the proxy)."""
    tried = headers.get(UPSTREAM_HEADER)
    return tried.split(",")[-1].strip() if tried else None


def websocket_url(page_url):
    """The websocket BokehJS opens for ``page_url``: same host, page path without trailing '/', '/ws'."""
    parts = urlsplit(page_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + "/ws", "", ""))


class BrowserSession:
    """One page of the app as a browser holds it: open, change controls, close.

    Parameters
    ----------
    url : str
        The page, ``http://host:port/path``.
    http : tornado.httpclient.AsyncHTTPClient
        Shared client for the page request (its ``max_clients`` bounds concurrent requests).
    timeout : float
        Seconds each step (open, one change) may take before it counts as an error.
    """

    def __init__(self, url, http, timeout):
        self.url, self.http, self.timeout = url, http, timeout
        self.cookies = SimpleCookie()
        self.ws = None
        self.receiver = Receiver(Protocol())
        self.models = {}  # id -> serialized model of the pulled document
        self.location = None
        self.upstreams = {}  # "page" / "websocket" -> the worker that answered, as the proxy names it
        self.phases = {}  # step of opening -> seconds from the page request to its end
        self.on_patch = []  # callables(events, time.perf_counter() at receipt) for every PATCH-DOC

    @property
    def cookie(self):
        """The cookies the server or proxy set (the affinity cookie names the backend), as one string."""
        return "; ".join(f"{key}={morsel.value}" for key, morsel in sorted(self.cookies.items())) or None

    async def open(self):
        """Request the page and open its session up to the built view; return the seconds it took.

        ``phases`` then holds when each step ended: page, ACK, document pulled, view built.
        """
        start = time.perf_counter()
        deadline = start + self.timeout

        def mark(step):
            self.phases[step] = time.perf_counter() - start

        token = await self._page_token()
        mark("page")
        await self._connect(token, deadline)
        await self._until(lambda msg: msg.msgtype == "ACK", deadline, "waiting for ACK")
        mark("ack")
        reply = await self._request("PULL-DOC-REQ", {}, deadline, "pulling the document")
        mark("pulled")
        self.models = {obj["id"]: obj for obj in objects(reply.content["doc"])}
        self.location = self._find(LOCATION_MODEL)
        info = self._find(BROWSER_INFO_MODEL)
        if info is not None:
            await self._patch([self._changed(info, attr, value) for attr, value in BROWSER_INFO.items()])
        await self._patch([DOCUMENT_READY])
        if not holds_data_source(reply.content["doc"]):
            await self._until(self._plot_data, deadline, "waiting for the view to be built")
        mark("view")
        return self.phases["view"]

    async def reload(self):
        """Open the page again as a browser reload does (the cookies kept, a new session); return the
        seconds it took."""
        self.close()
        self.receiver, self.models, self.location, self.phases = Receiver(Protocol()), {}, None, {}
        return await self.open()

    def component(self, class_name):
        """The Bokeh model of the Panel JSComponent ``class_name`` in the document (SessionError if none)."""
        for obj in self.models.values():
            if obj.get("attributes", {}).get("class_name") == class_name:
                return obj
        raise SessionError(f"no {class_name} component in the pulled document")

    def value(self, component, name):
        """The current value of the JSComponent parameter ``name`` of ``component`` (a model from
        :meth:`component`), as plain Python."""
        data = self.models[component["attributes"]["data"]["id"]]
        return plain(data["attributes"].get(name))

    async def send_msg(self, component, data):
        """Send ``data`` as the JSComponent ``component``'s ``model.send_msg(data)`` in the browser."""
        await self._patch([data_event(component["id"], data)])

    async def until(self, wanted, seconds, doing):
        """Take the server's messages (answering as a browser) until ``wanted()`` holds, checked after
        each; TimeoutError after ``seconds``, SessionError if the page's websocket closes."""
        if not wanted():
            await self._until(lambda msg: wanted(), time.perf_counter() + seconds, doing)

    async def set_value(self, name, value):
        """Type ``value`` into the control of parameter ``name``; return the seconds until the server
        sends new plot data."""
        panel, shown = self._control_panel(name)
        start = time.perf_counter()
        entries = [[key, value if key == name else old] for key, old in shown]
        await self._patch([self._changed(panel, "values", {"type": "map", "entries": entries})])
        await self._until(self._plot_data, start + self.timeout, f"waiting for new plot data after {name}")
        return time.perf_counter() - start

    def _control_panel(self, name):
        """The model holding the controls' ``values`` (dashboard/views/controls.py ControlPanel, a
        map of parameter -> value) that has ``name``, and its entries."""
        for obj in self.models.values():
            values = obj.get("attributes", {}).get("values")
            if isinstance(values, dict) and values.get("type") == "map":
                if any(key == name for key, _ in values["entries"]):
                    return obj, values["entries"]
        raise SessionError(f"no control of {name!r} in the pulled document")

    async def idle(self, seconds):
        """Stay on the page ``seconds`` as a reader does: take the server's messages, answer as a browser."""
        end = time.perf_counter() + seconds
        try:
            await self._until(lambda msg: False, end, "idle")
        except TimeoutError:
            pass

    def close(self):
        """Close the page (its websocket); the server culls the session a few seconds later."""
        if self.ws is not None:
            self.ws.close(1000, "page closed")
            self.ws = None

    async def _page_token(self):
        """GET the page with the session's cookies, keep the ones it sets, return the session token."""
        try:
            response = await self.http.fetch(HTTPRequest(self.url, headers=self._cookie_header(),
                                                         request_timeout=self.timeout))
        except HTTPClientError as exc:
            raise SessionError(f"HTTP {exc.code} on the page") from None
        except OSError as exc:
            raise SessionError(f"page request failed: {exc.strerror or exc}") from None
        self._keep_cookies(response.headers)
        self.upstreams["page"] = answered(response.headers)
        found = TOKEN.search(response.body)
        if found is None:
            raise SessionError("no Bokeh session token in the page")
        return found.group(1).decode()

    async def _connect(self, token, deadline):
        parts = urlsplit(self.url)
        request = HTTPRequest(websocket_url(self.url), request_timeout=deadline - time.perf_counter(),
                              headers={**self._cookie_header(), "Origin": f"{parts.scheme}://{parts.netloc}"})
        try:
            self.ws = await websocket_connect(request, subprotocols=["bokeh", token],
                                              max_message_size=MAX_MESSAGE_BYTES)
        except HTTPClientError as exc:
            raise SessionError(f"HTTP {exc.code} on the websocket upgrade") from None
        except OSError as exc:
            raise SessionError(f"websocket connection failed: {exc.strerror or exc}") from None
        self.upstreams["websocket"] = answered(self.ws.headers)

    def _cookie_header(self):
        return {"Cookie": self.cookie} if self.cookies else {}

    def _keep_cookies(self, headers):
        for line in headers.get_list("Set-Cookie"):
            self.cookies.load(line)

    def _find(self, name):
        return next((obj for obj in self.models.values() if obj.get("name") == name), None)

    @staticmethod
    def _changed(model, attr, value):
        return {"kind": "ModelChanged", "model": {"id": model["id"]}, "attr": attr, "new": value}

    @staticmethod
    def _plot_data(msg):
        return msg.msgtype == "PATCH-DOC" and carries_plot_data(msg.content["events"])

    async def _send(self, msgtype, content):
        """Send one message as its three text frames; return its msgid."""
        msgid = uuid.uuid4().hex.upper()
        for frame in ({"msgid": msgid, "msgtype": msgtype}, {}, content):
            await self.ws.write_message(json.dumps(frame))
        return msgid

    async def _patch(self, events):
        await self._send("PATCH-DOC", {"events": events})

    async def _request(self, msgtype, content, deadline, doing):
        """Send a request and return the server's reply to it (the message whose reqid is its msgid)."""
        msgid = await self._send(msgtype, content)
        return await self._until(lambda msg: msg.header.get("reqid") == msgid, deadline, doing)

    async def _until(self, wanted, deadline, doing):
        """Take messages (answering each as a browser would) until ``wanted(msg)``; return that message.

        Raises SessionError if the socket closes or the server sends ERROR, TimeoutError at ``deadline``.
        """
        while True:
            msg = await self._receive(deadline, doing)
            if msg.msgtype == "ERROR":
                raise SessionError(f"server ERROR while {doing}: {msg.content.get('text', '')[:200]}")
            if msg.msgtype == "PATCH-DOC":
                self._apply(msg.content["events"])
                await self._echo_location(msg.content["events"])
            if wanted(msg):
                return msg

    async def _receive(self, deadline, doing):
        """The next whole message from the server."""
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"timeout while {doing}")
            try:
                fragment = await asyncio.wait_for(self.ws.read_message(), remaining)
            except TimeoutError:
                raise TimeoutError(f"timeout while {doing}") from None
            if fragment is None:
                raise SessionError(f"websocket closed (code {self.ws.close_code}) while {doing}")
            try:
                msg = await self.receiver.consume(fragment)
            except (MessageError, ProtocolError, ValidationError) as exc:
                raise SessionError(f"bad message while {doing}: {exc}") from None
            if msg is not None:
                return msg

    def _apply(self, events):
        """Keep the pulled document's attributes current: apply ``ModelChanged`` events, note new
        models; then tell every :attr:`on_patch` callable."""
        received = time.perf_counter()
        for event in events:
            if event.get("kind") == "ModelChanged" and event["model"]["id"] in self.models:
                self.models[event["model"]["id"]].setdefault("attributes", {})[event["attr"]] = event["new"]
        self.models.update((obj["id"], obj) for obj in objects(events))
        for callback in self.on_patch:
            callback(events, received)

    async def _echo_location(self, events):
        """Report a URL the server set as the browser does: Location.href after each pushState."""
        if self.location is None:
            return
        attrs = self.location["attributes"]
        changed = False
        for event in events:
            if event.get("kind") == "ModelChanged" and event["model"]["id"] == self.location["id"] \
                    and event["attr"] in ("pathname", "search", "hash"):
                attrs[event["attr"]] = event["new"]
                changed = True
        if changed:
            parts = urlsplit(self.url)
            href = f"{parts.scheme}://{parts.netloc}{attrs.get('pathname', '')}{attrs.get('search', '')}" \
                   f"{attrs.get('hash', '')}"
            await self._patch([self._changed(self.location, "href", href)])
