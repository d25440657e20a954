"""A patient's interview over HTTP: rebuilt from the database on every request.

Why rebuild each time: a request may land on any server process, and a process may be killed
between two answers. The answers table is the truth (an answer is acknowledged only after its
row commits); the stored state holds what cannot be derived (age, sex, text, settings). From
these, :class:`~popliteal.interview.Interview` derives the next question and the result, so
any process gives the same question for the same answers.

The answer log is append-only. Changing an earlier answer appends that finding again (the
latest wins, and moves to the end, as :meth:`Interview.answer` does); going back appends a
``_back`` marker that undoes the last effective answer (as :meth:`Interview.back`). Nothing
acknowledged is ever rewritten, which keeps crash recovery trivial.

Rebuilding is still not done on every request: each process keeps the interviews it built
lately (:class:`InterviewCache`), with the seq of the last answer they include and their
next question. An answer to a cached interview is written as the next seq without reading
the log; the database's primary key proves that no other process answered meanwhile, and
if one did, the request reads the log and rebuilds as before. So a cached interview is only
ever used when it is exactly what the log would give (tests compare the two).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from popliteal.api.errors import ApiError
from popliteal.api.schemas import AnswerOut, AssessmentIn, AssessmentState
from popliteal.engine import parse_answer
from popliteal.interview import Interview, InterviewState, Question
from popliteal.knowledge import KnowledgeBase, get_knowledge_base
from popliteal.results import AssessmentResult
from popliteal.store import AnswerRecord, AssessmentRecord, ConsentRequired, Store, hash_token

BACK = "_back"  # not a finding id: those start with a letter
NOT_FOUND = "No assessment for this link. It may have been deleted or passed its retention period."


@dataclass(frozen=True, slots=True)
class Built:
    """An interview built from the log up to ``seq``, with its next question (None: done)."""

    seq: int
    interview: Interview
    question: Question | None

    @classmethod
    def of(cls, seq: int, interview: Interview) -> Built:
        return cls(seq, interview, interview.next_question())


class InterviewCache:
    """The interviews this process built lately, by token hash (never the token itself).

    Entries are immutable (an :class:`Interview` is a value), so threads share them freely;
    a newer seq replaces an older one, never the reverse. Bounded: the least recently used
    entry goes first (an interview a patient has left is rebuilt if they come back).
    """

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._entries: OrderedDict[str, Built] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Built | None:
        with self._lock:
            built = self._entries.get(key)
            if built is not None:
                self._entries.move_to_end(key)
            return built

    def put(self, key: str, built: Built) -> None:
        with self._lock:
            known = self._entries.get(key)
            if known is not None and known.seq > built.seq:
                return  # a later answer of the same interview got here first
            self._entries[key] = built
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def drop(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)


CACHE = InterviewCache()


@dataclass(frozen=True)
class Loaded:
    record: AssessmentRecord
    answers: list[AnswerRecord]
    built: Built

    @property
    def interview(self) -> Interview:
        return self.built.interview

    @property
    def last_seq(self) -> int:
        return self.answers[-1].seq if self.answers else 0


def effective_answers(rows: Sequence[AnswerRecord]) -> list[dict[str, Any]]:
    """Replay the answer log: later answers replace earlier ones; ``_back`` undoes the last."""
    out: list[dict[str, Any]] = []
    for row in rows:
        if row.finding_id == BACK:
            out = out[:-1]
        else:
            out = [a for a in out if a["id"] != row.finding_id]
            out.append({"id": row.finding_id, "answer": row.answer})
    return out


def rebuild(state: Any, rows: Sequence[AnswerRecord], kb: KnowledgeBase) -> Interview:
    base = dict(state) if isinstance(state, dict) else {}
    base["answers"] = effective_answers(rows)
    return Interview(InterviewState.model_validate(base), kb)


def view(built: Built, expires_at: datetime) -> dict[str, Any]:
    """The fields of :class:`AssessmentState` for ``built``."""
    interview = built.interview
    return {
        "status": "in_progress" if built.question is not None else "finished",
        "questions_asked": interview.questions_asked,
        "max_questions": interview.state.config.max_questions,
        "next_question": built.question,
        "answers": [AnswerOut(id=a.id, answer=a.answer) for a in interview.state.answers],
        "expires_at": expires_at,
    }


def start(store: Store, body: AssessmentIn) -> tuple[dict[str, Any], str]:
    """Check consent first (nothing is built or stored without it), then store the interview."""
    if body.consent is not True:
        raise ConsentRequired("Please agree to your answers being stored before we start: "
                              "without consent nothing is kept.")
    from popliteal.language import LanguageInputError

    try:
        interview = Interview.start(body.age, body.sex, body.text.strip() or None,
                                    kb=get_knowledge_base())
    except LanguageInputError as exc:
        raise ApiError(422, "validation_error", str(exc), field="text") from exc
    record, token = store.create_assessment(
        consent=True, age=body.age, sex=body.sex, text=body.text,
        state=interview.state.model_dump(mode="json"))
    built = Built.of(0, interview)
    CACHE.put(hash_token(token), built)
    return view(built, record.expires_at), token


def load(store: Store, token: str, *, audit: bool) -> Loaded:
    """The assessment ``token`` opens, rebuilt (or cached); 404 for any token that opens
    nothing."""
    opened = store.open_assessment(token, record_access=audit)
    key = hash_token(token)
    if opened is None:
        CACHE.drop(key)
        raise ApiError(404, "not_found", NOT_FOUND)
    record, answers = opened
    seq = answers[-1].seq if answers else 0
    built = CACHE.get(key)
    if built is None or built.seq != seq:
        built = Built.of(seq, rebuild(record.state, answers, get_knowledge_base()))
        CACHE.put(key, built)
    return Loaded(record, answers, built)


def state(store: Store, token: str) -> AssessmentState:
    loaded = load(store, token, audit=True)
    return AssessmentState(**view(loaded.built, loaded.record.expires_at))


def _append(store: Store, token: str, finding_id: str, value: Any, expected_seq: int | None,
            limit: int) -> tuple[int, dict[str, Any]]:
    """Store one log row durably, then build the interview once, with that row.

    The answer is checked against the catalogue before the database is touched; the log's
    own checks (its length, something to undo) run inside the one write transaction, or,
    for a cached interview, on it before (and again on the log if the cache was behind).
    """
    kb = get_knowledge_base()
    canonical: Any = "back" if finding_id == BACK else parse_answer(kb, finding_id, value)

    def check(rows: list[AnswerRecord]) -> None:
        # replaying the log only matters for going back
        refuse(len(rows), finding_id != BACK or bool(effective_answers(rows)))

    def refuse(logged: int, has_answers: bool) -> None:
        if logged >= limit:
            raise ApiError(409, "too_many_answers",
                           f"This assessment already has {limit} recorded answers; please look "
                           "at the result or start again.")
        if finding_id == BACK and not has_answers:
            raise ApiError(409, "nothing_to_undo", "There is no earlier answer to go back to.")

    key = hash_token(token)
    cached = CACHE.get(key)
    after: int | None = None
    if cached is not None:
        try:
            refuse(cached.seq, bool(cached.interview.state.answers))
            after = cached.seq
        except ApiError:
            pass  # let the log decide: the cache may be behind it
    appended = store.append_answer_by_token(token, finding_id, canonical,
                                            expected_seq=expected_seq, check=check,
                                            after_seq=after)
    if appended is None:
        CACHE.drop(key)
        raise ApiError(404, "not_found", NOT_FOUND)
    if appended.log is None and cached is not None:  # the log ended where the cache did
        interview = (cached.interview.back() if finding_id == BACK
                     else cached.interview.answer(finding_id, canonical))
    else:
        interview = rebuild(appended.state, appended.log or [], kb)
    built = Built.of(appended.seq, interview)
    CACHE.put(key, built)
    return appended.seq, view(built, appended.expires_at)


def answer(store: Store, token: str, finding_id: str, value: Any, expected_seq: int | None,
           *, limit: int) -> tuple[int, dict[str, Any]]:
    """Validate, store durably, then derive the next question. Returns (seq, state fields)."""
    return _append(store, token, finding_id, value, expected_seq, limit)


def back(store: Store, token: str, expected_seq: int | None, *, limit: int
         ) -> tuple[int, dict[str, Any]]:
    """Undo the last effective answer by appending the ``_back`` marker."""
    return _append(store, token, BACK, None, expected_seq, limit)


def result(store: Store, loaded: Loaded) -> dict[str, Any]:
    """The result for the answers so far, shown to the patient: the opening is audited here,
    with the result's cache in the database (kept until the next answer) in the same write.
    ``loaded`` comes from :func:`load` with ``audit=False``."""
    cached = _shown_from_cache(store, loaded)
    if cached is not None:
        return cached
    with _opened_even_if_it_fails(store, loaded):
        data = _computed_result(loaded)
    store.set_result(loaded.record.id, {**data, "answers_seq": loaded.last_seq}, opened=True)
    return data


def result_json(store: Store, loaded: Loaded) -> str:
    """:func:`result` as JSON text. A new result is encoded once, by pydantic's own (compiled)
    serialiser: the same text is the response and, with the seq it belongs to, the database's
    copy (it is ~40 kB; building a dict of it and encoding that with :mod:`json` cost a
    third of the request)."""
    cached = _shown_from_cache(store, loaded)
    if cached is not None:
        return _encode(cached)
    with _opened_even_if_it_fails(store, loaded):
        computed = loaded.interview.result()
        # the model's JSON object with the extra fields appended
        text = f"{computed.model_dump_json()[:-1]},{_encode(_extra_fields(loaded))[1:]}"
    store.set_result(loaded.record.id, computed,
                     encoded=f'{{"answers_seq":{loaded.last_seq},{text[1:]}', opened=True)
    return text


def _shown_from_cache(store: Store, loaded: Loaded) -> dict[str, Any] | None:
    """The cached result, its showing audited; None when it must be computed."""
    cached = _cached_result(loaded)
    if cached is not None:
        store.record_open(loaded.record.id)
    return cached


@contextmanager
def _opened_even_if_it_fails(store: Store, loaded: Loaded) -> Iterator[None]:
    """The record was read for this request: if the result cannot be computed, the opening
    is still audited (normally it is, with the result's cache, in one write)."""
    try:
        yield
    except Exception:
        store.record_open(loaded.record.id)
        raise


def _encode(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _cached_result(loaded: Loaded) -> dict[str, Any] | None:
    cached = loaded.record.result
    if isinstance(cached, dict) and cached.get("answers_seq") == loaded.last_seq:
        return {k: v for k, v in cached.items() if k != "answers_seq"}
    return None


def _computed_result(loaded: Loaded) -> dict[str, Any]:
    return {**loaded.interview.result().model_dump(mode="json"), **_extra_fields(loaded)}


def _extra_fields(loaded: Loaded) -> dict[str, Any]:
    """What :class:`ResultOut` adds to an :class:`AssessmentResult`."""
    return {"questions_asked": loaded.interview.questions_asked,
            "finished": loaded.built.question is None}


def delete(store: Store, token: str) -> bool:
    """Delete the assessment ``token`` opens, and this process's copy of its interview (the
    patient's words must not outlive the deletion in memory either). False if none."""
    CACHE.drop(hash_token(token))
    return store.delete_assessment_by_token(token)


def summary_markdown(result_data: dict[str, Any]) -> str:
    """The physiotherapist's one-page summary, with the care plan as the patient got it."""
    from popliteal.clinics import physio_summary_markdown

    core = {k: v for k, v in result_data.items() if k in AssessmentResult.model_fields}
    parsed = AssessmentResult.model_validate(core)
    plan_text = None
    if parsed.care_plan:
        try:
            from popliteal.care import CarePlan, render_plan_text

            plan_text = render_plan_text(CarePlan.model_validate(parsed.care_plan))
        except ImportError:  # the care package is optional
            plan_text = None
    return physio_summary_markdown(parsed, plan_text)
