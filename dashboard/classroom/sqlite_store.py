"""The class store in one SQLite file: the embedded default, for app processes on one host.

The file is in WAL mode, so pages polling the class read the last committed state while a vote is
being written. Every change is one ``BEGIN IMMEDIATE`` transaction: SQLite lets one writer at a time
into the file, across processes, and the others wait for it (up to BUSY_TIMEOUT_S), so a rule's reads
and writes cannot interleave with another process's. Commits are ``synchronous=FULL`` (a vote that was
acknowledged is on disk: it survives a killed process and a power cut), deleted rows are overwritten
and, once a class is deleted, the WAL is checkpointed and emptied (``secure_delete`` and
``wal_checkpoint(TRUNCATE)``: an ended or expired class leaves no trace in the files, unless another
process was reading at that moment, when its old pages stay in the WAL until a later checkpoint). The
file is created readable by its owner only.
"""

import os
import sqlite3
import threading
from dataclasses import fields
from pathlib import Path

from dashboard.classroom.store import ClassRecord, ClassStore, QuestionState, StoreBusy, Transaction

#: How long a writer waits for another process's write to finish [s].
BUSY_TIMEOUT_S = 10.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS classes (
    id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, secret_hash TEXT NOT NULL, voter_key TEXT NOT NULL,
    created REAL NOT NULL, active REAL NOT NULL, idle_s REAL NOT NULL, step TEXT, question TEXT,
    version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS questions (
    class_id TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE, question TEXT NOT NULL,
    phase TEXT NOT NULL, shown INTEGER NOT NULL, PRIMARY KEY (class_id, question)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS votes (
    class_id TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE, question TEXT NOT NULL,
    voter TEXT NOT NULL, answer INTEGER NOT NULL, PRIMARY KEY (class_id, question, voter)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS seqs (
    class_id TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE, voter TEXT NOT NULL,
    seq INTEGER NOT NULL, PRIMARY KEY (class_id, voter)) WITHOUT ROWID;
"""
#: The columns of ``classes`` in the order of ClassRecord's fields.
COLUMNS = ", ".join(field.name for field in fields(ClassRecord))


def _record(row):
    return ClassRecord(*row) if row else None


def _wipe_wal(db):
    """Copy the WAL into the file and empty it, so deleted rows' old pages leave the WAL too."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class SQLiteTransaction(Transaction):
    """The store's reads and writes on one connection, inside the transaction the store opened."""

    def __init__(self, db):
        self.db = db
        self.deleted = False  # a class was deleted: its old pages are to be wiped from the WAL

    def _one(self, sql, *args):
        return self.db.execute(sql, args).fetchone()

    def class_by_code(self, code):
        return _record(self._one(f"SELECT {COLUMNS} FROM classes WHERE code = ?", code))

    def class_by_id(self, class_id):
        return _record(self._one(f"SELECT {COLUMNS} FROM classes WHERE id = ?", class_id))

    def question(self, class_id, question):
        row = self._one("SELECT phase, shown FROM questions WHERE class_id = ? AND question = ?",
                        class_id, question)
        return QuestionState(row[0], bool(row[1])) if row else None

    def last_seq(self, class_id, voter):
        row = self._one("SELECT seq FROM seqs WHERE class_id = ? AND voter = ?", class_id, voter)
        return row[0] if row else None

    def voter_count(self, class_id):
        return self._one("SELECT COUNT(*) FROM seqs WHERE class_id = ?", class_id)[0]

    def counts(self, class_id, question):
        rows = self.db.execute("SELECT answer, COUNT(*) FROM votes WHERE class_id = ? AND question = ? "
                               "GROUP BY answer", (class_id, question))
        return dict(rows.fetchall())

    def insert_class(self, record):
        marks = ", ".join("?" * len(fields(ClassRecord)))
        self.db.execute(f"INSERT INTO classes ({COLUMNS}) VALUES ({marks})",
                        [getattr(record, field.name) for field in fields(ClassRecord)])

    def update_class(self, record):
        self.db.execute("UPDATE classes SET step = ?, question = ?, active = ?, version = ? WHERE id = ?",
                        (record.step, record.question, record.active, record.version, record.id))

    def put_question(self, class_id, question, state):
        self.db.execute("INSERT OR REPLACE INTO questions VALUES (?, ?, ?, ?)",
                        (class_id, question, state.phase, int(state.shown)))

    def put_vote(self, class_id, question, voter, answer):
        self.db.execute("INSERT OR REPLACE INTO votes VALUES (?, ?, ?, ?)",
                        (class_id, question, voter, answer))

    def put_seq(self, class_id, voter, seq):
        self.db.execute("INSERT OR REPLACE INTO seqs VALUES (?, ?, ?)", (class_id, voter, seq))

    def delete_votes(self, class_id, question):
        self.db.execute("DELETE FROM votes WHERE class_id = ? AND question = ?", (class_id, question))

    def delete_class(self, record):
        self.db.execute("DELETE FROM classes WHERE id = ?", (record.id,))  # the rest cascades
        self.deleted = True


class SQLiteStore(ClassStore):
    """The class store in the SQLite file ``path`` (created, with its tables, if missing).

    One connection per process (threads take turns on it); open the store in each process, after
    any fork. Raises ValueError with a one-line message if the file cannot be opened.
    """

    failures = (StoreBusy, sqlite3.DatabaseError)
    name = "class store (SQLite)"

    def __init__(self, path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db, self._pid = None, None
        try:
            if not self.path.exists():
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._connection().executescript(f"BEGIN IMMEDIATE; {SCHEMA} COMMIT;")
        except (OSError, sqlite3.DatabaseError) as error:
            raise ValueError(f"Cannot open the class store {self.path}: {error}.") from None

    def _connection(self):
        """This process's connection, opened on first use (a connection must not cross a fork: a
        forked child opens its own and leaves the parent's alone)."""
        if self._pid != os.getpid():
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                       check_same_thread=False)
            for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON",
                           "secure_delete = ON"):
                self._db.execute(f"PRAGMA {pragma}")
            self._pid = os.getpid()
        return self._db

    def _within(self, begin, work):
        with self._lock:
            db = self._connection()
            db.execute(begin)
            tx = SQLiteTransaction(db)
            try:
                result = work(tx)
            except BaseException:
                db.rollback()
                raise
            db.commit()
            if tx.deleted:
                _wipe_wal(db)
            return result

    def _transact(self, rules):
        return self._within("BEGIN IMMEDIATE", rules)

    def _snapshot(self, reads):
        return self._within("BEGIN", reads)

    def _forget_expired(self, now):
        with self._lock:
            db = self._connection()
            if db.execute("DELETE FROM classes WHERE active + idle_s <= ?", (now,)).rowcount:
                _wipe_wal(db)

    def close(self):
        with self._lock:
            if self._pid == os.getpid():
                self._db.close()
            self._db, self._pid = None, None
