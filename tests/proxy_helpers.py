"""What a browser does through the proxy, in plain HTTP: load the page (with or without the affinity
cookie) and open its Bokeh websocket, reading which worker answered each (nginx's ``X-Upstream``)."""

import asyncio
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from http_helpers import fetch
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from dashboard.proxy import ROUTE_COOKIE

TOKEN = re.compile(r'"token":\s*"([^"]+)"')


@dataclass
class Visit:
    """One page load and its websocket: the cookie used and the worker (host:port) of each."""

    cookie: str
    page_worker: str
    websocket_worker: str
    first_message: dict


def worker(headers):
    """The worker that answered, from nginx's ``X-Upstream`` header (the last one tried: after a refused
    connection nginx lists every worker it tried, ``"127.0.0.1:4001, 127.0.0.1:4002"``)."""
    return headers["X-Upstream"].split(", ")[-1]


def route_cookie(response):
    """The value nginx set for the affinity cookie in ``response``, or None."""
    for header in response.cookies():
        name, _, rest = header.partition("=")
        if name == ROUTE_COOKIE:
            return rest.split(";", 1)[0]
    return None


def open_websocket(url, cookie, token):
    """Open the page's Bokeh websocket as its browser would; (response headers, first message header).

    The first message is Bokeh's ACK, which the server sends once the session is attached.
    """
    parts = urlsplit(url)
    ws_url = f"ws://{parts.netloc}{parts.path.rstrip('/')}/ws"

    async def handshake():
        request = HTTPRequest(ws_url, headers={"Cookie": f"{ROUTE_COOKIE}={cookie}",
                                               "Origin": f"http://{parts.netloc}"})
        connection = await websocket_connect(request, subprotocols=["bokeh", token])
        try:
            return connection.headers, json.loads(await connection.read_message())
        finally:
            connection.close()

    return asyncio.run(handshake())


def visit(url, cookie=None):
    """Load the page at ``url`` (sending ``cookie`` if given) and open its websocket; a :class:`Visit`."""
    page = fetch(url, headers={"Cookie": f"{ROUTE_COOKIE}={cookie}"} if cookie else {})
    assert page.status == 200, f"the page answered {page.status}"
    cookie = cookie or route_cookie(page)
    assert cookie, f"nginx set no {ROUTE_COOKIE} cookie: {page.cookies()}"
    token = TOKEN.search(page.text)
    assert token, "the page carries no Bokeh session token"
    headers, message = open_websocket(url, cookie, token.group(1))
    return Visit(cookie, worker(page.headers), worker(headers), message)


def health_worker(url, cookie=None):
    """The worker that answered ``<url>healthz`` through the proxy (a cheap request with the same
    routing as a page), and the cookie nginx set (None when ``cookie`` was sent and valid)."""
    response = fetch(url.rstrip("/") + "/healthz",
                     headers={"Cookie": f"{ROUTE_COOKIE}={cookie}"} if cookie else {})
    assert response.status == 200, f"healthz answered {response.status}"
    return worker(response.headers), route_cookie(response)
