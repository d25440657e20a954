"""The store's facade: what the API, CLI and web call.

Why one method per use, each its own transaction: the callers are HTTP handlers and CLI
commands that do one thing, and a method that returns has committed. That is the durability
promise of ``append_answer``: when it returns a seq, the answer is on disk, and another server
process (or this one after ``kill -9``) will see it. Methods return frozen records, never ORM
objects. Actions on personal data write their audit row in the same transaction, so an action
cannot happen without its audit record.

Callers that need several steps in one transaction can use the session-level functions in
``assessments``, ``bookings``, ``users`` and ``retention`` with :func:`session_scope`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from popliteal.results import AssessmentResult
from popliteal.store import assessments, bookings, retention, users
from popliteal.store import audit as audit_log
from popliteal.store.db import make_engine, make_session_factory, migrate, session_scope
from popliteal.store.driver import PatientStatements
from popliteal.store.errors import AnswerConflict, InvalidInput, NotFound
from popliteal.store.models import Assessment, Booking, User, utcnow
from popliteal.store.records import (
    AnswerRecord,
    AppendedAnswer,
    AssessmentRecord,
    AssessmentSummary,
    AuditRecord,
    BookingRecord,
    PurgeCounts,
    UserRecord,
)
from popliteal.store.settings import (
    DEFAULT_RETENTION_DAYS,
    DEFAULT_SESSION_TTL_SECONDS,
    StoreSettings,
)
from popliteal.store.tokens import hash_token, new_token, plausible_token
from popliteal.store.writers import SQLiteWriters

APPEND_ATTEMPTS = 5


class _Closed(Exception):
    """The token opens nothing (unknown, deleted or expired): roll back, answer None."""


def _set_handled(
    session: Session,
    row: Assessment | Booking,
    kind: str,
    username: str,
    handled: bool,
    now: datetime | None,
) -> None:
    """Mark ``row`` handled by ``username`` (or not handled again), audited in this session."""
    row.handled_at = (now or utcnow()) if handled else None
    row.handled_by = username if handled else None
    audit_log.record(session, audit_log.clinician(username), "handle", kind, row.id)
    session.flush()


class Store:
    """Persistence for one database; thread-safe (one session per call), cheap to share."""

    def __init__(
        self,
        engine: Engine,
        *,
        retention: timedelta | None = None,
        session_ttl: timedelta | None = None,
    ) -> None:
        self.engine = engine
        self.retention = retention or timedelta(days=DEFAULT_RETENTION_DAYS)
        self.session_ttl = session_ttl or timedelta(seconds=DEFAULT_SESSION_TTL_SECONDS)
        self._sessions = make_session_factory(engine)
        # SQLite has one writer at a time, and a writer that finds the lock taken sleeps in
        # SQLite's busy handler (1, 2, 5 ... 100 ms steps) rather than being woken: writers
        # queue on SQLiteWriters instead (threads on a lock, processes on a file lock).
        self._writers = (SQLiteWriters(engine.url.database) if engine.dialect.name == "sqlite"
                         else None)
        self._serial: AbstractContextManager[Any] = self._writers or nullcontext()
        self._patient = PatientStatements(engine, self._serial)

    @classmethod
    def from_settings(cls, settings: StoreSettings, *, upgrade: bool = True) -> Store:
        """A store for the configured database, migrated to the newest schema by default."""
        return cls.from_url(
            settings.database_url,
            upgrade=upgrade,
            retention=settings.retention,
            session_ttl=settings.session_ttl,
        )

    @classmethod
    def from_url(
        cls,
        url: str | URL,
        *,
        upgrade: bool = True,
        retention: timedelta | None = None,
        session_ttl: timedelta | None = None,
    ) -> Store:
        engine = make_engine(url)
        if upgrade:
            migrate(engine)
        return cls(engine, retention=retention, session_ttl=session_ttl)

    def dispose(self) -> None:
        """Close pooled connections (at shutdown, and in tests)."""
        self.engine.dispose()
        if self._writers is not None:
            self._writers.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session for several steps in one transaction (commits at the end)."""
        with self._serial, session_scope(self._sessions) as session:
            yield session

    # ------------------------------------------------------------------ assessments (patient)

    def create_assessment(
        self,
        *,
        consent: bool,
        age: int,
        sex: str,
        text: str,
        state: Any,
        now: datetime | None = None,
    ) -> tuple[AssessmentRecord, str]:
        """Store a new assessment after consent; return it and the patient's plain token.

        Raises ConsentRequired unless ``consent is True``; the token is not kept anywhere.
        """
        assessments.check_new(consent=consent, age=age, sex=sex, text=text)
        now = now or utcnow()
        token = new_token()
        sql = self._patient
        expires_at = now + self.retention
        values = {"token_hash": hash_token(token), "created_at": now, "updated_at": now,
                  "expires_at": expires_at, "consent_given_at": now, "age": age, "sex": sex,
                  "text": text, "state": state}
        with sql.transaction() as cursor:
            assessment_id = sql.insert_assessment(cursor, values)
            self._patient_audit(cursor, "create", assessment_id, now)
        record = AssessmentRecord(
            id=assessment_id, created_at=now, updated_at=now, expires_at=expires_at,
            consent_given_at=now, age=age, sex=sex, text=text, state=state, result=None,
            triage_level=None, top_condition=None, handled_at=None, handled_by=None)
        return record, token

    def get_assessment_by_token(
        self, token: str, *, record_access: bool = True, now: datetime | None = None
    ) -> AssessmentRecord | None:
        """The assessment this token opens, or None; audited as ``open`` by default."""
        opened = self._open(token, record_access, now, log=False)
        return opened[0] if opened is not None else None

    def append_answer(
        self,
        assessment_id: int,
        finding_id: str,
        answer: Any,
        *,
        expected_seq: int | None = None,
        now: datetime | None = None,
    ) -> int:
        """Record one answer and return its seq; committed (durable) when this returns.

        With ``expected_seq`` the answer is written only if it would get that seq, otherwise
        AnswerConflict: a client retrying after a lost response does not answer twice.
        """
        for attempt in range(APPEND_ATTEMPTS):
            try:
                with self.transaction() as session:
                    seq = assessments.append_answer(
                        session,
                        assessment_id,
                        finding_id,
                        answer,
                        expected_seq=expected_seq,
                        now=now,
                    )
                    audit_log.record(
                        session, audit_log.PATIENT, "answer", "assessment", assessment_id, now=now
                    )
                return seq
            except IntegrityError:
                # Another process took this seq between our read and our insert: read again.
                if attempt == APPEND_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def open_assessment(
        self, token: str, *, record_access: bool = True, now: datetime | None = None
    ) -> tuple[AssessmentRecord, list[AnswerRecord]] | None:
        """The assessment this token opens and its answer log, in one transaction; or None.

        Audited as ``open`` by default. One transaction instead of two is most of the cost
        of a patient's request that only reads.
        """
        return self._open(token, record_access, now, log=True)

    def _open(self, token: str, record_access: bool, now: datetime | None, *, log: bool
              ) -> tuple[AssessmentRecord, list[AnswerRecord]] | None:
        if not plausible_token(token):
            return None
        sql = self._patient
        with sql.transaction() as cursor:
            found = sql.record(cursor, hash_token(token))
            if found is None or not assessments.opens(found[0], found[1].expires_at, token, now):
                return None
            record = found[1]
            if record_access:
                self._patient_audit(cursor, "open", record.id, now)
            return record, sql.log(cursor, record.id) if log else []

    def append_answer_by_token(
        self,
        token: str,
        finding_id: str,
        answer: Any,
        *,
        expected_seq: int | None = None,
        check: Callable[[list[AnswerRecord]], None] | None = None,
        after_seq: int | None = None,
        now: datetime | None = None,
    ) -> AppendedAnswer | None:
        """Find the assessment, append one answer and audit it: one durable transaction.

        None for a token that opens nothing. ``check`` sees the log before the write and may
        raise to refuse it (a full log, nothing to undo); nothing is written then.
        ``expected_seq`` as in :meth:`append_answer`. This is the patient's hot path.

        ``after_seq``: the caller believes the log ends at this seq (it holds the interview
        built from that log, and has made its own checks on it). The answer is then written
        as ``after_seq + 1`` without reading the log; the primary key proves the belief
        (answers are only ever appended, so if ``after_seq + 1`` was free the log ended
        there). If the key is taken, or ``expected_seq`` disagrees, the call starts again
        as if ``after_seq`` had not been given: that path reads the log and is the authority.
        """
        assessments.check_finding_id(finding_id)
        if not plausible_token(token):
            return None
        if after_seq is not None and expected_seq in (None, after_seq + 1):
            try:
                return self._append_after(token, finding_id, answer, after_seq, now)
            except self._patient.integrity_error:
                pass  # another process answered since: read the log below
        for attempt in range(APPEND_ATTEMPTS):
            try:
                return self._append_reading_log(token, finding_id, answer, expected_seq, check,
                                                now)
            except self._patient.integrity_error:
                # Another process took this seq between our read and our insert: read again.
                if attempt == APPEND_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _append_after(self, token: str, finding_id: str, answer: Any, after_seq: int,
                      now: datetime | None) -> AppendedAnswer | None:
        sql = self._patient
        now = now or utcnow()
        try:
            with sql.transaction() as cursor:
                assessment_id, expires_at, _ = self._touch(cursor, token, now, state=False)
                seq = after_seq + 1
                self._insert_answer(cursor, assessment_id, seq, finding_id, answer, now)
        except _Closed:
            return None
        return AppendedAnswer(assessment_id, seq, expires_at, None, None)

    def _append_reading_log(self, token: str, finding_id: str, answer: Any,
                            expected_seq: int | None,
                            check: Callable[[list[AnswerRecord]], None] | None,
                            now: datetime | None) -> AppendedAnswer | None:
        sql = self._patient
        now = now or utcnow()
        try:
            with sql.transaction() as cursor:
                assessment_id, expires_at, state = self._touch(cursor, token, now, state=True)
                log = sql.log(cursor, assessment_id)
                if check is not None:
                    check(log)
                seq = (log[-1].seq if log else 0) + 1
                if expected_seq is not None and expected_seq != seq:
                    raise AnswerConflict(expected_seq, seq)
                self._insert_answer(cursor, assessment_id, seq, finding_id, answer, now)
        except _Closed:
            return None
        added = AnswerRecord(assessment_id, seq, finding_id, answer, now)
        return AppendedAnswer(assessment_id, seq, expires_at, state, [*log, added])

    def _touch(self, cursor: Any, token: str, now: datetime, *, state: bool
               ) -> tuple[int, datetime, Any]:
        """Set ``updated_at`` of the assessment ``token`` opens; its id, expiry and (if asked)
        state. Raises :class:`_Closed` (rolling back) when the token opens nothing.

        The UPDATE comes first: it takes the row lock on PostgreSQL and the write lock on
        SQLite, so no other writer can slip in between it and the commit.
        """
        found = self._patient.touch(cursor, hash_token(token), self._patient.time(now),
                                    state=state)
        if found is None or not assessments.opens(found[1], found[2], token, now):
            raise _Closed
        return found[0], found[2], found[3]

    def _insert_answer(self, cursor: Any, assessment_id: int, seq: int, finding_id: str,
                       answer: Any, now: datetime) -> None:
        """The answer and its audit row (the touch of ``updated_at`` came first)."""
        sql = self._patient
        sql.insert_answer(cursor, assessment_id, seq, finding_id, answer, sql.time(now))
        self._patient_audit(cursor, "answer", assessment_id, now)

    def _patient_audit(self, cursor: Any, action: str, assessment_id: int,
                       now: datetime | None = None) -> None:
        """The patient's audit row for ``action`` on their assessment, in the cursor's
        transaction (the hot path's counterpart of :func:`audit_log.record`)."""
        self._patient.audit(cursor, audit_log.entry(audit_log.PATIENT, action, "assessment",
                                                    assessment_id, now=now))

    def list_answers(self, assessment_id: int) -> list[AnswerRecord]:
        """Every acknowledged answer in order: enough to rebuild the interview anywhere."""
        with self.transaction() as session:
            return assessments.answer_log(session, assessment_id)

    def update_state(self, assessment_id: int, state: Any) -> None:
        """Save the serialised interview state (a cache of the answers; last writer wins)."""
        with self.transaction() as session:
            assessments.update_state(session, assessment_id, state)

    def set_result(self, assessment_id: int, result: AssessmentResult | Mapping[str, Any], *,
                   encoded: str | None = None, opened: bool = False) -> None:
        """Save the result; its triage level and top condition become filterable. NotFound
        when the assessment is gone. ``encoded``: the value to store, already as JSON text
        (a caller that has encoded it for its own use need not pay for it twice).
        ``opened``: the patient is being shown it; audited as ``open`` in the same
        transaction (one durable write for the request, not two)."""
        sql = self._patient
        columns = assessments.result_columns(result, dump=encoded is None)
        with sql.transaction() as cursor:
            if not sql.set_result(cursor, assessment_id, columns, encoded=encoded):
                raise NotFound(f"assessment {assessment_id} not found")
            if opened:
                self._patient_audit(cursor, "open", assessment_id)

    def record_open(self, assessment_id: int) -> None:
        """Audit the patient's opening of their assessment (read earlier without auditing)."""
        with self._patient.transaction() as cursor:
            self._patient_audit(cursor, "open", assessment_id)

    def delete_assessment_by_token(self, token: str) -> bool:
        """The patient deletes their assessment and its answers. False for an unknown token."""
        with self.transaction() as session:
            row = assessments.by_token(session, token)
            if row is None:
                return False
            assessment_id = row.id
            session.execute(delete(Assessment).where(Assessment.id == assessment_id))
            audit_log.record(session, audit_log.PATIENT, "delete", "assessment", assessment_id)
            return True

    # ------------------------------------------------------------------ assessments (clinician)

    def list_assessments(
        self,
        *,
        actor: str,
        triage_level: str | Sequence[str] | None = None,
        handled: bool | None = None,
        since: datetime | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AssessmentSummary]:
        """Newest first, without free text; ``actor`` (a clinician) is audited as ``list``."""
        levels = [triage_level] if isinstance(triage_level, str) else triage_level
        with self.transaction() as session:
            rows = assessments.list_for_clinicians(
                session,
                triage_levels=levels,
                handled=handled,
                since=since,
                limit=limit,
                offset=offset,
            )
            audit_log.record(session, actor, "list", "assessment")
            return [AssessmentSummary.of(row) for row in rows]

    def get_assessment(self, assessment_id: int, *, actor: str) -> AssessmentRecord:
        """A clinician opens one assessment (audited); NotFound if it does not exist."""
        with self.transaction() as session:
            row = assessments.by_id(session, assessment_id)
            audit_log.record(session, actor, "open", "assessment", row.id)
            return AssessmentRecord.of(row)

    def mark_handled(
        self,
        assessment_id: int,
        *,
        username: str,
        handled: bool = True,
        now: datetime | None = None,
    ) -> AssessmentRecord:
        """Mark an assessment handled by ``username`` (or not handled again)."""
        with self.transaction() as session:
            row = assessments.by_id(session, assessment_id, lock=True)
            _set_handled(session, row, "assessment", username, handled, now)
            return AssessmentRecord.of(row)

    # ------------------------------------------------------------------ bookings

    def create_booking(
        self,
        *,
        name: str,
        phone: str,
        branch_id: str,
        preferred_times: Sequence[str],
        consent_to_contact: bool,
        assessment_id: int | None = None,
        notes: str | None = None,
        now: datetime | None = None,
    ) -> BookingRecord:
        """Store a booking request (fields validated by the clinics package beforehand)."""
        with self.transaction() as session:
            row = bookings.create_booking(
                session,
                name=name,
                phone=phone,
                branch_id=branch_id,
                preferred_times=preferred_times,
                consent_to_contact=consent_to_contact,
                retention=self.retention,
                assessment_id=assessment_id,
                notes=notes,
                now=now,
            )
            audit_log.record(session, audit_log.PATIENT, "create", "booking", row.id, now=now)
            return BookingRecord.of(row)

    def list_bookings(
        self,
        *,
        actor: str = audit_log.SYSTEM,
        handled: bool | None = None,
        branch_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[BookingRecord]:
        """Newest first; audited as ``list`` by ``actor`` (``system`` for the CLI)."""
        with self.transaction() as session:
            rows = bookings.list_bookings(
                session, handled=handled, branch_id=branch_id, limit=limit, offset=offset
            )
            audit_log.record(session, actor, "list", "booking")
            return [BookingRecord.of(row) for row in rows]

    def mark_booking_handled(
        self,
        booking_id: int,
        *,
        username: str,
        handled: bool = True,
        now: datetime | None = None,
    ) -> BookingRecord:
        with self.transaction() as session:
            row = bookings.by_id(session, booking_id)
            _set_handled(session, row, "booking", username, handled, now)
            return BookingRecord.of(row)

    # ------------------------------------------------------------------ clinicians

    def add_user(self, username: str, password: str) -> UserRecord:
        """``popliteal users add``: a new clinician (argon2id hash). UserExists if taken."""
        with self.transaction() as session:
            row = users.add_user(session, username, password)
            audit_log.record(session, audit_log.SYSTEM, "create", "user", row.id)
            return UserRecord.of(row)

    def list_users(self) -> list[UserRecord]:
        with self.transaction() as session:
            rows = session.scalars(select(User).order_by(User.username))
            return [UserRecord.of(row) for row in rows]

    def set_user_active(self, username: str, active: bool) -> UserRecord:
        with self.transaction() as session:
            row = users.set_active(session, username, active)
            audit_log.record(session, audit_log.SYSTEM, "update", "user", row.id)
            return UserRecord.of(row)

    def set_password(self, username: str, password: str) -> None:
        with self.transaction() as session:
            users.set_password(session, username, password)
            user_id = users.by_username(session, username).id
            audit_log.record(session, audit_log.SYSTEM, "update", "user", user_id)

    def verify_password(self, username: str, password: str) -> UserRecord | None:
        """The active user with this password, or None. Not audited; use :meth:`login`."""
        with self.transaction() as session:
            row = users.verify_password(session, username, password)
            return None if row is None else UserRecord.of(row)

    def login(
        self, username: str, password: str, *, ttl: timedelta | None = None
    ) -> tuple[UserRecord, str] | None:
        """Check the password and issue a token (audited ``login``); None when refused."""
        with self.transaction() as session:
            row = users.verify_password(session, username, password)
            if row is None:
                return None
            token = users.issue_token(session, row.id, ttl or self.session_ttl)
            audit_log.record(session, audit_log.clinician(row.username), "login", "user", row.id)
            return UserRecord.of(row), token

    def issue_token(
        self, user_id: int, *, ttl: timedelta | None = None, now: datetime | None = None
    ) -> str:
        """A session or bearer token for ``user_id``; plain once, stored hashed."""
        with self.transaction() as session:
            return users.issue_token(session, user_id, ttl or self.session_ttl, now=now)

    def user_for_token(self, token: str, *, now: datetime | None = None) -> UserRecord | None:
        """The clinician a token authenticates, or None (unknown, expired, disabled)."""
        with self.transaction() as session:
            row = users.user_for_token(session, token, now=now)
            return None if row is None else UserRecord.of(row)

    def revoke_token(self, token: str) -> bool:
        """Log out. True when the token existed."""
        with self.transaction() as session:
            user = users.user_for_token(session, token)
            revoked = users.revoke_token(session, token)
            if revoked and user is not None:
                audit_log.record(
                    session, audit_log.clinician(user.username), "logout", "user", user.id
                )
            return revoked

    # ------------------------------------------------------------------ privacy

    def purge_expired(self, *, now: datetime | None = None) -> PurgeCounts:
        """``popliteal purge``: delete what is past retention; returns the counts."""
        with self.transaction() as session:
            return retention.purge_expired(session, now=now)

    def take_rate_token(self, bucket: str, client: str, *, per_minute: float,
                        burst: float | None = None, now: float | None = None) -> float | None:
        """Take one of ``client``'s tokens of the limit ``bucket`` (``per_minute``, bursts up
        to ``burst``, by default a minute's worth), shared by every process on this database:
        None when allowed, else the seconds until a token is free. ``client``: an opaque key
        (the caller hashes the address), at most 64 characters."""
        if not bucket or len(bucket) > 16 or not client or len(client) > 64 or per_minute <= 0:
            raise InvalidInput(f"rate limit: bad bucket {bucket!r}, client or rate {per_minute!r}")
        sql = self._patient
        with sql.transaction(durable=False) as cursor:
            return sql.take_rate_token(
                cursor, bucket, client, rate=per_minute / 60.0,
                capacity=float(burst if burst is not None else per_minute),
                now=time.time() if now is None else now)

    def audit(
        self, actor: str, action: str, object_type: str, object_id: int | None = None
    ) -> None:
        """Record an access the store did not see itself (e.g. a page that showed a result)."""
        with self.transaction() as session:
            audit_log.record(session, actor, action, object_type, object_id)

    def audit_entries(self, *, limit: int = 1000) -> list[AuditRecord]:
        """The newest audit rows first."""
        with self.transaction() as session:
            return [AuditRecord.of(row) for row in audit_log.entries(session, limit=limit)]
