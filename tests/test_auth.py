"""Logins: the cookie secret, the users file and its hashes, and the served login flow over real HTTP."""

import stat

import pytest

from dashboard.auth import (
    MIN_SECRET_CHARS,
    SECRET_ENV,
    AuthSetupError,
    cookie_secret,
    default_secret_path,
)


@pytest.fixture
def no_secret_env(monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_the_environment_wins_and_nothing_is_written(monkeypatch, tmp_path):
    monkeypatch.setenv(SECRET_ENV, "s" * MIN_SECRET_CHARS)
    assert cookie_secret(tmp_path / "secret") == "s" * MIN_SECRET_CHARS
    assert not (tmp_path / "secret").exists()


def test_a_secret_is_generated_once_into_a_private_file(no_secret_env, tmp_path):
    path = tmp_path / "new" / "secret"
    first = cookie_secret(path)
    assert len(first) >= MIN_SECRET_CHARS
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert cookie_secret(path) == first  # persistent: a restart keeps everyone logged in
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    assert cookie_secret(tmp_path / "other") != first


def test_the_default_file_follows_xdg_config_home(no_secret_env, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_secret_path() == tmp_path / "fndam-explorer" / "cookie-secret"
    secret = cookie_secret()
    assert (tmp_path / "fndam-explorer" / "cookie-secret").read_text().strip() == secret


def test_a_file_others_can_read_is_refused(no_secret_env, tmp_path):
    path = tmp_path / "secret"
    path.write_text("x" * 50)
    path.chmod(0o644)
    with pytest.raises(AuthSetupError, match=r"open to other users \(mode 644\); run 'chmod 600 .*secret'"):
        cookie_secret(path)
    path.chmod(0o600)
    assert cookie_secret(path) == "x" * 50


@pytest.mark.parametrize("where", ["env", "file"])
def test_a_short_secret_is_refused(where, no_secret_env, monkeypatch, tmp_path):
    path = tmp_path / "secret"
    if where == "env":
        monkeypatch.setenv(SECRET_ENV, "short")
    else:
        path.write_text("short\n")
        path.chmod(0o600)
    with pytest.raises(AuthSetupError, match=f"has 5 characters; it needs at least {MIN_SECRET_CHARS}"):
        cookie_secret(path)


def test_a_folder_is_not_a_secret_file(no_secret_env, tmp_path):
    folder = tmp_path / "secret"
    folder.mkdir(mode=0o700)
    with pytest.raises(AuthSetupError, match="is not a regular file"):
        cookie_secret(folder)
