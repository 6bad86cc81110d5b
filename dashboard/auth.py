"""Secrets and logins for a served lab: the cookie secret, users with salted password hashes, and the
Bokeh auth provider with its login and logout pages.

Nothing here imports Panel; the command line uses it before the server starts. Every refusal is an
:class:`AuthSetupError` whose message is one line for the command line to print.
"""

import os
import secrets
import stat
from pathlib import Path

#: Environment variable that carries the cookie secret (how a supervisor hands it to its workers).
SECRET_ENV = "FNDAM_COOKIE_SECRET"
#: Shortest secret accepted, in characters; ``secrets.token_urlsafe(32)`` gives 43 (256 random bits).
MIN_SECRET_CHARS = 32


class AuthSetupError(Exception):
    """A secret or users file that cannot be used; the message is one line saying why and what to do."""


def default_secret_path():
    """Where the generated cookie secret is kept: ``$XDG_CONFIG_HOME/fndam-explorer/cookie-secret``
    (``~/.config`` when XDG_CONFIG_HOME is unset)."""
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "fndam-explorer" / "cookie-secret"


def cookie_secret(path=None):
    """The secret that signs login cookies, the same across restarts and across workers.

    Taken from the environment variable ``FNDAM_COOKIE_SECRET`` if it is set, else read from ``path``
    (default :func:`default_secret_path`), else generated (256 random bits) into ``path``, created
    with mode 0o600. Raises AuthSetupError for a secret shorter than MIN_SECRET_CHARS or a file that
    other users may read or write.
    """
    if SECRET_ENV in os.environ:
        return _long_enough(os.environ[SECRET_ENV].strip(), f"${SECRET_ENV}")
    path = Path(path) if path else default_secret_path()
    if not path.exists():
        write_private(path, secrets.token_urlsafe(32) + "\n")
    return _long_enough(read_private(path).strip(), str(path))


def _long_enough(secret, source):
    """``secret`` if it has at least MIN_SECRET_CHARS characters."""
    if len(secret) < MIN_SECRET_CHARS:
        raise AuthSetupError(f"the cookie secret in {source} has {len(secret)} characters; it needs at "
                             f"least {MIN_SECRET_CHARS} (delete the file to have one generated)")
    return secret


def read_private(path):
    """The text of ``path``, refused (AuthSetupError) if its mode lets other users read or write it."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise AuthSetupError(f"{path} is not a regular file")
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise AuthSetupError(f"{path} is open to other users (mode {stat.S_IMODE(mode):o}); "
                                 f"run 'chmod 600 {path}'")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AuthSetupError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise AuthSetupError(f"cannot read {path}: {exc.strerror}") from None


def write_private(path, text):
    """Write ``text`` to ``path`` with mode 0o600 from the first byte, replacing it atomically.

    The text goes to a new file in the same folder (created 0o600, so never readable by others, not
    even for an instant) that then takes the place of ``path``; a reader sees the old or the new file,
    never half of one. Missing folders are created with mode 0o700.
    """
    path = Path(path)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise AuthSetupError(f"cannot write {path}: {exc.strerror}") from None
