"""``fndam-explorer serve --workers N``: real app servers behind a real nginx on loopback ports.

One farm of two workers serves the module's tests (a page and its websocket reach one worker, static
files and the CDN safety net come from nginx, a page opens in Chromium with nothing from the internet,
a killed worker is routed around and restarted); the tests that stop the supervisor start their own.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from http_helpers import cookie_header, cookies_of, fetch, websocket_status
from proxy_helpers import TOKEN, health_worker, visit
from proxy_helpers import worker as worker_of

from dashboard.auth import SECRET_ENV, add_user
from dashboard.login import COOKIE
from dashboard.proxy import CDN_ENV, ROUTE_COOKIE, STATIC_EXPIRES
from dashboard.testing import (
    HAS_PLOT_DATA_JS,
    chromium,
    chromium_missing,
    descendants,
    free_port,
    serve_app,
    uses_jemalloc,
    wait_until,
)
from dashboard.workers import MAX_WORKERS

CLI = str(Path(sys.executable).with_name("fndam-explorer"))
STARTED = re.compile(r"(worker \d+|nginx) \((\S+)\) started, pid (\d+)")
STATIC = re.compile(r'(?:src|href)="(static/[^"]+)"')
ONE_DAY_S = 86_400
assert STATIC_EXPIRES == "1d"  # the Cache-Control value checked below


@dataclass
class Farm:
    """A running ``serve --workers`` and its log."""

    url: str
    process: subprocess.Popen
    log: Path

    def started(self):
        """Name -> (address, pid) of the latest start of every child, read from the log."""
        return {name: (address, int(pid))
                for name, address, pid in STARTED.findall(self.log.read_text(errors="replace"))}

    def worker_at(self, address):
        """(name, pid) of the worker listening on ``address`` (host:port)."""
        return next((name, pid) for name, (addr, pid) in self.started().items() if addr == address)


def descendants_named(pid, word):
    """(cmdline, pid) of the processes below ``pid`` whose command line contains ``word``."""
    found = []
    for child in descendants(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if word in cmdline:
            found.append((cmdline, child))
    return found



def alive(pid):
    """True while ``pid`` runs (a zombie has exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    """``fndam-explorer serve --workers 2`` on a free port, stopped (SIGTERM) after the module."""
    if missing := chromium_missing():
        pytest.fail(missing, pytrace=False)
    log_path = tmp_path_factory.mktemp("farm") / "serve.log"
    with open(log_path, "w") as log, serve_app(log=log, args=["--workers", "2"]) as (url, process):
        yield Farm(url, process, log_path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", f"workers must be between 1 and {MAX_WORKERS}"),
     ("-1", f"workers must be between 1 and {MAX_WORKERS}"), ("1000", "got 1000"),
     ("x", "workers must be a whole number, got 'x'"), ("2.5", "workers must be a whole number")],
)
def test_bad_worker_counts_exit_2_with_one_line(value, expected):
    result = subprocess.run([CLI, "serve", "--workers", value], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fndam-explorer: error: argument --workers: ")
    assert expected in lines[0]


def test_the_cap_says_why():
    result = subprocess.run([CLI, "serve", "--workers", str(MAX_WORKERS + 1)], capture_output=True, text=True,
                            timeout=60)
    assert "more workers than CPU cores add no speed" in result.stderr


def test_missing_nginx_is_one_line_and_exit_1():
    env = {**os.environ, "FNDAM_NGINX": "/nonexistent/nginx"}
    result = subprocess.run([CLI, "serve", "--workers", "1", "--port", str(free_port())], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == ("fndam-explorer: error: nginx not found at /nonexistent/nginx: install "
                                     "it with `make nginx` (apt-get install nginx-light) or set FNDAM_NGINX")


def test_a_page_and_its_websocket_reach_the_same_worker(farm):
    workers = {address for name, (address, _) in farm.started().items() if name.startswith("worker")}
    assert len(workers) == 2
    for _ in range(3):  # three browsers, each with the cookie nginx gives it
        seen = visit(farm.url)
        assert seen.page_worker in workers
        assert seen.websocket_worker == seen.page_worker
        assert seen.first_message["msgtype"] == "ACK"


def test_the_cookie_keeps_a_browser_on_one_worker_and_new_browsers_spread(farm):
    first, cookie = health_worker(farm.url)
    assert [health_worker(farm.url, cookie) for _ in range(10)] == [(first, None)] * 10
    fresh = {health_worker(farm.url)[0] for _ in range(20)}  # 20 new browsers: both workers get some
    assert len(fresh) == 2


def test_static_files_come_from_nginx_with_caching_headers(farm):
    page = fetch(farm.url)
    paths = sorted(set(STATIC.findall(page.text)))
    assert any(p.startswith("static/js/bokeh") for p in paths)
    assert any(p.startswith("static/extensions/panel/") for p in paths)
    worker = "http://" + page.headers["X-Upstream"] + "/"  # a page request that went straight to one
    for path in paths:
        from_proxy, from_worker = fetch(urljoin(farm.url, path)), fetch(urljoin(worker, path))
        assert from_proxy.status == 200, path
        assert from_proxy.headers["Server"] == "nginx"
        assert "X-Upstream" not in from_proxy.headers, f"{path} went to a worker"
        assert from_proxy.headers["Cache-Control"] == f"max-age={ONE_DAY_S}", path
        assert from_proxy.headers["Expires"], path
        assert from_proxy.text == from_worker.text, f"{path} differs from what the app server sends"


def test_panel_cdn_urls_are_answered_from_the_server(farm):
    """The CDN safety net: the URL Panel writes with the workers' PANEL_CDN_ROOT is served by nginx."""
    _, pid = farm.started()["worker 1"]
    environ = dict(item.split("=", 1) for item in
                   Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in item)
    cdn_dist = subprocess.run(
        [sys.executable, "-c", "import panel.io.resources as r; print(r.CDN_DIST)"],
        env={**os.environ, CDN_ENV: environ[CDN_ENV]}, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert urlsplit(cdn_dist).netloc == urlsplit(farm.url).netloc, f"Panel's CDN is elsewhere: {cdn_dist}"
    css = fetch(cdn_dist + "bundled/theme/default.css")
    assert css.status == 200
    assert "X-Upstream" not in css.headers
    assert css.text == fetch(urljoin(farm.url, "static/extensions/panel/bundled/theme/default.css")).text
    assert fetch(urljoin(farm.url, "/panel-cdn/elsewhere.css")).status == 404


@pytest.mark.ui
def test_a_page_opens_in_chromium_through_the_proxy_with_nothing_from_outside(farm):
    own = urlsplit(farm.url).netloc
    off_server, errors = [], []
    with chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda r: off_server.append(r.url)
                if urlsplit(r.url).scheme in ("http", "https", "ws", "wss") and urlsplit(r.url).netloc != own
                else None)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        response = page.goto(farm.url)
        wait_until(lambda: page.evaluate(HAS_PLOT_DATA_JS), page, timeout=60_000)
        sheets = page.evaluate("() => [...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert response.headers["x-upstream"]
    assert sheets
    assert all(urlsplit(href).netloc == own for href in sheets), sheets
    assert not off_server, f"the page requested hosts other than its server: {off_server}"
    assert not errors, f"the page logged errors: {errors}"


def test_a_killed_worker_is_routed_around_and_back_within_seconds(farm):
    address, cookie = health_worker(farm.url)
    name, pid = farm.worker_at(address)
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    seen = visit(farm.url, cookie)  # the same browser opens a new page meanwhile
    assert seen.page_worker != address
    assert seen.websocket_worker == seen.page_worker

    def restarted():
        log = farm.log.read_text(errors="replace")
        assert f"{name} ({address}) (pid {pid}) exited with status -9" in log
        assert farm.worker_at(address)[1] != pid, "not started again yet"
        assert f"{name} ({address}) is back after" in log

    wait_until(restarted, timeout=60_000, interval=100)
    back_s = time.monotonic() - killed
    print(f"killed worker answering again after {back_s:.1f} s")
    assert back_s < 20
    # Once nginx tries it again (after FAIL_TIMEOUT), the browser's cookie leads back to it.
    wait_until(lambda: health_worker(farm.url, cookie)[0] == address, timeout=30_000, interval=500)


def test_a_hung_worker_is_killed_and_restarted(tmp_path):
    log_path = tmp_path / "serve.log"
    args = ["--workers", "1", "--worker-timeout", "5"]
    with open(log_path, "w") as log, serve_app(log=log, args=args) as (url, process):
        one = Farm(url, process, log_path)
        # Supervised from here: nginx's own readiness check went through this worker.
        wait_until(lambda: "behind nginx" in log_path.read_text(errors="replace"), timeout=30_000)
        (name, (address, pid)), = [(n, s) for n, s in one.started().items() if n.startswith("worker")]
        os.kill(pid, signal.SIGSTOP)  # alive, but its event loop answers nothing
        stopped = time.monotonic()

        def replaced():
            text = log_path.read_text(errors="replace")
            assert f"{name} ({address}) (pid {pid}) has not answered for" in text
            assert one.worker_at(address)[1] != pid, "not started again yet"
            assert f"{name} ({address}) is back after" in text

        wait_until(replaced, timeout=60_000, interval=200)
        assert time.monotonic() - stopped > 5  # not before its timeout
        assert not alive(pid)
        assert fetch(url, "/").status == 200


def worker_addresses(farm):
    """host:port of every worker, as the supervisor logged them."""
    return {address for name, (address, _) in farm.started().items() if name.startswith("worker")}


def page_token(url, cookie=None):
    """(worker that rendered the page, the session token in it) for a page loaded at ``url``."""
    page = fetch(url, headers={"Cookie": f"{ROUTE_COOKIE}={cookie}"} if cookie else {})
    assert page.status == 200, f"the page answered {page.status}"
    return worker_of(page.headers), TOKEN.search(page.text)[1]


def test_every_worker_runs_with_jemalloc(farm):
    workers = [pid for name, (_, pid) in farm.started().items() if name.startswith("worker")]
    assert len(workers) == 2
    assert all(uses_jemalloc(pid) for pid in workers)


def test_workers_accept_each_others_session_tokens(farm):
    """The supervisor hands every worker the same secret: a page's token opens a websocket on any worker
    (a browser whose worker died reconnects elsewhere)."""
    proxy_origin = f"http://{urlsplit(farm.url).netloc}"  # the origin the workers allow
    rendered_by, token = page_token(farm.url)
    for address in worker_addresses(farm):
        assert websocket_status(f"http://{address}/", "/ws", token, origin=proxy_origin) == 101, (
            f"a token from {rendered_by} refused by {address}")


def test_a_server_with_another_secret_refuses_those_tokens_and_they_its(farm, tmp_path, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)  # its own secret, generated into its own file
    args = ["--cookie-secret-file", str(tmp_path / "secret")]
    with open(tmp_path / "other.log", "w") as log, serve_app(log=log, args=args) as (other_url, _):
        _, farm_token = page_token(farm.url)
        other_token = TOKEN.search(fetch(other_url).text)[1]
        assert websocket_status(other_url, "/ws", other_token) == 101  # its own token opens
        assert websocket_status(other_url, "/ws", farm_token) == 400
        worker = next(iter(worker_addresses(farm)))
        assert websocket_status(f"http://{worker}/", "/ws", other_token,
                                origin=f"http://{urlsplit(farm.url).netloc}") == 400
    assert "Traceback" not in (tmp_path / "other.log").read_text()


def start_farm(tmp_path, workers, *options):
    """A ``serve --workers`` started outside serve_app (the test stops it itself); (process, port, log)."""
    port, log = free_port(), tmp_path / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen([CLI, "serve", "--workers", str(workers), "--port", str(port), *options],
                                   stdout=out, stderr=subprocess.STDOUT)
    wait_until(lambda: "behind nginx" in log.read_text(), timeout=120_000, interval=200)
    return process, port, log


def run_dir_of(log):
    """nginx's run directory, as the supervisor logged it."""
    return Path(re.search(r"nginx configuration: (\S+)/nginx.conf", log.read_text()).group(1))


def test_sigint_stops_nginx_and_every_worker_and_exits_0(tmp_path):
    process, port, log = start_farm(tmp_path, 2)
    try:
        family = descendants(process.pid)
        assert len(family) >= 4, family  # two workers, nginx's master and its worker process
        run_dir = run_dir_of(log)
        assert run_dir.is_dir()
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
    finally:
        process.kill()
    assert [pid for pid in family if alive(pid)] == []
    assert not run_dir.exists()
    assert "SIGINT: stopping nginx and 2 workers" in log.read_text()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("localhost", port), timeout=5).close()


def test_a_killed_supervisor_leaves_no_process_behind(tmp_path):
    process, _, log = start_farm(tmp_path, 1)
    family = descendants(process.pid)
    assert len(family) >= 3, family  # a worker, nginx's master and its worker process
    process.kill()
    process.wait()
    wait_until(lambda: [pid for pid in family if alive(pid)] == [], timeout=20_000, interval=100)
    shutil.rmtree(run_dir_of(log))  # what a killed supervisor cannot clean up itself


def test_a_login_on_one_worker_holds_on_every_worker(tmp_path):
    """The supervisor reads the cookie secret once and hands it to every worker."""
    add_user(tmp_path / "users", "alice", "correct horse battery")
    secret = tmp_path / "secret"  # missing: generated once, by the supervisor
    process, port, _ = start_farm(tmp_path, 2, "--auth", str(tmp_path / "users"),
                                  "--cookie-secret-file", str(secret))
    try:
        url = f"http://localhost:{port}/"
        routes = {}  # worker -> a route cookie that leads to it
        for _ in range(40):
            worker, cookie = health_worker(url)
            routes.setdefault(worker, cookie)
        assert len(routes) == 2
        first = next(iter(routes))
        on_first = {ROUTE_COOKIE: routes[first]}
        form = fetch(url, "/login", headers={"Cookie": cookie_header(on_first)})
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)[1]
        answer = fetch(url, "/login", "POST", body=urlencode({"_xsrf": xsrf, "user": "alice",
                                                              "password": "correct horse battery"}),
                       headers={"Cookie": cookie_header({**on_first, **cookies_of(form)}),
                                "Content-Type": "application/x-www-form-urlencoded"})
        assert answer.status == 303, answer.text
        assert worker_of(answer.headers) == first
        login = {COOKIE: cookies_of(answer)[COOKIE]}
        for worker, cookie in routes.items():
            page = fetch(url, "/", headers={"Cookie": cookie_header({**login, ROUTE_COOKIE: cookie})})
            assert (page.status, worker_of(page.headers)) == (200, worker)
        assert fetch(url, "/", headers={"Cookie": cookie_header({ROUTE_COOKIE: routes[first]})}).status == 302
        for _, pid in descendants_named(process.pid, "dashboard.cli"):
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert f"{SECRET_ENV}={secret.read_text().strip()}".encode() in environ
    finally:
        process.terminate()
        process.wait(30)
