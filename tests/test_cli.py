"""The command line: bad input gives one clear line on stderr and exit status 2, never a traceback."""

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.auth import SECRET_ENV

CLI = str(Path(sys.executable).with_name("fndam-explorer"))


def run(*args, stdin=""):
    """The CLI's result; ``stdin`` is its input (None: no input at all, not even a terminal)."""
    if stdin is None:
        return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60, input=stdin)


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
        (("serve", "--allow-websocket-origin", "*"), "websocket origin '*' has a wildcard"),
        (("serve", "--allow-websocket-origin", "*.lab:5006"), "name each host, e.g. lab-server:5006"),
        (("serve", "--prefix", "fndam"), "prefix must be a path like /fndam"),
        (("serve", "--prefix", "/a/../b"), "prefix must be a path like /fndam"),
        (("serve", "--prefix", "/a b"), "prefix must be a path like /fndam"),
        (("serve", "--store", "mysql://lab/db"), "argument --store: The store 'mysql://lab/db' is not"),
        (("serve", "--store", "sqlite:///"), "The store 'sqlite:///' names no file"),
        (("serve", "--store", "redis://127.0.0.1:1"), "Cannot reach the class store at redis://127.0.0.1:1"),
        (("serve", "--workers", "2", "--worker-timeout", "2"),
         "worker timeout must be between 5 and 3600 seconds, got 2"),
        (("serve", "--worker-timeout", "30"), "--worker-timeout needs --workers"),
        (("adduser", "users"), "the following arguments are required: USER"),
        (("adduser", "users", "al ice"), "user name 'al ice' is not 1-64 letters"),
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
    for option in ("--port", "--address", "--allow-websocket-origin", "--prefix", "--auth",
                   "--cookie-secret-file", "--store"):
        assert option in result.stdout


def test_every_worker_gets_the_store_it_was_given(tmp_path):
    from dashboard.cli import build_parser
    from dashboard.workers import worker_options

    url = f"sqlite:///{tmp_path / 'classes.sqlite'}"
    args = build_parser().parse_args(["serve", "--workers", "2", "--store", url])
    assert worker_options(args) == ["--store", url]


def one_error_line(result, status):
    """The message of a one-line error with exit status ``status``."""
    assert result.returncode == status, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fndam-explorer: error: ")
    return lines[0]


def test_adduser_writes_a_private_file_with_hashes_only(tmp_path):
    users = tmp_path / "users"
    result = run("adduser", str(users), "alice", "--password-stdin", stdin="correct horse battery\n")
    assert (result.returncode, result.stdout) == (0, f"added alice in {users}\n")
    assert users.stat().st_mode & 0o777 == 0o600
    result = run("adduser", str(users), "alice", "--password-stdin", stdin="another good one\n")
    assert result.stdout == f"changed the password of alice in {users}\n"
    text = users.read_text()
    assert "correct horse" not in text
    assert "another good one" not in text
    assert text.count("alice:scrypt$") == 1


@pytest.mark.parametrize(("stdin", "status", "expected"), [
    ("short\n", 2, "the password has 5 characters; use at least 8; nothing was changed"),
    ("\n", 2, "the password has 0 characters"),
    (None, 2, "no terminal to ask for the password on; pipe it in with --password-stdin"),
])
def test_adduser_refuses_a_missing_or_short_password(tmp_path, stdin, status, expected):
    args = ["adduser", str(tmp_path / "users"), "alice"] + (["--password-stdin"] if stdin else [])
    assert expected in one_error_line(run(*args, stdin=stdin), status)
    assert not (tmp_path / "users").exists()


def test_serve_refuses_an_unusable_users_or_secret_file(tmp_path):
    users, secret = tmp_path / "users", tmp_path / "secret"
    expected = f"cannot read {users}: No such file or directory"
    assert expected in one_error_line(run("serve", "--auth", str(users)), 1)
    users.write_text("# nobody yet\n")
    users.chmod(0o600)
    assert f"{users} lists no users; add one with 'fndam-explorer adduser {users} USER'" in one_error_line(
        run("serve", "--auth", str(users)), 1)
    run("adduser", str(users), "alice", "--password-stdin", stdin="correct horse battery\n")
    users.chmod(0o644)
    assert "open to other users (mode 644)" in one_error_line(run("serve", "--auth", str(users)), 1)
    users.chmod(0o600)
    secret.write_text("too short\n")
    secret.chmod(0o600)
    assert "has 9 characters; it needs at least 32" in one_error_line(
        run("serve", "--auth", str(users), "--cookie-secret-file", str(secret)), 1)


def test_serve_without_logins_needs_a_usable_secret_too(tmp_path, monkeypatch):
    """Every serve signs its sessions with the secret, so a plain one checks it as --auth does."""
    monkeypatch.delenv(SECRET_ENV, raising=False)  # else it would win over the file
    secret = tmp_path / "secret"
    secret.write_text("x" * 40 + "\n")
    secret.chmod(0o644)
    result = run("serve", "--cookie-secret-file", str(secret))
    assert "open to other users (mode 644)" in one_error_line(result, 1)
