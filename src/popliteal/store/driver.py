"""The patient's per-request statements, run on the database driver's cursor.

Why not SQLAlchemy Core here: a patient's answer is three statements and a commit, and
through Core each statement costs more Python than the database spends on it (building the
execution context, the cache lookup, processing the result). Measured on SQLite, the same
statements took 0.99 ms of CPU through Core and 0.15 ms on the driver's cursor; answers are
most of a patient's requests. Everything else (the clinician's pages, bookings, purges,
migrations) stays on the ORM and Core, where clarity matters more than microseconds.

What keeps this honest:

- The SQL is plain, portable SQL (``UPDATE ... RETURNING`` exists in SQLite 3.35+ and
  PostgreSQL), written once with ``:name`` parameters and turned into the driver's own style.
- Values go through SQLAlchemy's own type processors for each column, taken from the ORM's
  table definitions, so rows written here are exactly what the ORM writes (UTC datetimes,
  JSON), and rows read here exactly what it reads. Tests read each side with the other.
- Connections come from the engine's pool (the same pragmas, ``pool_pre_ping``, search path),
  and a transaction commits or rolls back as a whole, as :meth:`Store.connection` does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Column, Engine, Table

from popliteal.store import ratelimits
from popliteal.store.db import SQLITE_SYNCHRONOUS
from popliteal.store.models import Answer, Assessment, AuditEntry
from popliteal.store.records import AnswerRecord, AssessmentRecord

ANSWERS = cast(Table, Answer.__table__)
ASSESSMENTS = cast(Table, Assessment.__table__)
AUDIT_LOG = cast(Table, AuditEntry.__table__)
_RECORD_COLUMNS = ("id", "created_at", "updated_at", "expires_at", "consent_given_at", "age",
                   "sex", "text", "state", "result", "triage_level", "top_condition",
                   "handled_at", "handled_by")
_LOG_COLUMNS = ("assessment_id", "seq", "finding_id", "answer", "created_at")


#: fdatasync where the system has it (not macOS); fsync otherwise.
_fdatasync: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)


def wal_file(engine: Engine) -> str | None:
    """The absolute path of a SQLite database file's WAL (None: PostgreSQL, or SQLite in
    memory or by URI, whose file this cannot name)."""
    database = engine.url.database
    if (engine.dialect.name != "sqlite" or not database or database == ":memory:"
            or database.startswith("file:")):
        return None
    return os.path.abspath(f"{database}-wal")


def _identity(value: Any) -> Any:
    return value


class PatientStatements:
    """The hot path's SQL for one engine, with each column's bind and result processors."""

    def __init__(self, engine: Engine, serial: AbstractContextManager[Any]) -> None:
        self.engine = engine
        self._serial = serial
        dialect = engine.dialect
        self.integrity_error: type[Exception] = dialect.dbapi.IntegrityError  # type: ignore[union-attr]
        self._style = dialect.name  # sqlite3 takes ":name"; psycopg2 wants "%(name)s"
        self._wal = wal_file(engine)  # synced by this class after durable commits

        def processors(column: Column[Any]) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
            typ = column.type.dialect_impl(dialect)
            return (typ.bind_processor(dialect) or _identity,
                    typ.result_processor(dialect, None) or _identity)

        self._bind = {(t.name, c.name): processors(c)[0]
                      for t in (ANSWERS, ASSESSMENTS, AUDIT_LOG) for c in t.columns}
        self._read = {(t.name, c.name): processors(c)[1]
                      for t in (ANSWERS, ASSESSMENTS) for c in t.columns}
        record_cols = ", ".join(_RECORD_COLUMNS)
        self._touch = self._sql(
            "UPDATE assessments SET updated_at = :now WHERE token_hash = :token_hash "
            "RETURNING id, token_hash, expires_at")
        self._touch_with_state = self._sql(
            "UPDATE assessments SET updated_at = :now WHERE token_hash = :token_hash "
            "RETURNING id, token_hash, expires_at, state")
        self._record = self._sql(
            f"SELECT token_hash, {record_cols} FROM assessments WHERE token_hash = :token_hash")
        self._log = self._sql(
            f"SELECT {', '.join(_LOG_COLUMNS)} FROM answers "
            "WHERE assessment_id = :assessment_id ORDER BY seq")
        self._insert_answer = self._sql(
            "INSERT INTO answers (assessment_id, seq, finding_id, answer, created_at) "
            "VALUES (:assessment_id, :seq, :finding_id, :answer, :created_at)")
        self._insert_audit = self._sql(
            "INSERT INTO audit_log (at, actor, action, object_type, object_id) "
            "VALUES (:at, :actor, :action, :object_type, :object_id)")
        self._insert_assessment = self._sql(
            "INSERT INTO assessments (token_hash, created_at, updated_at, expires_at, "
            "consent_given_at, age, sex, text, state) VALUES (:token_hash, :created_at, "
            ":updated_at, :expires_at, :consent_given_at, :age, :sex, :text, :state) "
            "RETURNING id")
        self._set_result = self._sql(
            "UPDATE assessments SET result = :result, triage_level = :triage_level, "
            "top_condition = :top_condition WHERE id = :id")
        # Rate limits (popliteal.store.ratelimits): ON CONFLICT DO NOTHING is the same in
        # SQLite 3.24+ and PostgreSQL; FOR UPDATE is PostgreSQL's row lock (SQLite's single
        # writer already holds the whole database).
        self._bucket_insert = self._sql(
            "INSERT INTO rate_limits (bucket, client, tokens, updated) "
            "VALUES (:bucket, :client, :tokens, :updated) ON CONFLICT DO NOTHING")
        self._bucket_read = self._sql(
            "SELECT tokens, updated FROM rate_limits WHERE bucket = :bucket AND client = :client"
            + (" FOR UPDATE" if self._style == "postgresql" else ""))
        self._bucket_write = self._sql(
            "UPDATE rate_limits SET tokens = :tokens, updated = :updated "
            "WHERE bucket = :bucket AND client = :client")
        self._buckets_forget = self._sql("DELETE FROM rate_limits WHERE updated < :before")

    def _sql(self, text: str) -> str:
        if self._style == "postgresql":
            return re.sub(r":(\w+)", r"%(\1)s", text)
        return text

    # ------------------------------------------------------------------ values in and out

    def bind(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` (named by column) as the driver takes them."""
        bind = self._bind
        return {name: bind[table, name](value) for name, value in values.items()}

    def time(self, value: datetime) -> Any:
        """A timestamp as the driver takes it (the same processing for every time column):
        an answer binds one time three times, and converting it once is a third of the
        cost of binding."""
        return self._bind["answers", "created_at"](value)

    # ------------------------------------------------------------------ statements

    def touch(self, cursor: Any, token_hash: str, now: Any, *, state: bool
              ) -> tuple[int, str, datetime, Any] | None:
        """Set ``updated_at`` (``now``: from :meth:`time`) of the assessment with
        ``token_hash``; its id, stored hash, expiry and, if asked, state. None if none."""
        cursor.execute(self._touch_with_state if state else self._touch,
                       {"now": now, "token_hash": token_hash})
        row = cursor.fetchone()
        if row is None:
            return None
        read = self._read
        return (row[0], row[1], read["assessments", "expires_at"](row[2]),
                read["assessments", "state"](row[3]) if state else None)

    def record(self, cursor: Any, token_hash: str) -> tuple[str, AssessmentRecord] | None:
        """The stored hash and the whole record of the assessment with ``token_hash``."""
        cursor.execute(self._record, {"token_hash": token_hash})
        row = cursor.fetchone()
        if row is None:
            return None
        read = self._read
        return row[0], AssessmentRecord(*(read["assessments", name](value) for name, value
                                          in zip(_RECORD_COLUMNS, row[1:], strict=True)))

    def log(self, cursor: Any, assessment_id: int) -> list[AnswerRecord]:
        """The assessment's answers in order."""
        cursor.execute(self._log, {"assessment_id": assessment_id})
        read_answer = self._read["answers", "answer"]
        read_time = self._read["answers", "created_at"]
        return [AnswerRecord(a, s, f, read_answer(v), read_time(t))
                for a, s, f, v, t in cursor.fetchall()]

    def insert_answer(self, cursor: Any, assessment_id: int, seq: int, finding_id: str,
                      answer: Any, now: Any) -> None:
        """One answer row (``now``: from :meth:`time`)."""
        cursor.execute(self._insert_answer, {
            "assessment_id": assessment_id, "seq": seq, "finding_id": finding_id,
            "answer": self._bind["answers", "answer"](answer), "created_at": now})

    def audit(self, cursor: Any, entry: dict[str, Any]) -> None:
        """One audit row from :func:`popliteal.store.audit.entry`."""
        cursor.execute(self._insert_audit, self.bind("audit_log", entry))

    def insert_assessment(self, cursor: Any, values: dict[str, Any]) -> int:
        """A new assessment from column values; its id."""
        cursor.execute(self._insert_assessment, self.bind("assessments", values))
        return int(cursor.fetchone()[0])

    def set_result(self, cursor: Any, assessment_id: int, columns: dict[str, Any], *,
                   encoded: str | None = None) -> bool:
        """Store a result (:func:`popliteal.store.assessments.result_columns`), or the JSON
        text ``encoded`` in its place; False when no such assessment exists."""
        if encoded is None:
            values = self.bind("assessments", columns)
        else:  # what the JSON type's processor would have made of the result
            values = {**self.bind("assessments", {k: v for k, v in columns.items()
                                                  if k != "result"}), "result": encoded}
        cursor.execute(self._set_result, {"id": assessment_id, **values})
        return bool(cursor.rowcount)

    def take_rate_token(self, cursor: Any, bucket: str, client: str, *, rate: float,
                        capacity: float, now: float) -> float | None:
        """:func:`popliteal.store.ratelimits.take` on this cursor (from
        ``transaction(durable=False)``: a lost bucket is only an early refill): None if a
        token was taken, else the seconds until one is free."""
        key = {"bucket": bucket, "client": client}
        cursor.execute(self._bucket_insert, {**key, "tokens": capacity, "updated": now})
        if cursor.rowcount:  # a new client: clear out the buckets long full again
            cursor.execute(self._buckets_forget, {"before": now - ratelimits.IDLE_SECONDS})
        cursor.execute(self._bucket_read, key)
        stored, updated = cursor.fetchone()
        tokens, updated, wait = ratelimits.take(stored, updated, rate=rate, capacity=capacity,
                                                now=now)
        cursor.execute(self._bucket_write, {**key, "tokens": tokens, "updated": updated})
        return wait

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[Any]:
        """A driver cursor in one transaction: committed when the block ends, rolled back if
        it raises. SQLite writers queue on the store's write lock for the statements and
        the commit (the connection is taken from the pool and given back outside it).

        Durable (the default), on a SQLite file: the COMMIT itself does not wait for the disk
        (``synchronous=NORMAL`` on the connection for this transaction); the write lock is
        let go, and only then is the WAL file fdatasynced (:meth:`_sync_wal`), before this
        returns. So when it returns, the transaction is on disk, as with
        ``synchronous=FULL``, but the next writer (another server process) is not kept
        waiting through the disk's flush: with two processes the lock had been held mostly
        for fsyncs, and each process spent about 18 % of its time waiting for the other's
        (``docs/api.md``). PostgreSQL, and SQLite in memory, commit as before (FULL).

        ``durable=False``: COMMIT does not wait for the disk, and nothing syncs after it (for
        writes whose loss in a power cut costs nothing, such as a rate-limit bucket).
        PostgreSQL: ``synchronous_commit`` off for this transaction. SQLite:
        ``synchronous=NORMAL``; the next durable transaction's sync of the log covers it.

        SQLite takes no change of ``synchronous`` inside a transaction, so it is set before
        the transaction begins, and the connections' setting (``db.SQLITE_SYNCHRONOUS``,
        ``FULL``, which the ORM's transactions keep) is restored before the connection goes
        back to the pool."""
        wal = self._wal if durable else None  # flushed by us after the commit
        relaxed = self._style == "sqlite" and (wal is not None or not durable)
        connection = self.engine.raw_connection()
        try:
            if relaxed:
                connection.execute("PRAGMA synchronous=NORMAL")
            with self._serial:  # held for the statements and the commit only
                try:
                    cursor = connection.cursor()
                    try:
                        if not durable and not relaxed:  # PostgreSQL
                            cursor.execute("SET LOCAL synchronous_commit TO OFF")
                        yield cursor
                    finally:
                        cursor.close()
                    connection.commit()
                except BaseException:
                    connection.rollback()
                    raise
        finally:
            try:
                if relaxed:
                    connection.execute(SQLITE_SYNCHRONOUS)
            finally:
                connection.close()  # back to the pool
        if wal is not None:
            self._sync_wal(wal)

    @staticmethod
    def _sync_wal(wal: str) -> None:
        """Flush the WAL file to disk: every transaction committed so far, this process's
        last one included, is then durable (the log is appended in commit order, so a
        later writer's sync covers the earlier frames too).

        The file is opened by name each time (two cheap system calls) rather than kept open:
        SQLite deletes the WAL when the database's last connection closes, after
        checkpointing it into the database file and syncing that, which is also why a
        missing WAL means there is nothing left to flush.
        """
        try:
            fd = os.open(wal, os.O_RDONLY)
        except FileNotFoundError:
            return
        try:
            _fdatasync(fd)
        finally:
            os.close(fd)
