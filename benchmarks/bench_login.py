"""What a login costs: the round trip of a student logging in, and the time a wrong password takes.

Run: .venv/bin/python benchmarks/bench_login.py [repeats]   (default 7)

Serves the app with the console command and ``--auth`` (a users file with one user, in a temporary
folder), then times over plain HTTP, as a browser does it without rendering:

1. the login round trip: GET the login form, POST the user name and password (one scrypt check), GET
   the page the login leads to (Bokeh builds the session); and the form and POST alone;
2. the same page GET with the login cookie, without logging in again (the page alone);
3. a wrong password: POST to the answer (scrypt plus the deliberate delay);
4. the page with no login at all (``--auth`` left out, another server): what logins add to a page.

Prints medians over the repeats, and the round trip as a ratio to the page alone; no asserts.
"""

import http.client
import re
import sys
import tempfile
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from _timing import median_seconds

from dashboard.auth import add_user
from dashboard.testing import serve_app

USER, PASSWORD = "student", "a long lab password"
XSRF_FIELD = re.compile(r'name="_xsrf" value="([^"]+)"')


def request(url, path, method="GET", body=None, cookies=None):
    """(status, set cookies {name: value}, body text) of one request."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    text = response.read().decode()
    connection.close()
    return response.status, {name: morsel.value for name, morsel in jar.items()}, text


def log_in(url, password):
    """GET the form, POST it; (status, cookies after the POST)."""
    _, cookies, form = request(url, "/login")
    body = urlencode({"_xsrf": XSRF_FIELD.search(form)[1], "user": USER, "password": password})
    status, set_cookies, _ = request(url, "/login", "POST", body, cookies)
    return status, set_cookies


def round_trip(url):
    status, cookies = log_in(url, PASSWORD)
    assert status == 303, status
    page_status, _, _ = request(url, "/", cookies=cookies)
    assert page_status == 200, page_status


def main(repeats=7):
    with tempfile.TemporaryDirectory() as folder:
        users, secret = Path(folder) / "users", Path(folder) / "secret"
        add_user(users, USER, PASSWORD)
        args = ["--auth", str(users), "--cookie-secret-file", str(secret)]
        with serve_app(args=args) as (url, _):
            login_s = median_seconds(lambda: round_trip(url), repeats)
            form_s = median_seconds(lambda: log_in(url, PASSWORD), repeats)
            _, cookies = log_in(url, PASSWORD)
            page_s = median_seconds(lambda: request(url, "/", cookies=cookies), repeats)
            wrong_s = median_seconds(lambda: log_in(url, "not the password"), repeats, warmup=0)
        with serve_app() as (url, _):
            open_s = median_seconds(lambda: request(url, "/"), repeats)
    print(f"login round trip (form, POST, page): {login_s * 1000:7.0f} ms")
    print(f"  of which the form and its POST:    {form_s * 1000:7.0f} ms")
    print(f"page with the login cookie:          {page_s * 1000:7.0f} ms  (round trip / page: "
          f"{login_s / page_s:.2f})")
    print(f"page on a server without logins:     {open_s * 1000:7.0f} ms")
    print(f"wrong password (form, POST):         {wrong_s * 1000:7.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
