"""nginx in front of the app's worker processes: its configuration and its command line.

Open-source nginx has no sticky-session module, so session affinity is a route cookie: a request
without a valid ``fndam_route`` cookie gets a fresh random key (nginx's ``$request_id``) and a cookie
holding it; ``hash $key consistent`` maps the key to a worker, so a page and its websocket (which
carries the cookie) reach the same worker. A worker that refuses connections is skipped
(``max_fails``, ``proxy_next_upstream``) until it is back. nginx serves Bokeh's and Panel's static
files itself, with caching headers, and ``/panel-cdn/`` is the CDN safety net (see
:data:`CDN_ENV`).

:func:`site_config` is the part that goes into nginx's ``http`` block (one file in
``/etc/nginx/conf.d`` on a proxy host, see deploy/README.md); :func:`main_config` wraps it into a
whole configuration that runs unprivileged from a temporary directory, as ``fndam-explorer serve
--workers N`` does. ``python -m dashboard.proxy --worker HOST:PORT ... --listen ADDR:PORT`` prints the
site part.
"""

import argparse
import grp
import importlib.util
import os
import pwd
import sys
from pathlib import Path

#: Debian's nginx (package nginx-light, installed by `make nginx`); FNDAM_NGINX overrides it.
NGINX = os.environ.get("FNDAM_NGINX", "/usr/sbin/nginx")
#: Name of the affinity cookie (also in deploy/kubernetes/ingress.yaml).
ROUTE_COOKIE = "fndam_route"
#: Panel reads PANEL_CDN_ROOT once, when it is imported, and writes "<root><version>/dist/..." for
#: stylesheets of a session it did not render itself (panel.io.resources.CDN_DIST). The root must be
#: an http(s) URL (Panel takes anything else for a file path and fails); with the proxy's public
#: address (:func:`cdn_root`) those URLs reach the proxy, which answers them from Panel's own files.
CDN_ENV = "PANEL_CDN_ROOT"
CDN_PATH = "/panel-cdn/"
#: How long browsers may keep static files (Bokeh's carry a content hash, Panel's its version).
STATIC_EXPIRES = "1d"
#: Bokeh pings every open websocket every 37 s, so a websocket silent this long (s) is dead.
WEBSOCKET_TIMEOUT_S = 3600
#: Bokeh's websocket handshake carries the session token (request headers and cookies inside) in one
#: header, often past nginx's 8k default: buffers for request headers (number and size) and for the
#: app servers' response headers.
HEADER_BUFFERS = "4 64k"
PROXY_BUFFER_SIZE = "64k"
#: After one refused or failed connection a worker is skipped this long (then tried again).
FAIL_TIMEOUT = "5s"

#: Content types of the files in Bokeh's and Panel's static directories.
MIME_TYPES = {
    "application/javascript": "js mjs cjs",
    "application/json": "json map",
    "application/manifest+json": "webmanifest",
    "application/wasm": "wasm",
    "application/vnd.ms-fontobject": "eot",
    "font/ttf": "ttf",
    "font/woff": "woff",
    "font/woff2": "woff2",
    "image/png": "png",
    "image/svg+xml": "svg",
    "image/x-icon": "ico",
    "text/css": "css",
    "text/html": "html",
    "text/plain": "txt",
}


def static_dirs():
    """URL path (below the prefix) -> directory of the files the app server sends for it.

    As the served page requests them: ``static/js/bokeh.min.js`` from Bokeh's server static directory
    and ``static/extensions/panel/...`` from Panel's ``dist`` directory. Panel's directory is found
    without importing Panel (which takes ~0.8 s and ~55 MB the supervisor does not need).
    """
    from bokeh.util.paths import static_path

    panel = Path(importlib.util.find_spec("panel").submodule_search_locations[0])
    return {"/static/": Path(static_path()), "/static/extensions/panel/": panel / "dist"}


def cdn_root(public_host, prefix=""):
    """The PANEL_CDN_ROOT for app servers behind a proxy that browsers reach as ``public_host``
    (``host`` or ``host:port``, as in a websocket origin)."""
    return f"http://{public_host}{prefix}{CDN_PATH}"


def listen_address(address, port):
    """``address:port`` as nginx's ``listen`` takes it (IPv6 addresses in brackets)."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _proxied(location, timeout=None):
    """A location block passing requests to the workers (affinity cookie set, worker named)."""
    lines = [f"location {location} {{", "    proxy_pass http://fndam_workers;"]
    if timeout:
        lines += [f"    proxy_read_timeout {timeout};", f"    proxy_send_timeout {timeout};"]
    # Which worker answered (tests and administrators read it); on every status, 101 included.
    lines += ["    add_header Set-Cookie $fndam_set_cookie;",
              "    add_header X-Upstream $upstream_addr always;",
              "}"]
    return lines


def _static(location, directory):
    return [f"location {location} {{",
            f"    alias {directory}/;",
            f"    expires {STATIC_EXPIRES};",
            "}"]


def site_config(listen, workers, prefix=""):
    """The ``http``-level nginx configuration: affinity maps, the worker upstream and the server.

    Parameters
    ----------
    listen : str
        What the proxy listens on, ``address:port`` (see :func:`listen_address`).
    workers : sequence of str
        The app servers, ``host:port`` each.
    prefix : str
        Path the app is served under (``""`` or like ``/fndam``, as given to the app servers).
    """
    prefix = prefix.rstrip("/")
    cookie = f"{ROUTE_COOKIE}=$request_id; Path={prefix or '/'}; HttpOnly; SameSite=Lax"
    servers = [f"    server {w} max_fails=1 fail_timeout={FAIL_TIMEOUT};" for w in workers]
    lines = [
        "# FN-DAM Explorer behind nginx (generated by dashboard/proxy.py).",
        f"# Affinity: the {ROUTE_COOKIE} cookie (a random key nginx sets when it is missing or",
        "# malformed) picks the worker, so a page and its websocket reach the same one.",
        f"map $cookie_{ROUTE_COOKIE} $fndam_route {{",
        f'    "~^[0-9a-f]{{32}}$" $cookie_{ROUTE_COOKIE};',
        "    default $request_id;",
        "}",
        f"map $cookie_{ROUTE_COOKIE} $fndam_set_cookie {{",
        '    "~^[0-9a-f]{32}$" "";',  # an empty value adds no header
        f'    default "{cookie}";',
        "}",
        # Websocket upgrades pass through; other requests keep the upstream connection alive.
        "map $http_upgrade $fndam_connection {",
        "    default upgrade;",
        '    "" "";',
        "}",
        "upstream fndam_workers {",
        "    hash $fndam_route consistent;",
        *servers,
        "    keepalive 16;",
        "}",
        "server {",
        f"    listen {listen};",
        "    server_tokens off;",
        f"    large_client_header_buffers {HEADER_BUFFERS};",
        f"    proxy_buffer_size {PROXY_BUFFER_SIZE};",
        f"    proxy_buffers 8 {PROXY_BUFFER_SIZE};",
        # A worker being restarted refuses connections: the request goes to the next one.
        "    proxy_next_upstream error timeout http_502 http_503;",
        "    proxy_connect_timeout 2s;",
        "    proxy_http_version 1.1;",
        "    proxy_set_header Host $http_host;",
        "    proxy_set_header X-Real-IP $remote_addr;",
        "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "    proxy_set_header X-Forwarded-Proto $scheme;",
        "    proxy_set_header X-Forwarded-Host $http_host;",
        "    proxy_set_header Upgrade $http_upgrade;",
        "    proxy_set_header Connection $fndam_connection;",
        "    gzip on;",
        "    gzip_comp_level 1;",
        "    gzip_types application/javascript application/json text/css;",
    ]
    body = []
    for path, directory in static_dirs().items():
        body += _static(prefix + path, directory)
    # Other Bokeh extensions' files, if any, come from the workers.
    body += _proxied(f"{prefix}/static/extensions/")
    # The CDN safety net: <root><version>/dist/<file> is Panel's dist/<file>.
    body += [f"location {prefix}{CDN_PATH} {{",
             f"    rewrite ^{prefix}{CDN_PATH}[^/]+/dist/(.*)$ {prefix}/static/extensions/panel/$1 last;",
             "    return 404;",
             "}"]
    body += _proxied(f"= {prefix}/ws", timeout=f"{WEBSOCKET_TIMEOUT_S}s")
    body += _proxied(f"{prefix}/")
    if prefix:
        body += ["location / {", "    return 404;", "}"]
    lines += ["    " + line for line in body]
    lines += ["}"]
    return "\n".join(lines) + "\n"


def main_config(run_dir, site):
    """A whole nginx.conf around ``site`` that runs in the foreground from ``run_dir``.

    Pid file and temporary files stay in ``run_dir``; errors go to stderr, access logging is off
    (the app servers log their sessions). Started by root, nginx's own workers would drop to
    ``nobody``, who may not read the installed static files (a virtual environment in a private
    folder): they run as the user who started them instead, as the app servers do (no more
    privilege than those already have).
    """
    run_dir = Path(run_dir)
    types = [f"        {mime} {exts};" for mime, exts in MIME_TYPES.items()]
    temp = [f"    {kind}_temp_path {run_dir / kind};" for kind in
            ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")]
    site_lines = ["    " + line if line else line for line in site.splitlines()]
    return "\n".join([
        *([f"user {_user_and_group()};"] if os.geteuid() == 0 else []),
        "daemon off;",
        "master_process on;",
        "worker_processes 1;",  # the cores are for the app servers; serving files and relaying is light
        f"pid {run_dir / 'nginx.pid'};",
        "error_log stderr warn;",
        "events {",
        "    worker_connections 1024;",  # two per open page (browser and worker side)
        "}",
        "http {",
        "    types {", *types, "    }",
        "    default_type application/octet-stream;",
        "    access_log off;",
        *temp,
        *site_lines,
        "}",
    ]) + "\n"


def _user_and_group():
    """'user group' of this process, for nginx's ``user`` directive."""
    return f"{pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name}"


def make_run_dir(parent=None):
    """A fresh private-to-write directory for one nginx run (searchable by nginx's own workers)."""
    import tempfile

    run_dir = Path(tempfile.mkdtemp(prefix="fndam-nginx-", dir=parent))
    run_dir.chmod(0o711)
    return run_dir


def nginx_command(run_dir):
    """The command that runs nginx in the foreground with ``run_dir/nginx.conf``."""
    return [NGINX, "-p", str(run_dir), "-c", str(Path(run_dir) / "nginx.conf"), "-e", "stderr"]


def missing_nginx():
    """A message saying how to get nginx if it is not installed, else ''."""
    if os.access(NGINX, os.X_OK):
        return ""
    return (f"nginx not found at {NGINX}: install it with `make nginx` (apt-get install nginx-light) "
            "or set FNDAM_NGINX")


def main(argv=None):
    """``python -m dashboard.proxy``: print the site configuration for app servers on other hosts."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.proxy", description=main.__doc__)
    parser.add_argument("--listen", default="0.0.0.0:80", help="address:port nginx listens on")
    parser.add_argument("--worker", action="append", required=True, metavar="HOST:PORT",
                        help="an app server (repeat for each)")
    parser.add_argument("--prefix", default="", help="path the app servers serve under, e.g. /fndam")
    args = parser.parse_args(argv)
    sys.stdout.write(site_config(args.listen, args.worker, args.prefix))


if __name__ == "__main__":
    main()
