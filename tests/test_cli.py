"""The command line: bad input gives one clear line on stderr and exit status 2, never a traceback."""

import socket
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).with_name("fndam-explorer"))


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "the following arguments are required"),
        (("launch",), "invalid choice: 'launch'"),
        (("serve", "--port", "abc"), "port must be a whole number, got 'abc'"),
        (("serve", "--port", "70000"), "port must be between 1 and 65535, got 70000"),
        (("serve", "--port", "0"), "port must be between 1 and 65535, got 0"),
        (("serve", "--address", "http://lab"), "expected a host name or address"),
        (("serve", "--allow-websocket-origin", "lab:xyz"), "port must be a whole number"),
        (("serve", "--colour", "red"), "unrecognized arguments: --colour red"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, expected):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fndam-explorer: error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_port_in_use_is_one_line_and_exit_1():
    with socket.socket() as taken:
        taken.bind(("localhost", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.returncode == 1
    expected = f"fndam-explorer: error: port {port} on localhost is already in use; try --port N"
    assert result.stderr.strip() == expected


def test_help_lists_the_serve_options():
    result = run("serve", "--help")
    assert result.returncode == 0
    for option in ("--port", "--address", "--allow-websocket-origin"):
        assert option in result.stdout
