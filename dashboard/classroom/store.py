"""The live class's store (issue 11): what a class holds and the rules of voting, written once.

A lecturer (the presenter) creates a class and gets a short join code for the room and a presenter
secret for themselves; students join with the code and vote on the class's current question. Several
app processes, on one host or several, share one store, so every rule that reads and then writes runs
inside one atomic transaction of the store: :class:`ClassStore` holds the rules, and each store
(:mod:`.sqlite_store`, :mod:`.redis_store`) supplies only the transaction and the reads and writes it
offers (:class:`Transaction`).

What is kept, and what is not:

- a class: a random id, a join code (:data:`CODE_LENGTH` characters of :data:`CODE_ALPHABET`), the
  SHA-256 of the presenter secret (128 random bits, never stored), a random key for voters' hashes,
  created and last-active times [s since the epoch], an idle time [s] after which it expires, the current
  step and question, and a version bumped by every change (what pollers watch);
- per question: its phase (:data:`OPEN`, :data:`CLOSED`, :data:`REVEALED`) and whether its histogram
  is shown;
- per voter: one answer per question and the last sequence number received. A voter is an anonymous
  id the browser keeps; the store holds only its HMAC under the class's own key, so the same browser in
  two classes gives two unrelated hashes.

Every public method returns instead of raising: an action returns None when done, else a one-line
message saying why it was refused, and then nothing changed; a query returns ``(value, None)`` or
``(None, message)``.
"""

import hashlib
import hmac
import numbers
import re
import secrets
import time
from dataclasses import dataclass, replace

from physics.constants import DAY, HOUR

#: Join code characters: digits and capitals without 0/O and 1/I, which are misread on a projector.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Join code length: 32**6, about 1e9 codes, so guessing a live one is hopeless at any request rate.
CODE_LENGTH = 6
#: Step and question ids: short names such as the tour's step keys.
ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")
#: Voter ids: the random id a browser keeps (at least 16 characters, so it cannot be guessed).
VOTER_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
#: Class ids: 128 random bits in hex.
CLASS_ID_PATTERN = re.compile(r"[0-9a-f]{32}")
#: Longest presenter secret accepted [characters]; ours are 22 (secrets.token_urlsafe(16)).
SECRET_MAX_CHARS = 64
#: Largest number of choices a question may have.
MAX_CHOICES = 26
#: Largest sequence number: the largest whole number a browser's JavaScript counts exactly.
SEQ_MAX = 2**53 - 1
#: Idle time after which a class expires by default [s] (a teaching block with its break).
DEFAULT_IDLE_S = 3 * HOUR
#: Idle times a class may be given [s].
IDLE_RANGE_S = (0.1, 7 * DAY)
#: Phases of a question: votes are taken while open; closed stops them; revealed is final until a reset.
OPEN, CLOSED, REVEALED = "open", "closed", "revealed"
PHASES = (OPEN, CLOSED, REVEALED)

#: Told when the presenter secret is missing or wrong (never says which).
NOT_PRESENTER = "Only the presenter can do this: the presenter secret does not match."


class StoreBusy(Exception):
    """The store could not finish a transaction (too many conflicting writers); nothing was changed."""


@dataclass(frozen=True)
class ClassRecord:
    """A class as stored. Times in s since the epoch, ``idle_s`` in s; ``secret_hash`` is the SHA-256
    of the presenter secret and ``voter_key`` the class's HMAC key for voters (both hex)."""

    id: str
    code: str
    secret_hash: str
    voter_key: str
    created: float
    active: float
    idle_s: float
    step: str | None = None
    question: str | None = None
    version: int = 0

    def live(self, now):
        """True until ``idle_s`` has passed since the last change (``now`` in s since the epoch)."""
        return now - self.active < self.idle_s


@dataclass(frozen=True)
class QuestionState:
    """One question of a class: its phase and whether the room may see its histogram."""

    phase: str = OPEN
    shown: bool = False


@dataclass(frozen=True)
class NewClass:
    """What creating a class hands the presenter. ``secret`` exists only here: keep it in the presenter
    link; the store keeps its hash."""

    class_id: str
    code: str
    secret: str


@dataclass(frozen=True)
class ClassStatus:
    """What anyone in the class may read: the current step and question (None between questions), the
    question's phase and whether its histogram is shown, the version, and when the class expires if
    nothing changes [s since the epoch]."""

    class_id: str
    code: str
    step: str | None
    question: str | None
    phase: str | None
    shown: bool
    version: int
    expires: float


class Transaction:
    """The reads and writes a store offers inside one atomic transaction (and, for the reads, outside
    one: :meth:`ClassStore._snapshot`). A store implements each; the rules in :class:`ClassStore` call
    all reads before any write."""

    def class_by_code(self, code):
        """The ClassRecord with this join code (live or expired), or None."""
        raise NotImplementedError

    def class_by_id(self, class_id):
        """The ClassRecord with this id (live or expired), or None."""
        raise NotImplementedError

    def question(self, class_id, question):
        """The QuestionState of ``question`` in the class, None if it was never current."""
        raise NotImplementedError

    def last_seq(self, class_id, voter):
        """The last sequence number taken from ``voter`` (a hash) in the class, None before the first."""
        raise NotImplementedError

    def voter_count(self, class_id):
        """How many voters the class has taken a vote from."""
        raise NotImplementedError

    def counts(self, class_id, question):
        """{answer index: number of votes} of ``question``."""
        raise NotImplementedError

    def insert_class(self, record):
        """Store a new class."""
        raise NotImplementedError

    def update_class(self, record):
        """Store the class's step, question, active time and version (and renew its expiry)."""
        raise NotImplementedError

    def put_question(self, class_id, question, state):
        """Store the QuestionState of ``question``."""
        raise NotImplementedError

    def put_vote(self, class_id, question, voter, answer):
        """Store ``voter``'s answer to ``question``, replacing an earlier one."""
        raise NotImplementedError

    def put_seq(self, class_id, voter, seq):
        """Store the last sequence number taken from ``voter``."""
        raise NotImplementedError

    def delete_votes(self, class_id, question):
        """Delete every vote on ``question``."""
        raise NotImplementedError

    def delete_class(self, record):
        """Delete the class, its questions, votes and sequence numbers."""
        raise NotImplementedError


def quoted(value, limit=16):
    """``value`` as quoted in a message: its repr, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_text(value, name, pattern, hint, echo=True):
    """None if ``value`` is text that ``pattern`` matches whole, else a message that names it (and
    quotes it if ``echo``: a voter id is never repeated back)."""
    if not isinstance(value, str):
        return f"The {name} must be text, not {type(value).__name__}."
    if not pattern.fullmatch(value):
        return f"The {name}{' ' + quoted(value) if echo else ''} is not valid: {hint}."
    return None


def check_whole(value, name, low, high):
    """None if ``value`` is a whole number from ``low`` to ``high``, else a message that names it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        return f"The {name} {quoted(value)} is not valid: give a whole number from {low} to {high}."
    return None


def normal_code(code):
    """(the join code in capitals without surrounding spaces, None) or (None, a message)."""
    if not isinstance(code, str) or len(code) > 2 * CODE_LENGTH:
        return None, f"A join code is {CODE_LENGTH} characters long; {quoted(code)} is not one."
    text = code.strip().upper()
    if len(text) != CODE_LENGTH or not set(text) <= set(CODE_ALPHABET):
        return None, (f"A join code is {CODE_LENGTH} characters from {CODE_ALPHABET}; "
                      f"{quoted(code)} is not one.")
    return text, None


def check_secret(secret):
    """None if ``secret`` could be a presenter secret (text of a bounded length), else NOT_PRESENTER."""
    ok = isinstance(secret, str) and 0 < len(secret) <= SECRET_MAX_CHARS and secret.isascii()
    return None if ok else NOT_PRESENTER


def secret_hash(secret):
    """SHA-256 of a presenter secret, hex. The secret has 128 random bits: no slow hash is needed."""
    return hashlib.sha256(secret.encode()).hexdigest()


def voter_hash(voter_key, voter_id):
    """The voter as stored: HMAC-SHA256 of its id under the class's key, the first 128 bits in hex."""
    return hmac.new(bytes.fromhex(voter_key), voter_id.encode(), hashlib.sha256).hexdigest()[:32]


def new_code():
    """A random join code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def unknown_class(what):
    """The refusal for a class that does not exist (or no longer does)."""
    return f"No class is running with {what}: it is unknown or has expired."


def touched(record, now, **changes):
    """``record`` after a change at ``now``: active again, one version later, with ``changes``."""
    return replace(record, active=now, version=record.version + 1, **changes)


class ClassStore:
    """The rules of a live class over a store's atomic transactions.

    A store subclasses this and implements :meth:`_transact` and :meth:`_snapshot` (each calls its
    argument with a :class:`Transaction`) and :meth:`close`; ``failures`` lists the exceptions that
    mean the store did not answer or was busy, which every method turns into a one-line message.
    """

    #: Most voters a class takes votes from (a guard against a flood of made-up voter ids).
    max_voters = 1000
    #: Exceptions of this store that mean "not done, try again" (a subclass adds its own).
    failures = (StoreBusy,)
    #: What the store is called in messages.
    name = "class store"

    # --- what a store implements ---------------------------------------------------------------------

    def _transact(self, rules):
        """``rules(transaction)`` atomically: its writes all happen or none does; returns its result."""
        raise NotImplementedError

    def _snapshot(self, reads):
        """``reads(transaction)`` for reading only; returns its result."""
        raise NotImplementedError

    def _forget_expired(self, now):
        """Delete expired classes (a store whose keys expire by themselves needs nothing here)."""

    def close(self):
        """Release the store's connections."""
        raise NotImplementedError

    # --- running rules ---------------------------------------------------------------------------

    def _run(self, call, work, refused):
        try:
            return call(work)
        except self.failures as error:
            return refused(f"The {self.name} did not answer ({type(error).__name__}); nothing was "
                           f"changed, try again.")

    def _change(self, rules):
        """Run ``rules`` atomically; its message (None when done)."""
        return self._run(self._transact, rules, lambda message: message)

    def _query(self, reads):
        """Run ``reads``; its (value, message) pair."""
        return self._run(self._snapshot, reads, lambda message: (None, message))

    # --- the room ------------------------------------------------------------------------------------

    def create_class(self, idle_s=DEFAULT_IDLE_S):
        """Start a class that expires after ``idle_s`` seconds without a change.

        Returns (NewClass, None) or (None, message). Expired classes are deleted first.
        """
        low, high = IDLE_RANGE_S
        if isinstance(idle_s, bool) or not isinstance(idle_s, numbers.Real) or not low <= idle_s <= high:
            return None, f"The idle time {quoted(idle_s)} is not valid: give seconds from {low} to {high:g}."
        now = time.time()
        self._run(self._forget_expired, now, lambda message: None)
        secret = secrets.token_urlsafe(16)
        record = ClassRecord(id=secrets.token_hex(16), code="", secret_hash=secret_hash(secret),
                             voter_key=secrets.token_hex(32), created=now, active=now, idle_s=float(idle_s))
        for _ in range(20):  # a code still in use is drawn again; at 1e9 codes, a second draw is rare
            attempt = replace(record, code=new_code())
            claimed = self._change(lambda tx, attempt=attempt: self._claim_code(tx, attempt, now))
            if claimed is True:
                return NewClass(attempt.id, attempt.code, secret), None
            if claimed is not False:  # the store's message
                return None, claimed
        return None, "No free join code was found; try again."

    @staticmethod
    def _claim_code(tx, record, now):
        """Store ``record`` under its code: True, or False if a live class holds the code."""
        existing = tx.class_by_code(record.code)
        if existing is not None and existing.live(now):
            return False
        if existing is not None:
            tx.delete_class(existing)
        tx.insert_class(record)
        return True

    def join(self, code):
        """(class id, None) for the join code of a live class, else (None, message)."""
        code, message = normal_code(code)
        if message:
            return None, message
        now = time.time()

        def reads(tx):
            record = tx.class_by_code(code)
            if record is None or not record.live(now):
                return None, unknown_class(f"join code {code}")
            return record.id, None

        return self._query(reads)

    def _live(self, tx, class_id, now):
        """(ClassRecord, None) for a live class, else (None, message)."""
        if message := check_text(class_id, "class id", CLASS_ID_PATTERN, "32 hexadecimal digits"):
            return None, message
        record = tx.class_by_id(class_id)
        if record is None or not record.live(now):
            return None, unknown_class(f"id {class_id}")
        return record, None

    def status(self, class_id):
        """(ClassStatus, None) of a live class, else (None, message)."""
        now = time.time()

        def reads(tx):
            record, message = self._live(tx, class_id, now)
            if message:
                return None, message
            state = tx.question(record.id, record.question) if record.question else None
            return ClassStatus(record.id, record.code, record.step, record.question,
                               state.phase if state else None, bool(state and state.shown),
                               record.version, record.active + record.idle_s), None

        return self._query(reads)

    def version(self, class_id):
        """(version, None) of a live class, else (None, message): a number every change raises, for a
        presenter or student page to poll cheaply and read :meth:`status` or :meth:`counts` when it
        moves."""
        now = time.time()

        def reads(tx):
            record, message = self._live(tx, class_id, now)
            return (None, message) if message else (record.version, None)

        return self._query(reads)

    def counts(self, class_id, question, n_choices, secret=None):
        """(votes per choice as a list of ``n_choices`` numbers, None), else (None, message).

        The presenter (``secret``) may read them at any time; anyone else once the presenter shows
        the question's histogram. Nobody can read who voted what: the store has no such query.
        """
        message = (check_text(question, "question id", ID_PATTERN, "1 to 64 letters, digits, _ . -")
                   or check_whole(n_choices, "number of choices", 2, MAX_CHOICES))
        if message:
            return None, message
        now = time.time()

        def reads(tx):
            record, message = self._live(tx, class_id, now)
            if message:
                return None, message
            state = tx.question(record.id, question)
            if state is None:
                return None, f"Question {question} has not been asked in this class."
            presenter = secret is not None and self._presenter(record, secret) is None
            if not (presenter or state.shown):
                return None, "The presenter has not shown this question's answers yet."
            votes = tx.counts(record.id, question)
            return [votes.get(answer, 0) for answer in range(n_choices)], None

        return self._query(reads)

    def vote(self, code, voter_id, question, answer, n_choices, seq):
        """Record ``voter_id``'s ``answer`` (0 to ``n_choices`` - 1) to ``question``, the class's current
        question, while it is open. ``seq`` is the voter's request number: it must exceed every
        earlier one of that voter in this class (a replayed or out-of-order request is refused).
        A later vote replaces the voter's earlier answer. Returns None, or why the vote was refused."""
        code, message = normal_code(code)
        message = (message
                   or check_text(voter_id, "voter id", VOTER_PATTERN, "16 to 64 letters, digits, _ -",
                                 echo=False)
                   or check_text(question, "question id", ID_PATTERN, "1 to 64 letters, digits, _ . -")
                   or check_whole(n_choices, "number of choices", 2, MAX_CHOICES)
                   or check_whole(seq, "request number", 0, SEQ_MAX))
        message = message or check_whole(answer, "answer", 0, n_choices - 1)
        if message:
            return message
        now = time.time()

        def rules(tx):
            record = tx.class_by_code(code)
            if record is None or not record.live(now):
                return unknown_class(f"join code {code}")
            if question != record.question:
                return f"Question {question} is not the class's current question; reload the page."
            phase = tx.question(record.id, question).phase
            if phase == CLOSED:
                return "Voting on this question is closed: the vote was not taken."
            if phase == REVEALED:
                return "The answer has been revealed: votes are closed."
            voter = voter_hash(record.voter_key, voter_id)
            last = tx.last_seq(record.id, voter)
            if last is not None and seq <= last:
                return f"Request {seq} was already received (last {last}): a replayed vote is refused."
            if last is None and tx.voter_count(record.id) >= self.max_voters:
                return f"This class is full ({self.max_voters} voters)."
            tx.put_vote(record.id, question, voter, int(answer))
            tx.put_seq(record.id, voter, int(seq))
            tx.update_class(touched(record, now))
            return None

        return self._change(rules)

    # --- the presenter -------------------------------------------------------------------------------

    @staticmethod
    def _presenter(record, secret):
        """None if ``secret`` is the class's presenter secret (compared in constant time)."""
        if message := check_secret(secret):
            return message
        return None if hmac.compare_digest(record.secret_hash, secret_hash(secret)) else NOT_PRESENTER

    def _presenter_change(self, class_id, secret, change):
        """Run ``change(tx, record, now)`` atomically on a live class, for its presenter only."""
        now = time.time()

        def rules(tx):
            record, message = self._live(tx, class_id, now)
            return message or self._presenter(record, secret) or change(tx, record, now)

        return self._change(rules)

    def go(self, class_id, secret, step, question=None):
        """Move the class to ``step`` and its ``question`` (None for a step without one). A question
        asked for the first time opens for votes; one asked before keeps its phase and votes."""
        message = (check_text(step, "step id", ID_PATTERN, "1 to 64 letters, digits, _ . -")
                   or (question is not None and check_text(question, "question id", ID_PATTERN,
                                                           "1 to 64 letters, digits, _ . -")))
        if message:
            return message

        def change(tx, record, now):
            if (record.step, record.question) == (step, question):
                return None
            if question is not None and tx.question(record.id, question) is None:
                tx.put_question(record.id, question, QuestionState())
            tx.update_class(touched(record, now, step=step, question=question))
            return None

        return self._presenter_change(class_id, secret, change)

    def _question_change(self, class_id, secret, edit):
        """Apply ``edit(state) -> (new state, message)`` to the current question, for the presenter."""

        def change(tx, record, now):
            if record.question is None:
                return f"Step {record.step or '(none yet)'} asks no question."
            state = tx.question(record.id, record.question)
            new, message = edit(state)
            if message is None and new != state:
                tx.put_question(record.id, record.question, new)
                tx.update_class(touched(record, now))
            return message

        return self._presenter_change(class_id, secret, change)

    def set_phase(self, class_id, secret, phase):
        """Open, close or reveal the current question. A revealed question stays revealed until
        :meth:`reset_votes`."""
        if phase not in PHASES:
            return f"Phase {quoted(phase)} does not exist: give one of {', '.join(PHASES)}."

        def edit(state):
            if state.phase == REVEALED and phase != REVEALED:
                return state, "The answer is revealed; reset the votes to ask this question again."
            return replace(state, phase=phase), None

        return self._question_change(class_id, secret, edit)

    def show_histogram(self, class_id, secret, shown=True):
        """Show (or hide) the current question's histogram to everyone in the class."""
        if not isinstance(shown, bool):
            return "Showing the histogram is True or False."
        return self._question_change(class_id, secret, lambda state: (replace(state, shown=shown), None))

    def reset_votes(self, class_id, secret):
        """Delete the current question's votes and ask it again: open, histogram hidden."""

        def change(tx, record, now):
            if record.question is None:
                return f"Step {record.step or '(none yet)'} asks no question."
            tx.delete_votes(record.id, record.question)
            tx.put_question(record.id, record.question, QuestionState())
            tx.update_class(touched(record, now))
            return None

        return self._presenter_change(class_id, secret, change)

    def end_class(self, class_id, secret):
        """Delete the class and everything it holds now, rather than at its expiry."""

        def change(tx, record, now):
            tx.delete_class(record)
            return None

        return self._presenter_change(class_id, secret, change)
