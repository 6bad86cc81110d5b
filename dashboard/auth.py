"""Secrets for a served lab: the installation's secret (with the keys derived from it that sign login
cookies and Bokeh sessions) and the users file with salted password hashes.

Nothing here imports Panel or tornado; the command line uses it before any server starts (the login
pages that use it are :mod:`dashboard.login`). Every refusal is an :class:`AuthSetupError` whose
message is one line for the command line to print.

The users file holds one ``user:record`` line per user, the record being
``scrypt$N$r$p$salt$hash`` (salt and hash in unpadded URL-safe base64). The cost parameters travel
with each record, so raising them later leaves existing users able to log in.
"""

import base64
import hashlib
import hmac
import os
import re
import secrets
import stat
from functools import cache
from pathlib import Path

#: Environment variable that carries the secret (how a supervisor hands it to its workers, and how
#: several hosts or Kubernetes pods are given the same one).
SECRET_ENV = "FNDAM_COOKIE_SECRET"
#: Shortest secret accepted, in characters; ``secrets.token_urlsafe(32)`` gives 43 (256 random bits).
MIN_SECRET_CHARS = 32
#: What each key derived from the secret signs (:func:`signing_key`).
LOGIN_COOKIES, BOKEH_SESSIONS = "login cookies", "bokeh sessions"


class AuthSetupError(Exception):
    """A secret or users file that cannot be used; the message is one line saying why and what to do."""


def default_secret_path():
    """Where the generated cookie secret is kept: ``$XDG_CONFIG_HOME/fndam-explorer/cookie-secret``
    (``~/.config`` when XDG_CONFIG_HOME is unset)."""
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "fndam-explorer" / "cookie-secret"


def cookie_secret(path=None):
    """The installation's secret, the same across restarts and across workers; the keys that sign
    login cookies and Bokeh sessions are derived from it (:func:`signing_key`).

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


def signing_key(secret, purpose):
    """The key that signs one kind of value, derived from the installation's ``secret``.

    HMAC-SHA256 of ``"fndam-explorer " + purpose`` keyed by the secret, as 64 hex digits. One secret
    is kept, handed to every worker and rotated; each use gets a key of its own, so a value signed for
    one purpose (a login cookie) never passes for another (a Bokeh session id), and neither key tells
    the secret or the other key.

    Parameters
    ----------
    secret : str
        From :func:`cookie_secret`.
    purpose : str
        LOGIN_COOKIES or BOKEH_SESSIONS.
    """
    return hmac.new(secret.encode(), f"fndam-explorer {purpose}".encode(), hashlib.sha256).hexdigest()


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


#: scrypt cost: N = 2**15, r = 8, p = 1 takes 128 * r * N = 32 MiB and ~75 ms per check on a 2-core
#: lab server (guessing costs an attacker the same per try); p = 1 keeps one check on one core.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
#: Random salt per user and length of the derived key, in bytes.
SALT_BYTES, HASH_BYTES = 16, 32
#: Password length in characters: at least 8 (NIST SP 800-63B), at most 1024 (bounds the work per try).
MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS = 8, 1024
#: A user name: 1-64 letters, digits and ``. _ @ -`` (an e-mail address or a student number fits).
USER_NAME = re.compile(r"[A-Za-z0-9._@-]{1,64}")
_RECORD = re.compile(r"scrypt\$(\d{1,7})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{16,})")


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password, salt, n, r, p):
    # maxmem: OpenSSL's default (32 MiB) is exactly what N = 2**15, r = 8 needs, without its overhead
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES,
                          maxmem=4 * 128 * r * n)


def hash_password(password):
    """The record ``scrypt$N$r$p$salt$hash`` of ``password`` with a new random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password, record):
    """True if ``password`` matches ``record`` (a string from :func:`hash_password`).

    Compares in constant time (``hmac.compare_digest``); a password longer than MAX_PASSWORD_CHARS
    is false without being hashed.
    """
    n, r, p, salt, digest = _parse_record(record)
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    return hmac.compare_digest(_scrypt(password, salt, n, r, p), digest)


def _parse_record(record):
    """(N, r, p, salt, hash) of a password record, or None if it is malformed or its cost is beyond
    what a server should spend per login (over 256 MiB of memory)."""
    match = _RECORD.fullmatch(record)
    if not match:
        return None
    n, r, p = (int(group) for group in match.groups()[:3])
    if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or 128 * r * n > 2**28:
        return None
    return n, r, p, _unb64(match[4]), _unb64(match[5])


@cache
def decoy_record():
    """The record of a random password: checked against when a user name is unknown, so a wrong name
    takes as long as a wrong password and the time of an answer does not tell which names exist."""
    return hash_password(secrets.token_urlsafe(16))


def check_password(password):
    """``password`` if its length is allowed, else AuthSetupError saying what is needed."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AuthSetupError(f"the password has {len(password)} characters; use at least "
                             f"{MIN_PASSWORD_CHARS}")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AuthSetupError(f"the password has {len(password)} characters; use at most "
                             f"{MAX_PASSWORD_CHARS}")
    return password


def check_user_name(user):
    """``user`` if it is a valid user name (USER_NAME), else AuthSetupError."""
    if not USER_NAME.fullmatch(user):
        raise AuthSetupError(f"user name {user[:80]!r} is not 1-64 letters, digits or . _ @ -")
    return user


def read_users(path):
    """User name -> password record from the users file ``path`` (refused if others may read it).

    Blank lines and lines starting with ``#`` are skipped; any other line that is not
    ``user:record`` is an AuthSetupError naming its line number.
    """
    users = {}
    for number, line in enumerate(read_private(path).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        user, _, record = line.partition(":")
        if not USER_NAME.fullmatch(user) or not _parse_record(record):
            raise AuthSetupError(f"{path} line {number} is not 'user:scrypt$N$r$p$salt$hash'; "
                                 f"add users with 'fndam-explorer adduser {path} USER'")
        users[user] = record
    return users


def add_user(path, user, password):
    """Add ``user`` with ``password`` to the users file ``path``, or replace that user's password.

    Creates the file (mode 0o600) if needed; only the salted hash is written. Returns True if the
    user was new.
    """
    check_user_name(user)
    check_password(password)
    users = read_users(path) if Path(path).exists() else {}
    new = user not in users
    users[user] = hash_password(password)
    header = "# FN-DAM Explorer users: user:scrypt$N$r$p$salt$hash (add with 'fndam-explorer adduser')\n"
    write_private(path, header + "".join(f"{name}:{record}\n" for name, record in users.items()))
    return new
