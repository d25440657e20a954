"""Assessments and their answers, as functions on a caller's :class:`Session`.

These functions flush but never commit: the caller owns the transaction (the
:class:`~popliteal.store.Store` facade commits once per call). ``append_answer`` is written so
two server processes can append to the same interview at once: the assessment row is locked
by an UPDATE before the next seq is read (a row lock on PostgreSQL, the write lock on
SQLite), and the primary key ``(assessment_id, seq)`` turns any race that remains into an
IntegrityError the facade retries, never into two answers with one seq.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Row, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from popliteal.results import AssessmentResult
from popliteal.store.errors import AnswerConflict, ConsentRequired, InvalidInput, NotFound
from popliteal.store.models import Answer, Assessment, utcnow
from popliteal.store.records import AnswerRecord, AssessmentRecord
from popliteal.store.tokens import hash_token, hashes_match, new_token, plausible_token

# The patient's hot path uses plain statements on the tables, built once here: building a
# statement and its cache key on every request costs as much as running it.
ANSWERS = cast(Table, Answer.__table__)
ASSESSMENTS = cast(Table, Assessment.__table__)
_BY_TOKEN_HASH = select(ASSESSMENTS).where(ASSESSMENTS.c.token_hash == bindparam("token_hash"))
_BY_TOKEN_HASH_LOCKED = _BY_TOKEN_HASH.with_for_update()
_ANSWER_LOG = (
    select(ANSWERS.c.assessment_id, ANSWERS.c.seq, ANSWERS.c.finding_id, ANSWERS.c.answer,
           ANSWERS.c.created_at)
    .where(ANSWERS.c.assessment_id == bindparam("assessment_id"))
    .order_by(ANSWERS.c.seq)
)
_INSERT_ANSWER = insert(ANSWERS)
_SET_RESULT = (update(ASSESSMENTS).where(ASSESSMENTS.c.id == bindparam("assessment_id"))
               .values(result=bindparam("result"), triage_level=bindparam("triage_level"),
                       top_condition=bindparam("top_condition")))
_TOUCH = (update(ASSESSMENTS).where(ASSESSMENTS.c.id == bindparam("assessment_id"))
          .values(updated_at=bindparam("now")))
SEXES = ("female", "male")
MAX_TEXT_LENGTH = 20_000
MAX_FINDING_ID_LENGTH = 100


def create_assessment(
    session: Session,
    *,
    consent: bool,
    age: int,
    sex: str,
    text: str,
    state: Any,
    retention: timedelta,
    now: datetime | None = None,
) -> tuple[Assessment, str]:
    """Store a new assessment; return it and its plain token (shown to the patient once)."""
    if consent is not True:
        raise ConsentRequired("the patient must consent before anything is stored")
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130:
        raise InvalidInput("age must be an integer from 0 to 130")
    if sex not in SEXES:
        raise InvalidInput("sex must be 'female' or 'male'")
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(f"text must be a string of at most {MAX_TEXT_LENGTH} characters")
    now = now or utcnow()
    token = new_token()
    row = Assessment(
        token_hash=hash_token(token),
        created_at=now,
        updated_at=now,
        expires_at=now + retention,
        consent_given_at=now,
        age=age,
        sex=sex,
        text=text,
        state=state,
    )
    session.add(row)
    session.flush()
    return row, token


def by_token(session: Session, token: str, *, now: datetime | None = None) -> Assessment | None:
    """The assessment ``token`` opens, or None (unknown, malformed, deleted or expired)."""
    if not plausible_token(token):
        return None
    row = session.scalars(
        select(Assessment).where(Assessment.token_hash == hash_token(token))
    ).one_or_none()
    return row if _opens(row, token, now) else None


def _opens(row: Assessment | Row[Any] | None, token: str, now: datetime | None) -> bool:
    """Whether the row found by ``token``'s hash may be opened: the hash really matches
    (constant time) and the retention period has not passed (treated as gone even before
    the purge runs)."""
    return (row is not None and hashes_match(row.token_hash, token)
            and row.expires_at > (now or utcnow()))


def by_id(session: Session, assessment_id: int, *, lock: bool = False) -> Assessment:
    """The assessment with internal ``assessment_id``; NotFound otherwise."""
    statement = select(Assessment).where(Assessment.id == assessment_id)
    if lock:
        statement = statement.with_for_update()
    row = session.scalars(statement).one_or_none()
    if row is None:
        raise NotFound(f"assessment {assessment_id} not found")
    return row


def append_answer(
    session: Session,
    assessment_id: int,
    finding_id: str,
    answer: Any,
    *,
    expected_seq: int | None = None,
    now: datetime | None = None,
) -> int:
    """Add the next answer and return its ``seq`` (1, 2, ...); the caller must commit."""
    if not isinstance(finding_id, str) or not 0 < len(finding_id) <= MAX_FINDING_ID_LENGTH:
        raise InvalidInput(f"finding_id must be 1 to {MAX_FINDING_ID_LENGTH} characters")
    now = now or utcnow()
    # Write first: the UPDATE takes the row lock on PostgreSQL and the database write lock on
    # SQLite, so the max(seq) read below already sees every answer committed before ours.
    touched = session.execute(
        update(Assessment).where(Assessment.id == assessment_id).values(updated_at=now),
        execution_options={"synchronize_session": False},
    )
    if not getattr(touched, "rowcount", 0):
        raise NotFound(f"assessment {assessment_id} not found")
    last = session.scalar(select(func.max(Answer.seq)).where(Answer.assessment_id == assessment_id))
    seq = (last or 0) + 1
    if expected_seq is not None and expected_seq != seq:
        raise AnswerConflict(expected_seq, seq)
    session.add(
        Answer(
            assessment_id=assessment_id,
            seq=seq,
            finding_id=finding_id,
            answer=answer,
            created_at=now,
        )
    )
    session.flush()
    return seq


def record_by_token(
    connection: Connection, token: str, *, now: datetime | None = None, lock: bool = False
) -> AssessmentRecord | None:
    """As :func:`by_token`, on a bare connection, returning a record (no ORM object).

    For the patient's hot path, where a Session's unit of work costs more than the queries.
    """
    if not plausible_token(token):
        return None
    statement = _BY_TOKEN_HASH_LOCKED if lock else _BY_TOKEN_HASH
    row = connection.execute(statement, {"token_hash": hash_token(token)}).one_or_none()
    if row is None or not _opens(row, token, now):
        return None
    return AssessmentRecord.of(row)  # type: ignore[arg-type]  # a Row has the same attributes


def append_next(
    connection: Connection | Session,
    assessment_id: int,
    last_seq: int,
    finding_id: str,
    answer: Any,
    *,
    expected_seq: int | None = None,
    now: datetime | None = None,
) -> AnswerRecord:
    """Add the answer after ``last_seq``, read by the caller in this transaction.

    For callers that already hold the log (and, on PostgreSQL, the row lock from
    ``record_by_token(lock=True)``): no second read of ``max(seq)``. If another process still
    took ``last_seq + 1`` (SQLite, between our read and our write), the primary key raises
    IntegrityError and the caller reads again.
    """
    if not isinstance(finding_id, str) or not 0 < len(finding_id) <= MAX_FINDING_ID_LENGTH:
        raise InvalidInput(f"finding_id must be 1 to {MAX_FINDING_ID_LENGTH} characters")
    seq = last_seq + 1
    if expected_seq is not None and expected_seq != seq:
        raise AnswerConflict(expected_seq, seq)
    now = now or utcnow()
    connection.execute(_INSERT_ANSWER, {"assessment_id": assessment_id, "seq": seq,
                                        "finding_id": finding_id, "answer": answer,
                                        "created_at": now})
    connection.execute(_TOUCH, {"assessment_id": assessment_id, "now": now})
    return AnswerRecord(assessment_id, seq, finding_id, answer, now)


def answers(session: Session, assessment_id: int) -> list[Answer]:
    """Every answer of an assessment in the order given."""
    statement = select(Answer).where(Answer.assessment_id == assessment_id).order_by(Answer.seq)
    return list(session.scalars(statement))


def answer_log(session: Session | Connection, assessment_id: int) -> list[AnswerRecord]:
    """Every answer of an assessment in order, as records, read without ORM objects.

    The patient's every request reads the whole log; plain rows cost a fraction of
    identity-mapped instances, and nothing here is changed through them.
    """
    return [AnswerRecord(*row)
            for row in session.execute(_ANSWER_LOG, {"assessment_id": assessment_id})]


def update_state(session: Session, assessment_id: int, state: Any) -> Assessment:
    """Replace the serialised interview state (last writer wins; answers are the truth)."""
    row = by_id(session, assessment_id, lock=True)
    row.state = state
    session.flush()
    return row


def set_result(
    session: Session | Connection,
    assessment_id: int,
    result: AssessmentResult | Mapping[str, Any],
) -> None:
    """Store the result and copy its triage level and top condition for clinicians' filters.

    One plain UPDATE (no row loaded first): results are written on every result request
    after a new answer. NotFound when no such assessment exists.
    """
    data = result.model_dump(mode="json") if isinstance(result, AssessmentResult) else dict(result)
    triage = data.get("triage")
    conditions = data.get("conditions")
    top = conditions[0] if isinstance(conditions, list) and conditions else None
    done = session.execute(_SET_RESULT, {
        "assessment_id": assessment_id,
        "result": data,
        "triage_level": triage.get("level") if isinstance(triage, Mapping) else None,
        "top_condition": top.get("id") if isinstance(top, Mapping) else None,
    })
    if not getattr(done, "rowcount", 0):
        raise NotFound(f"assessment {assessment_id} not found")


def list_for_clinicians(
    session: Session,
    *,
    triage_levels: Sequence[str] | None = None,
    handled: bool | None = None,
    since: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Assessment]:
    """Assessments newest first, filtered by triage level(s), handled or not, and date."""
    statement = select(Assessment)
    if triage_levels:
        statement = statement.where(Assessment.triage_level.in_(list(triage_levels)))
    if handled is True:
        statement = statement.where(Assessment.handled_at.is_not(None))
    elif handled is False:
        statement = statement.where(Assessment.handled_at.is_(None))
    if since is not None:
        statement = statement.where(Assessment.created_at >= since)
    statement = statement.order_by(Assessment.created_at.desc(), Assessment.id.desc())
    return list(session.scalars(statement.limit(max(0, limit)).offset(max(0, offset))))
