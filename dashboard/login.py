"""Logins for ``fndam-explorer serve --auth FILE``: a Bokeh auth provider backed by the users file, and
its login and logout pages.

Bokeh asks the provider who the user of each request is (:meth:`UsersFileAuth.user_of`): page
requests without a login are redirected to the login page, websocket upgrades are refused with 403
(Panel's handler). A login sets a signed cookie (the server's cookie secret) holding the user name
and a fingerprint of that user's password record, so changing a password or removing a user ends
their logins at once; the users file is re-read on every check, so ``adduser`` needs no restart.
"""

import asyncio
import hashlib
import hmac
import logging
from urllib.parse import urlsplit

from bokeh.server.auth_provider import AuthProvider
from tornado.ioloop import IOLoop
from tornado.web import HTTPError, RequestHandler

from dashboard import pages
from dashboard.auth import AuthSetupError, decoy_record, read_users, verify_password

log = logging.getLogger(__name__)

#: Name of the login cookie (signed; HttpOnly; SameSite=Lax; Secure over HTTPS).
COOKIE = "fndam_user"
#: Login and logout pages, below the server's prefix.
LOGIN_PATH, LOGOUT_PATH = "/login", "/logout"
#: How long a login lasts, in days (12 hours: a long lab day), checked by the server, not the browser.
LOGIN_DAYS = 0.5
#: Wait before answering a failed login, in seconds: slows guessing without blocking other requests.
FAILED_LOGIN_DELAY_S = 1.0
#: Longest page address a login returns to, in characters.
MAX_NEXT_CHARS = 16_384


class UsersFileAuth(AuthProvider):
    """Bokeh auth provider: the users of ``users_file`` log in on LOGIN_PATH and out on LOGOUT_PATH."""

    def __init__(self, users_file):
        self.users_file = users_file
        decoy_record()  # computed now (~75 ms), not during the first login with an unknown name
        super().__init__()

    @property
    def get_user(self):
        return self.user_of

    @property
    def login_url(self):
        return LOGIN_PATH

    @property
    def login_handler(self):
        return LoginPage

    @property
    def logout_url(self):
        return LOGOUT_PATH

    @property
    def logout_handler(self):
        return LogoutPage

    def users(self):
        """User name -> password record as the users file says now; {} (logged) if it cannot be read."""
        try:
            return read_users(self.users_file)
        except AuthSetupError as exc:
            log.warning("nobody can log in: %s", exc)
            return {}

    def user_of(self, handler):
        """The user name the request of ``handler`` is logged in as, or None."""
        value = handler.get_signed_cookie(COOKIE, max_age_days=LOGIN_DAYS)
        if value is None:
            return None
        user, _, stamp = value.decode("utf-8", "replace").partition(":")
        record = self.users().get(user)
        return user if record and hmac.compare_digest(stamp, fingerprint(record)) else None


def fingerprint(record):
    """A short digest of a password record, carried in the login cookie (the record itself never is)."""
    return hashlib.sha256(record.encode("ascii")).hexdigest()[:16]


class LoginPage(RequestHandler):
    """``GET <prefix>/login`` shows the form; ``POST`` checks it and sets the login cookie."""

    def get(self):
        logged_out = self.get_query_argument("out", None) is not None
        self.show("You are logged out." if logged_out else "", "fndam-info")

    async def post(self):
        try:
            self.check_xsrf_cookie()
        except HTTPError:
            self.show("The login form had expired; please log in again.", status=403)
            return
        user = self.get_body_argument("user", "")
        password = self.get_body_argument("password", "")
        record = self.application.auth_provider.users().get(user)
        # scrypt runs in a thread (it releases the GIL); an unknown name is checked against a decoy
        # record so that it takes as long as a wrong password
        matches = await IOLoop.current().run_in_executor(None, verify_password, password,
                                                         record or decoy_record())
        if record and matches:
            self.set_signed_cookie(COOKIE, f"{user}:{fingerprint(record)}", expires_days=LOGIN_DAYS,
                                   path=cookie_path(self), httponly=True, samesite="Lax",
                                   secure=self.request.protocol == "https")
            log.info("%s logged in from %s", user, self.request.remote_ip)
            self.redirect(self.next_page(), status=303)
            return
        log.warning("failed login as %r from %s", user[:64], self.request.remote_ip)
        await asyncio.sleep(FAILED_LOGIN_DELAY_S)
        self.show("Wrong user name or password.", user=user[:64])  # 200: the form again, as after any slip

    def show(self, message, kind="fndam-error", status=200, user=""):
        """Answer with the login form, ``message`` above it (CSS class ``kind``)."""
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(pages.render("login", "Log in", trusted=("xsrf",), message=message, message_class=kind,
                                 action=self.request.path, next=self.next_page(), user=user,
                                 xsrf=self.xsrf_form_html()))

    def next_page(self):
        """Where a login leads: the ``next`` page if it is a page of this server, else the app.

        Only a path below the prefix on this server is followed (no scheme, no host, no backslash,
        no control character), so a link cannot use the login to send a user elsewhere.
        """
        home = self.application.prefix + "/"
        target = self.get_argument("next", home)
        parts = urlsplit(target)
        own = (target.startswith(home) and not parts.scheme and not parts.netloc and "\\" not in target
               and target.isprintable() and len(target) <= MAX_NEXT_CHARS)
        return target if own else home


class LogoutPage(RequestHandler):
    """``GET <prefix>/logout`` ends the login and shows the login page saying so."""

    def get(self):
        self.clear_cookie(COOKIE, path=cookie_path(self))
        self.redirect(f"{self.application.prefix}{LOGIN_PATH}?out=1")


def cookie_path(handler):
    """The login cookie's path: the server's prefix (the app and everything it serves)."""
    return handler.application.prefix + "/"
