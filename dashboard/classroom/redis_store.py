"""The class store in Redis: for app processes on several hosts.

A class is five keys: its join code (the class id), and four hashes: ``info`` (the ClassRecord),
``questions`` (question -> ``phase:shown``), ``votes`` (``question:voter`` -> answer) and ``seqs``
(voter -> last request number). Every change renews all five to expire after the class's idle time, so
Redis itself deletes a class nobody uses.

A rule runs as an optimistic transaction: WATCH the class's keys, read them, decide in Python (the same
rules as the SQLite store), then MULTI/EXEC the writes; if another process changed a watched key in
between, EXEC does nothing and the rule runs again on fresh data. Every change bumps the version in
``info``, so two concurrent changes to a class never both land. Durability of an acknowledged vote is
Redis's: configure ``appendonly yes`` where votes must survive a restart of Redis.
"""

import math
import random
import time
from dataclasses import asdict

import redis

from dashboard.classroom.store import ClassRecord, ClassStore, QuestionState, StoreBusy, Transaction

#: Seconds to wait for Redis to answer, and to keep re-running a rule that other writers keep
#: conflicting with, before the store reports it did not answer (as SQLite's busy timeout does).
TIMEOUT_S = 5.0
#: Longest pause, in seconds, between two runs of a conflicted rule. The pause is random and doubles
#: from 1 ms per conflict: four processes re-running at once without a pause could starve one of them
#: (a fixed 50 immediate retries lost one vote in 100 from 4 processes on a busy 2-core machine).
MAX_BACKOFF_S = 0.05


def _record(info):
    if not info:
        return None
    return ClassRecord(id=info["id"], code=info["code"], secret_hash=info["secret_hash"],
                       voter_key=info["voter_key"], created=float(info["created"]),
                       active=float(info["active"]), idle_s=float(info["idle_s"]),
                       step=info["step"] or None, question=info["question"] or None,
                       version=int(info["version"]))


class RedisTransaction(Transaction):
    """The store's reads on ``reader`` (a pipeline that WATCHes each key before reading it, or the
    client itself for reads alone) and its writes, queued until the store commits them."""

    def __init__(self, keys, reader, watch):
        self.keys, self.reader, self.watch = keys, reader, watch
        self.writes, self.expiring = [], {}

    def _watched(self, *keys):
        if self.watch:
            self.reader.watch(*keys)
        return self.reader

    def _class_keys(self, class_id):
        return [self.keys.part(class_id, part) for part in ("info", "questions", "votes", "seqs")]

    def class_by_code(self, code):
        class_id = self._watched(self.keys.code(code)).get(self.keys.code(code))
        return self.class_by_id(class_id) if class_id else None

    def class_by_id(self, class_id):
        keys = self._class_keys(class_id)
        return _record(self._watched(*keys).hgetall(keys[0]))

    def question(self, class_id, question):
        value = self.reader.hget(self.keys.part(class_id, "questions"), question)
        if value is None:
            return None
        phase, shown = value.split(":")
        return QuestionState(phase, shown == "1")

    def last_seq(self, class_id, voter):
        value = self.reader.hget(self.keys.part(class_id, "seqs"), voter)
        return None if value is None else int(value)

    def voter_count(self, class_id):
        return self.reader.hlen(self.keys.part(class_id, "seqs"))

    def _vote_fields(self, class_id, question):
        """(field, answer) of every vote on ``question``."""
        # ids hold no glob characters (ID_PATTERN), so the pattern matches this question's fields only
        return self.reader.hscan_iter(self.keys.part(class_id, "votes"), match=f"{question}:*", count=1000)

    def counts(self, class_id, question):
        counts = {}
        for _, answer in self._vote_fields(class_id, question):
            counts[int(answer)] = counts.get(int(answer), 0) + 1
        return counts

    def _renew(self, record):
        self.expiring[record.id] = (record.code, max(1, math.ceil(record.idle_s * 1000)))

    def insert_class(self, record):
        info = {**asdict(record), "step": "", "question": ""}
        self.writes.append(lambda pipe: pipe.set(self.keys.code(record.code), record.id))
        self.writes.append(lambda pipe: pipe.hset(self.keys.part(record.id, "info"), mapping=info))
        self._renew(record)

    def update_class(self, record):
        info = {"step": record.step or "", "question": record.question or "", "active": record.active,
                "version": record.version}
        self.writes.append(lambda pipe: pipe.hset(self.keys.part(record.id, "info"), mapping=info))
        self._renew(record)

    def put_question(self, class_id, question, state):
        value = f"{state.phase}:{int(state.shown)}"
        self.writes.append(lambda pipe: pipe.hset(self.keys.part(class_id, "questions"), question, value))

    def put_vote(self, class_id, question, voter, answer):
        field = f"{question}:{voter}"
        self.writes.append(lambda pipe: pipe.hset(self.keys.part(class_id, "votes"), field, answer))

    def put_seq(self, class_id, voter, seq):
        self.writes.append(lambda pipe: pipe.hset(self.keys.part(class_id, "seqs"), voter, seq))

    def delete_votes(self, class_id, question):
        doomed = [field for field, _ in self._vote_fields(class_id, question)]
        if doomed:
            self.writes.append(lambda pipe: pipe.hdel(self.keys.part(class_id, "votes"), *doomed))

    def delete_class(self, record):
        keys = [self.keys.code(record.code), *self._class_keys(record.id)]
        self.writes.append(lambda pipe: pipe.delete(*keys))
        self.expiring.pop(record.id, None)

    def commit(self, pipe):
        """Queue the writes, then renew the expiry of every class written, on ``pipe`` in MULTI."""
        for write in self.writes:
            write(pipe)
        for class_id, (code, idle_ms) in self.expiring.items():
            for key in [self.keys.code(code), *self._class_keys(class_id)]:
                pipe.pexpire(key, idle_ms)


class Keys:
    """Names of the store's keys, all under ``prefix``."""

    def __init__(self, prefix):
        self.prefix = prefix

    def code(self, code):
        return f"{self.prefix}:code:{code}"

    def part(self, class_id, part):
        return f"{self.prefix}:class:{class_id}:{part}"


class RedisStore(ClassStore):
    """The class store in the Redis server at ``url`` (``redis://host:port[/db]``), its keys under
    ``prefix``. Raises ValueError with a one-line message if the server does not answer."""

    failures = (StoreBusy, redis.RedisError)
    name = "class store (Redis)"

    def __init__(self, url, prefix="fndam"):
        self.keys = Keys(prefix)
        self.redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=TIMEOUT_S,
                                          socket_connect_timeout=TIMEOUT_S)
        try:
            self.redis.ping()
        except redis.RedisError as error:
            self.redis.close()
            raise ValueError(f"Cannot reach the class store at {url}: {error}".rstrip(".") + ".") from None

    def _transact(self, rules):
        deadline, conflicts = time.monotonic() + TIMEOUT_S, 0
        while time.monotonic() < deadline:
            with self.redis.pipeline() as pipe:
                tx = RedisTransaction(self.keys, pipe, watch=True)
                result = rules(tx)
                if not tx.writes:
                    return result
                pipe.multi()
                tx.commit(pipe)
                try:
                    pipe.execute()
                except redis.WatchError:
                    # another process changed the class meanwhile: pause, then decide again
                    conflicts += 1
                    time.sleep(random.uniform(0, min(MAX_BACKOFF_S, 0.001 * 2 ** conflicts)))
                    continue
                return result
        raise StoreBusy(f"{conflicts} attempts in {TIMEOUT_S:g} s conflicted with other writers")

    def _snapshot(self, reads):
        return reads(RedisTransaction(self.keys, self.redis, watch=False))

    def close(self):
        self.redis.close()
