"""Command line: ``fndam-explorer serve [--port N] [--address A] [--allow-websocket-origin H]...``.

Bad input prints one line, ``fndam-explorer: error: ...``, and exits with status 2 (argparse's
convention); a port already taken exits with status 1. Neither prints a traceback.
"""

import argparse
import errno
import socket
import sys

PROG = "fndam-explorer"


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are a single line (no usage block) and exit status 2."""

    def error(self, message):
        self.exit(2, f"{PROG}: error: {message} (see '{PROG} serve --help')\n")


def _port(text):
    """A TCP port number 1..65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a whole number, got {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, got {port}")
    return port


def _host(text):
    """A non-empty host name or address without spaces or a scheme."""
    if not text or any(ch.isspace() for ch in text) or "://" in text:
        raise argparse.ArgumentTypeError(f"expected a host name or address like 'localhost', got {text!r}")
    return text


def _origin(text):
    """A websocket origin, 'host' or 'host:port', as Bokeh expects it."""
    _, _, port = _host(text).partition(":")
    if port:
        _port(port)
    return text


def build_parser():
    """The argument parser with its ``serve`` subcommand."""
    parser = _Parser(prog=PROG, description="FN-DAM Explorer: a browser dashboard for FN-DAM.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="serve",
                                     parser_class=_Parser)
    serve = commands.add_parser("serve", help="serve the dashboard over HTTP")
    serve.add_argument("--port", type=_port, default=5006, help="TCP port (default 5006)")
    serve.add_argument("--address", type=_host, default="localhost",
                       help="address to listen on (default localhost; 0.0.0.0 for every interface)")
    serve.add_argument("--allow-websocket-origin", type=_origin, action="append", default=[],
                       metavar="HOST[:PORT]",
                       help="host a browser may connect from (repeatable), e.g. lab-server:5006")
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


def main(argv=None):
    """Entry point of the ``fndam-explorer`` console script."""
    args = build_parser().parse_args(argv)
    _check_port_free(args.address, args.port)
    from dashboard.server import serve  # imported late: Panel is slow to import and --help should not wait

    serve(port=args.port, address=args.address, origins=args.allow_websocket_origin)


if __name__ == "__main__":
    main()
