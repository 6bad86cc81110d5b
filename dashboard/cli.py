"""Command line: ``fndam-explorer serve [--port N] [--address A] [--allow-websocket-origin H]...
[--prefix /PATH] [--auth FILE] [--store URL]`` and ``fndam-explorer adduser FILE USER [--password-stdin]``.

Bad input prints one line, ``fndam-explorer: error: ...``, and exits with status 2 (argparse's
convention); a port already taken or a users or secret file that cannot be used exits with status 1.
None of them prints a traceback.
"""

import argparse
import errno
import getpass
import os
import re
import socket
import sys

from dashboard import allocator, auth

PROG = "fndam-explorer"
#: One path segment of --prefix: letters, digits and the URL-safe marks ``. _ ~ -``.
_PREFIX_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are a single line (no usage block) and exit status 2."""

    def error(self, message):
        self.exit(2, f"{PROG}: error: {message} (see '{self.prog} --help')\n")


def _whole_number(text, what, low, high, why=""):
    """``text`` as an int in ``low..high``; the errors name ``what`` (and ``why`` the bounds)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what} must be a whole number, got {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{what} must be between {low} and {high}{why}, got {value}")
    return value


def _port(text):
    """A TCP port number 1..65535."""
    return _whole_number(text, "port", 1, 65535)


def _host(text):
    """A non-empty host name or address without spaces or a scheme."""
    if not text or any(ch.isspace() for ch in text) or "://" in text:
        raise argparse.ArgumentTypeError(f"expected a host name or address like 'localhost', got {text!r}")
    return text


def _origin(text):
    """A websocket origin, 'host' or 'host:port', as Bokeh expects it; no wildcard."""
    if "*" in text:
        raise argparse.ArgumentTypeError(
            f"websocket origin {text!r} has a wildcard: any web page whose address matches could open "
            "sessions here with the visitor's login; name each host, e.g. lab-server:5006")
    _, _, port = _host(text).partition(":")
    if port:
        _port(port)
    return text


def _workers(text):
    """A number of app server processes, 1..MAX_WORKERS."""
    from dashboard.workers import MAX_WORKERS

    return _whole_number(text, "workers", 1, MAX_WORKERS, " (each is a whole app server of ~170 MB, and "
                                                            "more workers than CPU cores add no speed)")


def _worker_timeout(text):
    """``--worker-timeout``: whole seconds, 5 to 3600."""
    return _whole_number(text, "worker timeout", 5, 3600, " seconds")


def _prefix(text):
    """A URL path prefix such as '/fndam' or '/lab/fndam' ('' or '/' for none), without its last '/'."""
    path = text.strip("/")
    if not path:
        return ""
    if not text.startswith("/") or any(not _PREFIX_SEGMENT.fullmatch(segment) or segment in (".", "..")
                                       for segment in path.split("/")):
        raise argparse.ArgumentTypeError(
            f"prefix must be a path like /fndam (letters, digits, . _ ~ - between slashes), got {text!r}")
    return "/" + path


def _store(text):
    """A live class store URL that opens: sqlite:///PATH or redis://HOST:PORT."""
    from dashboard.live_store import check_store  # the store's client is imported only when asked for

    if message := check_store(text):
        raise argparse.ArgumentTypeError(message)
    return text


def _user(text):
    """A user name auth.USER_NAME accepts."""
    try:
        return auth.check_user_name(text)
    except auth.AuthSetupError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser():
    """The argument parser with its ``serve`` subcommand."""
    parser = _Parser(prog=PROG, description="FN-DAM Explorer: a browser dashboard for FN-DAM.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{serve,adduser}",
                                     parser_class=_Parser)
    serve = commands.add_parser("serve", help="serve the dashboard over HTTP")
    serve.add_argument("--port", type=_port, default=5006, help="TCP port (default 5006)")
    serve.add_argument("--address", type=_host, default="localhost",
                       help="address to listen on (default localhost; 0.0.0.0 for every interface)")
    serve.add_argument("--allow-websocket-origin", type=_origin, action="append", default=[],
                       metavar="HOST[:PORT]",
                       help="host a browser may connect from (repeatable), e.g. lab-server:5006")
    serve.add_argument("--workers", type=_workers, metavar="N",
                       help="run N app server processes behind nginx, which keeps each browser on one "
                            "(default: one process, no proxy)")
    serve.add_argument("--worker-timeout", type=_worker_timeout, metavar="S",
                       help="with --workers: a worker that has not answered its liveness check for S "
                            "seconds is taken as hung, killed and restarted (default 60)")
    serve.add_argument("--prefix", type=_prefix, default="", metavar="/PATH",
                       help="serve under this URL path, e.g. /fndam (the page, its files, /healthz and "
                            "/login all below it; default: at the root)")
    serve.add_argument("--auth", metavar="FILE",
                       help="require a login; FILE lists the users (made with 'adduser')")
    serve.add_argument("--store", type=_store, metavar="URL",
                       help="where live classes and their votes are kept, shared by every worker: "
                            "sqlite:///PATH (the processes of one host) or redis://HOST:PORT (several "
                            "hosts); default: an SQLite file in ~/.config/fndam-explorer")
    serve.add_argument("--cookie-secret-file", metavar="FILE",
                       help=f"secret that signs sessions and login cookies (default "
                            f"{auth.default_secret_path()}, generated with mode 600 if missing; "
                            f"${auth.SECRET_ENV} overrides it)")
    adduser = commands.add_parser("adduser", help="add a user to a users file, or change their password")
    adduser.add_argument("file", metavar="FILE", help="users file (created with mode 600 if missing)")
    adduser.add_argument("user", metavar="USER", type=_user, help="user name: letters, digits, . _ @ -")
    adduser.add_argument("--password-stdin", action="store_true",
                         help="read the password from the first line of stdin instead of asking twice")
    return parser


def _check_port_free(address, port):
    """Exit with status 1 and one line if ``address:port`` cannot be bound."""
    try:
        with socket.create_server((address, port)):
            pass
    except OSError as exc:
        reason = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
        sys.stderr.write(f"{PROG}: error: port {port} on {address} {reason}; try --port N\n")
        sys.exit(1)


def _fail(message, status):
    """Print ``fndam-explorer: error: message`` and exit with ``status``."""
    sys.stderr.write(f"{PROG}: error: {message}\n")
    sys.exit(status)


def _read_password(user, from_stdin):
    """The new password: the first line of stdin, or typed twice at the terminal without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        _fail("no terminal to ask for the password on; pipe it in with --password-stdin", 2)
    try:
        password = getpass.getpass(f"Password for {user}: ")
        if getpass.getpass("Same password again: ") != password:
            _fail("the two passwords differ; nothing was changed", 2)
    except (EOFError, KeyboardInterrupt):
        _fail("no password given; nothing was changed", 1)
    return password


def adduser(path, user, from_stdin):
    """``fndam-explorer adduser``: add ``user`` to the users file ``path`` or change their password."""
    try:
        password = auth.check_password(_read_password(user, from_stdin))
    except auth.AuthSetupError as exc:
        _fail(f"{exc}; nothing was changed", 2)
    try:
        new = auth.add_user(path, user, password)
    except auth.AuthSetupError as exc:
        _fail(str(exc), 1)
    print(f"{'added' if new else 'changed the password of'} {user} in {path}")


def _secret(args):
    """The installation's secret (after checking the users file with --auth); exits with one line if
    the users file or the secret cannot be used.

    Every serve needs it, with or without logins: it signs Bokeh sessions. On a fresh machine it is
    generated into its file without asking anything.
    """
    try:
        if args.auth and not auth.read_users(args.auth):
            raise auth.AuthSetupError(f"{args.auth} lists no users; add one with "
                                      f"'{PROG} adduser {args.auth} USER'")
        return auth.cookie_secret(args.cookie_secret_file)
    except auth.AuthSetupError as exc:
        _fail(str(exc), 1)


def main(argv=None):
    """Entry point of the ``fndam-explorer`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "adduser":
        adduser(args.file, args.user, args.password_stdin)
        return
    if args.worker_timeout and not args.workers:
        parser.error("--worker-timeout needs --workers (one process is not supervised)")
    secret = _secret(args)
    _check_port_free(args.address, args.port)
    if args.store:  # the app reads it there; each worker gets it as its own --store
        from dashboard.live_store import STORE_ENV

        os.environ[STORE_ENV] = args.store
    if args.workers:
        from dashboard.workers import serve_workers

        sys.exit(serve_workers(args, secret))
    allocator.run_with_jemalloc()
    from dashboard.server import serve  # imported late: Panel is slow to import and --help should not wait

    serve(port=args.port, secret=secret, address=args.address, origins=args.allow_websocket_origin,
          prefix=args.prefix, users_file=args.auth)


if __name__ == "__main__":
    main()
