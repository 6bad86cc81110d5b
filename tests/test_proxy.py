"""The nginx configuration dashboard/proxy.py writes: nginx itself accepts it, its static directories
hold what the page requests, the values it shares with the CLI agree, and the supervisor that writes it
runs without Panel."""

import grp
import os
import pwd
import subprocess
import sys

import pytest

from dashboard import proxy, workers
from dashboard.cli import build_parser

SITES = [
    ("127.0.0.1:8080", ["127.0.0.1:9001", "127.0.0.1:9002"], ""),
    ("[::1]:8080", ["10.0.0.2:5006", "10.0.0.3:5006"], "/lab/fndam"),
]


@pytest.mark.parametrize(("listen", "upstreams", "prefix"), SITES)
def test_nginx_accepts_the_whole_configuration(tmp_path, listen, upstreams, prefix):
    if missing := proxy.missing_nginx():
        pytest.fail(missing, pytrace=False)
    run_dir = proxy.make_run_dir(tmp_path)
    conf = run_dir / "nginx.conf"
    conf.write_text(proxy.main_config(run_dir, proxy.site_config(listen, upstreams, prefix)))
    result = subprocess.run([*proxy.nginx_command(run_dir), "-t", "-q"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_the_site_part_routes_by_cookie_to_every_worker_and_serves_files_under_the_prefix():
    site = proxy.site_config("0.0.0.0:80", ["10.0.0.2:5006", "10.0.0.3:5006"], "/fndam")
    assert "hash $fndam_route consistent;" in site
    assert f"map $cookie_{proxy.ROUTE_COOKIE} $fndam_route" in site
    assert f"{proxy.ROUTE_COOKIE}=$request_id; Path=/fndam;" in site
    for upstream in ("10.0.0.2:5006", "10.0.0.3:5006"):
        assert f"server {upstream} max_fails=1" in site
    for location in ("/fndam/static/ ", "/fndam/static/extensions/panel/ ", "= /fndam/ws ", "/fndam/ "):
        assert f"location {location}{{" in site
    assert "location / {\n        return 404;" in site  # nothing outside the prefix
    assert "proxy_set_header Upgrade $http_upgrade;" in site
    assert f"proxy_read_timeout {proxy.WEBSOCKET_TIMEOUT_S}s;" in site


def test_static_directories_hold_the_files_the_page_names():
    dirs = proxy.static_dirs()
    assert (dirs["/static/"] / "js" / "bokeh.min.js").is_file()
    assert (dirs["/static/extensions/panel/"] / "panel.min.js").is_file()
    assert (dirs["/static/extensions/panel/"] / "bundled" / "theme" / "default.css").is_file()


def test_the_cdn_root_is_an_http_url_under_the_prefix():
    assert proxy.cdn_root("lab:8080", "/fndam") == "http://lab:8080/fndam/panel-cdn/"
    assert proxy.cdn_root("lab") == "http://lab/panel-cdn/"


def test_the_supervisor_imports_no_panel(tmp_path):
    """It shares the app servers' facts (dashboard.serving) without Panel's ~55 MB and ~0.8 s."""
    code = ("import sys; from pathlib import Path; from dashboard import workers; "
            "from dashboard.cli import build_parser; "
            "args = build_parser().parse_args(['serve', '--workers', '2', '--prefix', '/fndam']); "
            f"workers.build_children(args, Path({str(tmp_path)!r}), 's' * 43); "
            "print(sorted({name.split('.')[0] for name in sys.modules} & {'panel', 'holoviews', 'param'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "nginx.conf").is_file()  # it did build the children


def test_listen_addresses_bracket_ipv6():
    assert proxy.listen_address("0.0.0.0", 80) == "0.0.0.0:80"
    assert proxy.listen_address("::", 80) == "[::]:80"


def test_python_m_dashboard_proxy_prints_the_site_part():
    result = subprocess.run([sys.executable, "-m", "dashboard.proxy", "--listen", "0.0.0.0:80",
                             "--worker", "10.0.0.2:5006", "--worker", "10.0.0.3:5006", "--prefix", "/fndam"],
                            capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout == proxy.site_config("0.0.0.0:80", ["10.0.0.2:5006", "10.0.0.3:5006"], "/fndam")


def passed_on(folder):
    """A non-default value for every ``serve`` option the workers repeat (a store the CLI can open in
    ``folder``). A new option fails test_every_serve_option_is_set_by_the_supervisor_or_passed_on until
    it is listed here."""
    return {"prefix": ["--prefix", "/fndam"], "auth": ["--auth", "users.txt"],
            "cookie_secret_file": ["--cookie-secret-file", "secret.txt"],
            "store": ["--store", f"sqlite:///{folder / 'classes.sqlite'}"]}


def test_every_serve_option_is_set_by_the_supervisor_or_passed_on(tmp_path):
    options = set(vars(build_parser().parse_args(["serve"])))
    assert options == workers.OWN_OPTIONS | set(passed_on(tmp_path))


def test_workers_get_the_users_other_options_back_unchanged(tmp_path):
    given = passed_on(tmp_path)
    words = [word for option in given.values() for word in option]
    args = build_parser().parse_args(["serve", "--workers", "3", "--port", "80", "--address", "0.0.0.0",
                                      "--allow-websocket-origin", "lab:80", *words])
    passed = workers.worker_options(args)
    assert sorted(passed) == sorted(words)
    again = build_parser().parse_args(["serve", *passed])
    for dest in given:
        assert getattr(again, dest) == getattr(args, dest)


def test_worker_command_binds_loopback_and_allows_the_public_origins():
    args = build_parser().parse_args(["serve", "--workers", "2", "--port", "8080"])
    assert workers.public_origins(args) == ["localhost:8080"]
    command = workers.worker_command(40001, workers.public_origins(args), [])
    assert command[1:] == ["-m", "dashboard.cli", "serve", "--port", "40001", "--address", "127.0.0.1",
                           "--allow-websocket-origin", "localhost:8080"]
    named = build_parser().parse_args(["serve", "--workers", "2", "--allow-websocket-origin", "lab:80"])
    assert workers.public_origins(named) == ["lab:80"]


def test_nginx_workers_run_as_whoever_started_them_when_that_is_root(tmp_path):
    # Root's nginx would drop its workers to 'nobody', who cannot read a virtual environment in a
    # private folder (a fresh clone in a mode-700 temporary directory): every static file got 403.
    first = proxy.main_config(tmp_path, "").splitlines()[0]
    if os.geteuid() == 0:
        assert first == f"user {pwd.getpwuid(0).pw_name} {grp.getgrgid(os.getegid()).gr_name};"
    else:
        assert not first.startswith("user ")  # meaningless (and warned about) without root
