"""Logins: the cookie secret, the users file and its hashes, and the served login flow over real HTTP."""

import re
import stat
import time
from urllib.parse import quote, quote_plus, urlencode, urljoin

import pytest
from bokeh.util.token import generate_jwt_token, generate_session_id
from http_fuzz import (
    FUZZ,
    assert_no_fault,
    bodies,
    content_types,
    header_values,
    headers,
    methods,
    paths,
    queries,
    raw_request,
)
from http_helpers import cookie_header, cookies_of, fetch, fetches, websocket_status
from hypothesis import given, settings

from dashboard.auth import (
    BOKEH_SESSIONS,
    MAX_PASSWORD_CHARS,
    MIN_SECRET_CHARS,
    SCRYPT_N,
    SCRYPT_P,
    SCRYPT_R,
    SECRET_ENV,
    AuthSetupError,
    add_user,
    cookie_secret,
    default_secret_path,
    hash_password,
    read_users,
    signing_key,
    verify_password,
)
from dashboard.login import COOKIE, FAILED_LOGIN_DELAY_S, MAX_NEXT_CHARS
from dashboard.testing import serve_app


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


# --- the users file -------------------------------------------------------------------------------

def test_a_record_is_salted_scrypt_and_checks_only_its_password():
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first.startswith(f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$")
    assert first != second  # a random salt per record
    assert verify_password("correct horse", first)
    assert verify_password("correct horse", second)
    assert not verify_password("correct horsE", first)
    assert not verify_password("x" * (MAX_PASSWORD_CHARS + 1), first)


def test_adding_and_replacing_users(tmp_path):
    path = tmp_path / "users"
    assert add_user(path, "alice", "correct horse") is True
    assert add_user(path, "bob", "battery staple") is True
    assert mode(path) == 0o600
    assert add_user(path, "alice", "new password") is False
    users = read_users(path)
    assert list(users) == ["alice", "bob"]
    assert verify_password("new password", users["alice"])
    assert not verify_password("correct horse", users["alice"])
    assert verify_password("battery staple", users["bob"])


@pytest.mark.parametrize(("user", "password", "expected"), [
    ("alice", "short", "the password has 5 characters; use at least 8"),
    ("alice", "x" * 2000, "the password has 2000 characters; use at most 1024"),
    ("al ice", "correct horse", "user name 'al ice' is not 1-64 letters, digits or . _ @ -"),
    ("", "correct horse", "user name '' is not"),
])
def test_bad_users_and_passwords_are_refused_before_anything_is_written(tmp_path, user, password, expected):
    with pytest.raises(AuthSetupError, match=re.escape(expected)):
        add_user(tmp_path / "users", user, password)
    assert not (tmp_path / "users").exists()


SALT_AND_HASH = "A" * 22 + "$" + "B" * 43


@pytest.mark.parametrize("line", ["alice", "alice:plaintext", f"al ice:scrypt$16384$8$1${SALT_AND_HASH}",
                                  f"alice:scrypt$16385$8$1${SALT_AND_HASH}",  # N not a power of 2
                                  f"alice:scrypt$1048576$64$1${SALT_AND_HASH}"])  # 8 GiB per check
def test_a_malformed_users_file_names_its_line(tmp_path, line):
    path = tmp_path / "users"
    path.write_text(f"# users\n\n{line}\n")
    path.chmod(0o600)
    with pytest.raises(AuthSetupError, match=r"users line 3 is not 'user:scrypt\$N\$r\$p\$salt\$hash'"):
        read_users(path)


def test_a_users_file_others_can_read_is_refused(tmp_path):
    path = tmp_path / "users"
    add_user(path, "alice", "correct horse")
    path.chmod(0o640)
    with pytest.raises(AuthSetupError, match="open to other users"):
        read_users(path)


# --- the served login flow ------------------------------------------------------------------------

PREFIX = "/lab/fndam"
PASSWORDS = {"alice": "correct horse battery", "bob": "staple of the lab"}
XSRF_FIELD = re.compile(r'name="_xsrf" value="([^"]+)"')
TOKEN = re.compile(r'"token":"([^"]+)"')


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The app served with logins under PREFIX: (url, folder holding the users, secret and log files)."""
    folder = tmp_path_factory.mktemp("lab")
    for user, password in PASSWORDS.items():
        add_user(folder / "users", user, password)
    args = ["--auth", str(folder / "users"), "--cookie-secret-file", str(folder / "secret")]
    with pytest.MonkeyPatch.context() as patch:  # the secret comes from the file, not the environment
        patch.delenv(SECRET_ENV, raising=False)
        with open(folder / "server.log", "w") as log, serve_app(log=log, prefix=PREFIX, args=args) as served:
            yield served[0], folder



def login(url, user, password, next_page=None):
    """POST the login form as a browser does (XSRF cookie and field from the form); the response."""
    form = fetch(url, f"{PREFIX}/login")
    xsrf = {"_xsrf": cookies_of(form)["_xsrf"]}
    fields = {"_xsrf": XSRF_FIELD.search(form.text)[1], "user": user, "password": password}
    if next_page is not None:
        fields["next"] = next_page
    return fetch(url, f"{PREFIX}/login", "POST", body=urlencode(fields),
                 headers={"Cookie": cookie_header(xsrf), "Content-Type": "application/x-www-form-urlencoded"})


def ws_status(url, token, cookies=None):
    """websocket_status of the app's websocket under PREFIX, with ``cookies`` (name -> value)."""
    return websocket_status(url, f"{PREFIX}/ws", token, cookie=cookie_header(cookies) if cookies else None)


def test_without_a_login_pages_redirect_and_websockets_get_403(lab):
    url, folder = lab
    page = fetch(url, f"{PREFIX}/?view=memory")
    assert page.status == 302
    assert urljoin(url, page.headers["Location"]) == urljoin(url, f"{PREFIX}/login?next=" +
                                                            quote(f"{PREFIX}/?view=memory", safe=""))
    assert fetch(url, PREFIX).headers["Location"] == f"{PREFIX}/"  # the bare prefix, then as above
    unsigned = generate_jwt_token(generate_session_id(), expiration=300)  # Bokeh's own, unsigned
    assert ws_status(url, unsigned) == 400  # refused at the edge: the server signs its sessions
    key = signing_key((folder / "secret").read_text().strip(), BOKEH_SESSIONS)
    signed = generate_jwt_token(generate_session_id(key, signed=True), key, signed=True)
    assert ws_status(url, signed) == 403  # a token as good as the page's, but no login
    assert fetch(url, f"{PREFIX}/metadata").status == 302
    assert fetch(url, f"{PREFIX}/autoload.js?bokeh-autoload-element=x").status == 404
    health = fetch(url, f"{PREFIX}/healthz")  # probes need no login
    assert (health.status, health.text) == (200, "ok")


def test_the_login_page_is_offline_and_names_the_app(lab):
    url, _ = lab
    page = fetch(url, f"{PREFIX}/login")
    assert page.status == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "<title>Log in · FN-DAM Explorer</title>" in page.text
    assert f'<form method="post" action="{PREFIX}/login">' in page.text
    assert XSRF_FIELD.search(page.text)
    assert fetches(page.text) == []


@pytest.mark.parametrize(("user", "password"), [("alice", "not her password"), ("mallory", "any password")])
def test_a_wrong_login_is_slow_and_says_so(lab, user, password):
    url, _ = lab
    start = time.monotonic()
    response = login(url, user, password)
    assert time.monotonic() - start >= FAILED_LOGIN_DELAY_S
    assert response.status == 200  # the form again (a browser logs no error)
    assert "Wrong user name or password." in response.text
    assert f'value="{user}"' in response.text  # the name stays typed in
    assert COOKIE not in cookies_of(response)


def test_a_form_without_its_xsrf_token_is_refused(lab):
    url, _ = lab
    body = urlencode({"user": "alice", "password": PASSWORDS["alice"]})
    response = fetch(url, f"{PREFIX}/login", "POST", body=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 403
    assert "The login form had expired; please log in again." in response.text
    assert COOKIE not in cookies_of(response)


def test_a_login_opens_the_page_and_its_websocket(lab):
    url, _ = lab
    response = login(url, "alice", PASSWORDS["alice"], next_page=f"{PREFIX}/?view=memory")
    assert response.status == 303
    assert response.headers["Location"] == f"{PREFIX}/?view=memory"
    [set_cookie] = [header for header in response.cookies() if header.startswith(COOKIE)]
    assert {"HttpOnly", "SameSite=Lax", f"Path={PREFIX}/"} <= {part.strip() for part in set_cookie.split(";")}
    assert "expires=" in set_cookie
    cookies = {COOKIE: cookies_of(response)[COOKIE]}
    page = fetch(url, f"{PREFIX}/?view=memory", headers={"Cookie": cookie_header(cookies)})
    assert page.status == 200
    token = TOKEN.search(page.text)[1]
    assert ws_status(url, token, cookies) == 101
    assert ws_status(url, token) == 403  # the token alone is not a login
    forged = {COOKIE: cookies[COOKIE][:-4] + "0000"}
    assert fetch(url, f"{PREFIX}/", headers={"Cookie": cookie_header(forged)}).status == 302


@pytest.mark.parametrize("next_page", ["//evil.example/", "https://evil.example/", "/elsewhere/",
                                       f"{PREFIX}/\\evil.example", f"{PREFIX}/?a=" + "1" * MAX_NEXT_CHARS])
def test_a_login_never_leads_off_the_app(lab, next_page):
    url, _ = lab
    response = login(url, "alice", PASSWORDS["alice"], next_page=next_page)
    assert (response.status, response.headers["Location"]) == (303, f"{PREFIX}/")


def test_logout_ends_the_login(lab):
    url, _ = lab
    cookies = {COOKIE: cookies_of(login(url, "alice", PASSWORDS["alice"]))[COOKIE]}
    response = fetch(url, f"{PREFIX}/logout", headers={"Cookie": cookie_header(cookies)})
    assert (response.status, response.headers["Location"]) == (302, f"{PREFIX}/login?out=1")
    assert cookies_of(response)[COOKIE] == ""  # the browser drops it
    assert "You are logged out." in fetch(url, response.headers["Location"]).text


def test_a_new_password_ends_the_old_logins(lab):
    url, folder = lab
    old = {COOKIE: cookies_of(login(url, "bob", PASSWORDS["bob"]))[COOKIE]}
    assert fetch(url, f"{PREFIX}/", headers={"Cookie": cookie_header(old)}).status == 200
    PASSWORDS["bob"] = "a brand new staple"
    add_user(folder / "users", "bob", PASSWORDS["bob"])  # no restart: the file is read on each check
    assert fetch(url, f"{PREFIX}/", headers={"Cookie": cookie_header(old)}).status == 302
    assert login(url, "bob", PASSWORDS["bob"]).status == 303


def test_no_password_is_written_anywhere(lab):
    url, folder = lab
    login(url, "alice", PASSWORDS["alice"])
    login(url, "alice", "a wrong guess at it")
    written = b"".join(path.read_bytes() for path in folder.iterdir())
    assert len(written) > 1000  # the users file, the secret and the server's log
    every = [*PASSWORDS.values(), "correct horse battery", "staple of the lab", "a wrong guess at it"]
    for password in every:
        for form in {password, quote(password), quote_plus(password)}:
            assert form.encode() not in written


@settings(FUZZ, max_examples=100)
@given(method=methods, path=paths(PREFIX), query=queries, header_pairs=headers, body=bodies,
       content_type=content_types)
def test_no_request_without_a_login_gets_a_5xx_or_a_traceback(lab, method, path, query, header_pairs, body,
                                                              content_type):
    url, folder = lab
    target = path + (f"?{query}" if query else "")
    request = raw_request(method, target, [*header_pairs, ("Content-Type", content_type)], body)
    assert_no_fault(url, folder / "server.log", request, target)


@settings(FUZZ, max_examples=8)  # each is a failed login: ~1 s
@given(user=header_values, password=header_values, next_page=header_values)
def test_no_login_form_gets_a_5xx_or_a_traceback(lab, user, password, next_page):
    url, folder = lab
    form = fetch(url, f"{PREFIX}/login")
    fields = {"_xsrf": XSRF_FIELD.search(form.text)[1], "user": user, "password": password, "next": next_page}
    as_a_browser = [("Cookie", f"_xsrf={cookies_of(form)['_xsrf']}"),
                    ("Content-Type", "application/x-www-form-urlencoded")]
    request = raw_request("POST", f"{PREFIX}/login", as_a_browser, urlencode(fields).encode())
    assert_no_fault(url, folder / "server.log", request, user)
