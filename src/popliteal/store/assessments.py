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

from sqlalchemy import Connection, Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from popliteal.results import AssessmentResult
from popliteal.store.errors import AnswerConflict, ConsentRequired, InvalidInput, NotFound
from popliteal.store.models import Answer, Assessment, utcnow
from popliteal.store.records import AnswerRecord
from popliteal.store.tokens import hash_token, hashes_match, new_token, plausible_token

# The patient's per-request statements are in :mod:`popliteal.store.driver`; the log is also
# read here, for clinicians and tests, as a plain statement built once.
ANSWERS = cast(Table, Answer.__table__)
_ANSWER_LOG = (
    select(ANSWERS.c.assessment_id, ANSWERS.c.seq, ANSWERS.c.finding_id, ANSWERS.c.answer,
           ANSWERS.c.created_at)
    .where(ANSWERS.c.assessment_id == bindparam("assessment_id"))
    .order_by(ANSWERS.c.seq)
)
SEXES = ("female", "male")
MAX_TEXT_LENGTH = 20_000
MAX_FINDING_ID_LENGTH = 100


def check_new(*, consent: bool, age: int, sex: str, text: str) -> None:
    """Refuse a new assessment without consent or with impossible values (nothing stored)."""
    if consent is not True:
        raise ConsentRequired("the patient must consent before anything is stored")
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130:
        raise InvalidInput("age must be an integer from 0 to 130")
    if sex not in SEXES:
        raise InvalidInput("sex must be 'female' or 'male'")
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(f"text must be a string of at most {MAX_TEXT_LENGTH} characters")


def check_finding_id(finding_id: object) -> None:
    if not isinstance(finding_id, str) or not 0 < len(finding_id) <= MAX_FINDING_ID_LENGTH:
        raise InvalidInput(f"finding_id must be 1 to {MAX_FINDING_ID_LENGTH} characters")


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
    check_new(consent=consent, age=age, sex=sex, text=text)
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
    return row if row is not None and opens(row.token_hash, row.expires_at, token, now) else None


def opens(token_hash: str, expires_at: datetime, token: str, now: datetime | None = None
          ) -> bool:
    """Whether a row found by ``token``'s hash may be opened: the hash really matches
    (constant time) and the retention period has not passed (treated as gone even before
    the purge runs)."""
    return hashes_match(token_hash, token) and expires_at > (now or utcnow())


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
    check_finding_id(finding_id)
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


def result_columns(result: AssessmentResult | Mapping[str, Any], *, dump: bool = True
                   ) -> dict[str, Any]:
    """The stored result and the two values copied out of it for clinicians' filters.

    ``dump=False``: a caller storing the result as JSON text of its own (see
    :meth:`Store.set_result`) needs only the two values, which a model gives without being
    dumped (``"result"`` is then None).
    """
    if isinstance(result, AssessmentResult):
        return {
            "result": result.model_dump(mode="json") if dump else None,
            "triage_level": result.triage.level.value,
            "top_condition": result.conditions[0].id if result.conditions else None,
        }
    data = dict(result)
    triage = data.get("triage")
    conditions = data.get("conditions")
    top = conditions[0] if isinstance(conditions, list) and conditions else None
    return {
        "result": data,
        "triage_level": triage.get("level") if isinstance(triage, Mapping) else None,
        "top_condition": top.get("id") if isinstance(top, Mapping) else None,
    }


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
