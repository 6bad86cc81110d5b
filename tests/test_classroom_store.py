"""The live class's store (issue 11): one contract, run against the SQLite store (a file in WAL mode)
and the Redis store (a real Debian redis-server on a loopback port, saving nothing).

Each refusal is checked to be one line and to change nothing the store holds; counting is checked
exactly once with four processes voting at the same time on one file and on one Redis; privacy by
scanning every byte the store holds (the SQLite files, every Redis key and value).
"""

import multiprocessing
import secrets
import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest
import redis

from dashboard.classroom import open_store
from dashboard.classroom import redis_store as redis_module
from dashboard.classroom import sqlite_store as sqlite_module
from dashboard.classroom.local_redis import local_redis
from dashboard.classroom.store import CODE_ALPHABET, CODE_LENGTH, NOT_PRESENTER
from dashboard.testing import free_port

CHOICES = 4


@pytest.fixture(scope="module")
def redis_url():
    with local_redis() as url:
        yield url


@pytest.fixture(params=["sqlite", "redis"])
def store_url(request, tmp_path):
    """URL of an empty store of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/classes.db"
    url = request.getfixturevalue("redis_url")
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    return url


@pytest.fixture
def store(store_url):
    store = open_store(store_url)
    yield store
    store.close()


@pytest.fixture
def lesson(store):
    """A class on step 'predict', question 'q1' (open): (store, NewClass)."""
    new, message = store.create_class(idle_s=600)
    assert message is None
    assert store.go(new.class_id, new.secret, "predict", "q1") is None
    return store, new


def voter():
    """A browser's anonymous voter id."""
    return secrets.token_urlsafe(16)


def held(store, new):
    """Everything a class shows: its status, the presenter's counts of q1 and its version."""
    return store.status(new.class_id), store.counts(new.class_id, "q1", CHOICES, new.secret), \
        store.version(new.class_id)


def stored_text(url):
    """Every byte the store holds, as text: the SQLite file with its WAL and shared-memory files (freed
    pages included), or every Redis key and value."""
    if url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))).decode("latin-1")
    parts = []
    with redis.Redis.from_url(url, decode_responses=True) as client:
        for key in client.scan_iter():
            kind = client.type(key)
            assert kind in ("hash", "string"), kind
            values = client.hgetall(key).items() if kind == "hash" else [("", client.get(key))]
            parts += [key, *(f"{field}={value}" for field, value in values)]
    return "\n".join(parts)


def stored_voters(url, class_id):
    """The voters as the store holds them in one class (their hashes)."""
    if url.startswith("sqlite:"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return {row[0] for row in db.execute("SELECT voter FROM seqs WHERE class_id = ?", (class_id,))}
    with redis.Redis.from_url(url, decode_responses=True) as client:
        return set(client.hkeys(f"fndam:class:{class_id}:seqs"))


def assert_refused(message):
    assert isinstance(message, str), message
    assert message, message
    assert "\n" not in message, message
    assert len(message) < 200, message


# --- a class, its code and its presenter ------------------------------------------------------------

def test_a_class_has_a_short_unambiguous_code_that_joins_it(store):
    new, message = store.create_class()
    assert message is None
    assert len(new.code) == CODE_LENGTH
    assert set(new.code) <= set(CODE_ALPHABET)
    assert not set(new.code) & set("0O1I")
    assert store.join(new.code) == (new.class_id, None)
    assert store.join(f"  {new.code.lower()} ") == (new.class_id, None)  # as a student may type it
    status, message = store.status(new.class_id)
    assert message is None
    assert (status.code, status.step, status.question, status.phase, status.shown) == \
        (new.code, None, None, None, False)


def test_codes_ids_and_secrets_differ_between_classes(store):
    classes = [store.create_class()[0] for _ in range(20)]
    for attribute in ("class_id", "code", "secret"):
        assert len({getattr(new, attribute) for new in classes}) == len(classes)
    assert all(len(new.secret) >= 22 for new in classes)  # 128 random bits in URL-safe base64


def test_a_changed_answer_replaces_the_earlier_one(lesson):
    store, new = lesson
    alice, bob = voter(), voter()
    assert store.vote(new.code, alice, "q1", 0, CHOICES, 1) is None
    assert store.vote(new.code, bob, "q1", 0, CHOICES, 1) is None
    assert store.counts(new.class_id, "q1", CHOICES, new.secret) == ([2, 0, 0, 0], None)
    assert store.vote(new.code, alice, "q1", 3, CHOICES, 2) is None
    assert store.counts(new.class_id, "q1", CHOICES, new.secret) == ([1, 0, 0, 1], None)
    assert store.vote(new.code, alice, "q1", 3, CHOICES, 7) is None  # numbers may skip; only order counts
    assert store.counts(new.class_id, "q1", CHOICES, new.secret) == ([1, 0, 0, 1], None)


def test_every_change_bumps_the_version_the_presenter_polls(lesson):
    store, new = lesson
    before = store.version(new.class_id)[0]
    assert store.vote(new.code, voter(), "q1", 1, CHOICES, 1) is None
    assert store.version(new.class_id) == (before + 1, None)
    assert store.set_phase(new.class_id, new.secret, "closed") is None
    assert store.version(new.class_id) == (before + 2, None)
    assert store.set_phase(new.class_id, new.secret, "closed") is None  # already closed: no change
    assert store.version(new.class_id) == (before + 2, None)


def test_the_presenter_runs_a_question_from_open_to_reveal(lesson):
    store, new = lesson
    student = voter()
    assert store.status(new.class_id)[0].phase == "open"
    assert store.set_phase(new.class_id, new.secret, "closed") is None
    assert_refused(store.vote(new.code, student, "q1", 1, CHOICES, 1))
    assert store.set_phase(new.class_id, new.secret, "open") is None  # reopened for latecomers
    assert store.vote(new.code, student, "q1", 1, CHOICES, 2) is None
    # the room sees the histogram only once the presenter shows it
    assert_refused(store.counts(new.class_id, "q1", CHOICES)[1])
    assert store.show_histogram(new.class_id, new.secret) is None
    assert store.counts(new.class_id, "q1", CHOICES) == ([0, 1, 0, 0], None)
    assert store.set_phase(new.class_id, new.secret, "revealed") is None
    assert_refused(store.set_phase(new.class_id, new.secret, "open"))  # a reveal is final ...
    status = store.status(new.class_id)[0]
    assert (status.phase, status.shown) == ("revealed", True)
    assert store.reset_votes(new.class_id, new.secret) is None  # ... until the votes are reset
    status = store.status(new.class_id)[0]
    assert (status.phase, status.shown) == ("open", False)
    assert store.counts(new.class_id, "q1", CHOICES, new.secret) == ([0, 0, 0, 0], None)
    assert store.vote(new.code, student, "q1", 2, CHOICES, 3) is None


def test_moving_on_opens_the_next_question_and_going_back_keeps_the_last(lesson):
    store, new = lesson
    student = voter()
    assert store.vote(new.code, student, "q1", 2, CHOICES, 1) is None
    assert store.set_phase(new.class_id, new.secret, "revealed") is None
    assert store.go(new.class_id, new.secret, "explain") is None  # a step without a question
    status = store.status(new.class_id)[0]
    assert (status.step, status.question, status.phase) == ("explain", None, None)
    assert_refused(store.set_phase(new.class_id, new.secret, "open"))
    assert store.go(new.class_id, new.secret, "next", "q2") is None
    assert store.status(new.class_id)[0].phase == "open"
    assert_refused(store.vote(new.code, student, "q1", 0, CHOICES, 2))  # q1 is no longer current
    assert store.vote(new.code, student, "q2", 0, CHOICES, 3) is None
    assert store.go(new.class_id, new.secret, "predict", "q1") is None
    assert store.status(new.class_id)[0].phase == "revealed"
    assert store.counts(new.class_id, "q1", CHOICES, new.secret) == ([0, 0, 1, 0], None)
    assert store.counts(new.class_id, "q2", CHOICES, new.secret) == ([1, 0, 0, 0], None)


def test_ending_a_class_deletes_it(store_url, lesson):
    store, new = lesson
    assert store.vote(new.code, voter(), "q1", 2, CHOICES, 1) is None
    assert store.end_class(new.class_id, new.secret) is None
    assert_refused(store.join(new.code)[1])
    assert_refused(store.version(new.class_id)[1])
    assert new.class_id not in stored_text(store_url)


# --- refusals: one line each, and nothing changes -------------------------------------------------

def _other_code(code):
    return next(c * CODE_LENGTH for c in CODE_ALPHABET if c * CODE_LENGTH != code)


VOTE_REFUSALS = {
    "unknown code": lambda new, v: dict(code=_other_code(new.code)),
    "code with 0 and O": lambda new, v: dict(code="0O1I00"),
    "oversized code": lambda new, v: dict(code="A" * 10_000),
    "code not text": lambda new, v: dict(code=None),
    "not the current question": lambda new, v: dict(question="q2"),
    "oversized question id": lambda new, v: dict(question="q" * 65),
    "question id with a glob": lambda new, v: dict(question="q*"),
    "answer past the choices": lambda new, v: dict(answer=CHOICES),
    "negative answer": lambda new, v: dict(answer=-1),
    "answer not a whole number": lambda new, v: dict(answer=1.5),
    "answer a boolean": lambda new, v: dict(answer=True),
    "too many choices": lambda new, v: dict(n_choices=10_000),
    "oversized voter id": lambda new, v: dict(voter_id="v" * 65),
    "short voter id": lambda new, v: dict(voter_id="v" * 8),
    "voter id not text": lambda new, v: dict(voter_id=b"0123456789abcdefgh"),
    "replayed request": lambda new, v: dict(seq=5),
    "older request": lambda new, v: dict(seq=4),
    "request number past 2**53": lambda new, v: dict(seq=2**60),
}


@pytest.mark.parametrize("case", VOTE_REFUSALS)
def test_a_bad_vote_is_refused_in_one_line_and_changes_nothing(lesson, case):
    store, new = lesson
    student = voter()
    assert store.vote(new.code, student, "q1", 1, CHOICES, 5) is None
    before = held(store, new)
    vote = dict(code=new.code, voter_id=student, question="q1", answer=2, n_choices=CHOICES, seq=6)
    vote.update(VOTE_REFUSALS[case](new, student))
    message = store.vote(**vote)
    assert_refused(message)
    assert held(store, new) == before
    if isinstance(vote["voter_id"], str):
        assert vote["voter_id"][:8] not in message  # a voter id is never repeated back


@pytest.mark.parametrize("phase", ["closed", "revealed"])
def test_a_vote_after_the_question_closed_is_refused(lesson, phase):
    store, new = lesson
    assert store.set_phase(new.class_id, new.secret, phase) is None
    before = held(store, new)
    message = store.vote(new.code, voter(), "q1", 1, CHOICES, 1)
    assert_refused(message)
    assert phase in message
    assert held(store, new) == before


PRESENTER_ACTIONS = {
    "go": lambda store, class_id, secret: store.go(class_id, secret, "next", "q2"),
    "close": lambda store, class_id, secret: store.set_phase(class_id, secret, "closed"),
    "reveal": lambda store, class_id, secret: store.set_phase(class_id, secret, "revealed"),
    "show histogram": lambda store, class_id, secret: store.show_histogram(class_id, secret),
    "reset votes": lambda store, class_id, secret: store.reset_votes(class_id, secret),
    "end class": lambda store, class_id, secret: store.end_class(class_id, secret),
}


@pytest.mark.parametrize("action", PRESENTER_ACTIONS)
def test_only_the_presenter_secret_drives_the_class(lesson, action):
    store, new = lesson
    other, _ = store.create_class()
    assert store.vote(new.code, voter(), "q1", 1, CHOICES, 1) is None
    before = held(store, new)
    wrong = new.secret[:-1] + ("A" if new.secret[-1] != "A" else "B")
    for secret in (None, "", wrong, other.secret, new.secret * 3, "é" * 22, "s" * 100_000):
        message = PRESENTER_ACTIONS[action](store, new.class_id, secret)
        assert message == NOT_PRESENTER, (secret, message)
        assert held(store, new) == before
    assert PRESENTER_ACTIONS[action](store, new.class_id, new.secret) is None


@pytest.mark.parametrize("class_id", [None, "", "x" * 10_000, "0" * 32, "G" * 32])
def test_an_unknown_or_malformed_class_id_is_refused(lesson, class_id):
    store, new = lesson
    before = held(store, new)
    assert_refused(store.status(class_id)[1])
    assert_refused(store.version(class_id)[1])
    assert_refused(store.counts(class_id, "q1", CHOICES, new.secret)[1])
    assert_refused(store.go(class_id, new.secret, "next", "q2"))
    assert held(store, new) == before


@pytest.mark.parametrize("call", [
    lambda store, new: store.go(new.class_id, new.secret, "s" * 65),
    lambda store, new: store.go(new.class_id, new.secret, "next", "q/2"),
    lambda store, new: store.set_phase(new.class_id, new.secret, "hidden"),
    lambda store, new: store.show_histogram(new.class_id, new.secret, "yes"),
    lambda store, new: store.counts(new.class_id, "q1", 1, new.secret)[1],
    lambda store, new: store.counts(new.class_id, "never-asked", CHOICES, new.secret)[1],
    lambda store, new: store.create_class(idle_s=float("nan"))[1],
    lambda store, new: store.create_class(idle_s=1e12)[1],
    lambda store, new: store.create_class(idle_s="3600")[1],
], ids=["long step", "bad question id", "no such phase", "shown not a boolean", "one choice",
        "question never asked", "idle NaN", "idle 30000 years", "idle as text"])
def test_bad_presenter_input_is_refused(lesson, call):
    store, new = lesson
    before = held(store, new)
    assert_refused(call(store, new))
    assert held(store, new) == before


def test_a_full_class_takes_no_new_voter_but_lets_voters_change(lesson):
    store, new = lesson
    store.max_voters = 3
    students = [voter() for _ in range(3)]
    for student in students:
        assert store.vote(new.code, student, "q1", 0, CHOICES, 1) is None
    assert_refused(store.vote(new.code, voter(), "q1", 0, CHOICES, 1))
    assert store.vote(new.code, students[0], "q1", 1, CHOICES, 2) is None
    assert store.counts(new.class_id, "q1", CHOICES, new.secret) == ([2, 1, 0, 0], None)


# --- expiry -----------------------------------------------------------------------------------------

def test_a_class_expires_after_its_idle_time_and_activity_keeps_it(store_url, store):
    new, _ = store.create_class(idle_s=1.5)
    assert store.go(new.class_id, new.secret, "predict", "q1") is None
    time.sleep(0.9)
    assert store.vote(new.code, voter(), "q1", 1, CHOICES, 1) is None  # activity: 1.5 s more
    time.sleep(0.9)  # 1.8 s after the start, 0.9 s after the vote
    assert store.join(new.code) == (new.class_id, None)
    time.sleep(1.0)  # 1.9 s after the vote
    assert_refused(store.join(new.code)[1])
    assert_refused(store.status(new.class_id)[1])
    assert_refused(store.version(new.class_id)[1])
    assert_refused(store.vote(new.code, voter(), "q1", 1, CHOICES, 1))
    assert_refused(store.go(new.class_id, new.secret, "next", "q2"))
    assert store.create_class()[1] is None  # expired classes are deleted (Redis: by themselves)
    assert new.class_id not in stored_text(store_url)


# --- privacy ----------------------------------------------------------------------------------------

def test_the_store_holds_no_voter_id_and_no_presenter_secret(store_url, lesson):
    store, new = lesson
    students = [voter() for _ in range(20)]
    for seq, student in enumerate(students):
        assert store.vote(new.code, student, "q1", seq % CHOICES, CHOICES, seq) is None
    assert store.reset_votes(new.class_id, new.secret) is None  # deleted votes leave no trace either
    assert store.vote(new.code, students[0], "q1", 1, CHOICES, 99) is None
    text = stored_text(store_url)
    assert new.class_id in text  # the scan does see what is stored
    assert new.secret not in text
    assert not [student for student in students if student in text]


def test_the_same_browser_cannot_be_linked_across_classes(store_url, store):
    student = voter()
    first, second = store.create_class()[0], store.create_class()[0]
    for new in (first, second):
        assert store.go(new.class_id, new.secret, "predict", "q1") is None
        assert store.vote(new.code, student, "q1", 1, CHOICES, 1) is None
    in_first, in_second = stored_voters(store_url, first.class_id), stored_voters(store_url, second.class_id)
    assert len(in_first) == len(in_second) == 1
    assert in_first != in_second


# --- many processes ---------------------------------------------------------------------------------

def _voting_process(url, code, ballots, start, results):
    """One app process: open the store, wait for the others, send ``ballots`` (voter, answer, seq)."""
    store = open_store(url)
    start.wait()
    results.put([store.vote(code, voter_id, "q1", answer, CHOICES, seq) for voter_id, answer, seq in ballots])
    store.close()


def test_100_voters_from_4_processes_are_counted_exactly_once(store_url, lesson):
    store, new = lesson
    rng = secrets.SystemRandom()
    voters = [voter() for _ in range(100)]
    first = {v: rng.randrange(CHOICES) for v in voters}
    changed = {v: rng.randrange(CHOICES) for v in voters[::2]}  # half change their mind
    final = {**first, **changed}
    processes = 4
    ballots = [[] for _ in range(processes)]
    for i, v in enumerate(voters):
        ballots[i % processes].append((v, first[v], 1))
    for i, v in enumerate(voters[::2]):  # from the voter's own process, as a browser stays on its worker
        ballots[2 * i % processes].append((v, changed[v], 2))
    for mine in ballots:
        mine.append(mine[0])  # a replay of the process's first vote, sent last
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(processes), context.Queue()
    workers = [context.Process(target=_voting_process, args=(store_url, new.code, mine, start, results))
               for mine in ballots]
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    for mine in answers:
        assert mine[:-1] == [None] * (len(mine) - 1)
        assert_refused(mine[-1])
    expected = Counter(final.values())
    counts, _ = store.counts(new.class_id, "q1", CHOICES, new.secret)
    assert counts == [expected[answer] for answer in range(CHOICES)]
    assert sum(counts) == len(voters)
    # one version per vote taken: none was applied twice, none lost
    assert store.version(new.class_id) == (1 + len(first) + len(changed), None)


# --- opening a store, and a store that stops answering -----------------------------------------------

@pytest.mark.parametrize("url", [
    None, "", "postgres://db/classes", "sqlite://classes.db", "sqlite:///", "sqlite:///:memory:",
    "sqlite:///classes.db?mode=ro", "redis://", "redis://localhost:notaport", "redis://localhost:99999",
    "redis://localhost:6379/99", "redis://localhost:6379?db=1", "redis://" + "h" * 1000,
    "sqlite:///no-such-folder/classes.db", "file:///tmp/classes.db",
])
def test_open_store_refuses_what_it_cannot_use_in_one_line(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=r"^[^\n]+$"):
        open_store(url)


def test_open_store_refuses_a_redis_server_that_does_not_answer():
    with pytest.raises(ValueError, match=r"^Cannot reach the class store at redis://127.0.0.1:\d+: [^\n]+$"):
        open_store(f"redis://127.0.0.1:{free_port()}")


def test_a_relative_sqlite_path_is_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    open_store("sqlite:///classes.db").close()
    assert (tmp_path / "classes.db").stat().st_mode & 0o077 == 0  # the owner's only


def test_a_redis_server_gone_mid_class_gives_a_message_not_an_exception():
    with local_redis() as url:
        store = open_store(url)
        new, _ = store.create_class()
        assert store.go(new.class_id, new.secret, "predict", "q1") is None
    for message in (store.vote(new.code, voter(), "q1", 1, CHOICES, 1), store.version(new.class_id)[1],
                    store.create_class()[1], store.reset_votes(new.class_id, new.secret)):
        assert_refused(message)
        assert "did not answer" in message
    store.close()


def test_a_redis_class_that_other_writers_keep_changing_gives_a_message_after_the_timeout(redis_url,
                                                                                          monkeypatch):
    monkeypatch.setattr(redis_module, "TIMEOUT_S", 0.3)
    store = open_store(redis_url)
    new, _ = store.create_class()
    assert store.go(new.class_id, new.secret, "predict", "q1") is None
    other, commit, runs = redis.Redis.from_url(redis_url), redis_module.RedisTransaction.commit, []

    def commit_after_another_writer(tx, pipe):
        runs.append(time.monotonic())
        other.hincrby(store.keys.part(new.class_id, "info"), "version", 1)  # between WATCH and EXEC
        commit(tx, pipe)

    monkeypatch.setattr(redis_module.RedisTransaction, "commit", commit_after_another_writer)
    message = store.vote(new.code, voter(), "q1", 1, CHOICES, 1)
    monkeypatch.setattr(redis_module.RedisTransaction, "commit", commit)
    assert_refused(message)
    assert "did not answer (StoreBusy)" in message
    # It kept trying, with pauses, until the timeout, then gave up. The last try starts within a pause
    # (<= 50 ms) and a try of the timeout, so 0.1 s leaves a loaded machine 150 ms of stalls; 50 retries
    # without pauses take ~30 ms. The upper bound only says it gave up.
    assert len(runs) > 3
    assert 0.1 < runs[-1] - runs[0] < 1.0
    assert store.counts(new.class_id, "q1", CHOICES, new.secret) == ([0] * CHOICES, None)
    other.close()
    store.close()


def test_a_locked_sqlite_file_gives_a_message_not_an_exception(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT_S", 0.2)
    store = open_store(f"sqlite:///{tmp_path}/classes.db")
    new, _ = store.create_class()
    assert store.go(new.class_id, new.secret, "predict", "q1") is None
    with sqlite3.connect(tmp_path / "classes.db", isolation_level=None) as other:
        other.execute("BEGIN EXCLUSIVE")  # another process holding the file for longer than the timeout
        message = store.vote(new.code, voter(), "q1", 1, CHOICES, 1)
        other.execute("ROLLBACK")
    assert_refused(message)
    assert "did not answer" in message
    assert store.counts(new.class_id, "q1", CHOICES, new.secret) == ([0] * CHOICES, None)
    store.close()
