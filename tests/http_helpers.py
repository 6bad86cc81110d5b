"""Plain HTTP against a served app, for the server, auth and edge tests: one request, no redirects
followed, no cookies kept unless the test passes them, so each test sees exactly what the server said."""

import asyncio
import http.client
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

#: What in a page makes a browser fetch more: a script, a link (other than to inline data), a source, a
#: CSS url(), an absolute address.
_FETCHES = re.compile(r"<script|<link(?![^>]*href=\"data:)|src=|url\(|https?://")


def fetches(html):
    """The places in ``html`` that would make a browser ask a server for more ([] for a page that
    works offline on its own)."""
    return _FETCHES.findall(html)


@dataclass
class Response:
    """What the server answered: status, headers (``email.message.Message``) and body as text."""

    status: int
    headers: object
    text: str

    def cookies(self):
        """The ``Set-Cookie`` header values, in order."""
        return self.headers.get_all("Set-Cookie") or []


def fetch(url, target="", method="GET", headers=None, body=None, timeout=30):
    """One request for ``target`` (path and query, sent as given) on the server of ``url``.

    ``target`` defaults to ``url``'s own path and query; ``body`` (str) is sent as it is.
    """
    parts = urlsplit(url)
    target = target or parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def raw_status(url, request, timeout=30):
    """Send the bytes ``request`` as they are to the server of ``url``; the status of its answer.

    For requests http.client refuses to write (control characters, raw bytes, broken lines). Returns
    None when the server closes the connection without an answer (what tornado does with a request it
    cannot parse at all, such as one with headers over its 64 KiB limit, even while it is being sent).
    """
    parts = urlsplit(url)
    received = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        try:
            sock.sendall(request)
            while b"\r\n" not in received:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                received += chunk
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server hung up: whatever it answered before is in `received`
    status_line = received.split(b"\r\n", 1)[0].split()
    return int(status_line[1]) if len(status_line) > 1 else None


def wait_for_log(log_path, condition, timeout=10):
    """True once ``condition(text of the log)`` holds, False after ``timeout`` s (a server logs a
    request after it has answered it)."""
    deadline = time.monotonic() + timeout
    while not condition(log_path.read_text()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def websocket_status(url, path, token, origin=None, cookie=None):
    """101 if a Bokeh websocket at ``path`` on the server of ``url`` opens (its first message, Bokeh's
    ACK, read), else the HTTP status that refused the handshake.

    ``token`` is the session token (sent as Bokeh's page does, as the subprotocol after ``bokeh``);
    ``origin`` defaults to the server's own page (``http://localhost:<port>``); ``cookie`` is a
    ``Cookie`` header value.
    """
    parts = urlsplit(url)
    headers = {"Origin": origin or f"http://localhost:{parts.port}", **({"Cookie": cookie} if cookie else {})}

    async def connect():
        request = HTTPRequest(f"ws://{parts.netloc}{path}", headers=headers)
        try:
            connection = await websocket_connect(request, subprotocols=["bokeh", token])
        except HTTPClientError as exc:
            return exc.code
        message = await connection.read_message()
        connection.close()
        return 101 if message else None

    # in a thread of its own: Playwright's sync API (the browser tests, same process) keeps an event loop
    # running in this one
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, connect()).result()


def cookies_of(response):
    """name -> value of the cookies ``response`` sets."""
    jar = SimpleCookie()
    for header in response.cookies():
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies):
    return "; ".join(f"{name}={value}" for name, value in cookies.items())
