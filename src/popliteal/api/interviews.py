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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from popliteal.api.errors import ApiError
from popliteal.api.schemas import AnswerOut, AssessmentIn, AssessmentState
from popliteal.engine import parse_answer
from popliteal.interview import Interview, InterviewState
from popliteal.knowledge import KnowledgeBase, get_knowledge_base
from popliteal.results import AssessmentResult
from popliteal.store import AnswerRecord, AssessmentRecord, ConsentRequired, Store

BACK = "_back"  # not a finding id: those start with a letter
NOT_FOUND = "No assessment for this link. It may have been deleted or passed its retention period."


@dataclass(frozen=True)
class Loaded:
    record: AssessmentRecord
    answers: list[AnswerRecord]
    interview: Interview

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


def view(interview: Interview, record: AssessmentRecord) -> dict[str, Any]:
    """The fields of :class:`AssessmentState` for ``interview``."""
    question = interview.next_question()
    return {
        "status": "in_progress" if question is not None else "finished",
        "questions_asked": interview.questions_asked,
        "max_questions": interview.state.config.max_questions,
        "next_question": question,
        "answers": [AnswerOut(id=a.id, answer=a.answer) for a in interview.state.answers],
        "expires_at": record.expires_at,
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
    return view(interview, record), token


def load(store: Store, token: str, *, audit: bool) -> Loaded:
    """The assessment ``token`` opens, rebuilt; 404 for any token that opens nothing."""
    opened = store.open_assessment(token, record_access=audit)
    if opened is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    record, answers = opened
    return Loaded(record, answers, rebuild(record.state, answers, get_knowledge_base()))


def state(store: Store, token: str) -> AssessmentState:
    loaded = load(store, token, audit=True)
    return AssessmentState(**view(loaded.interview, loaded.record))


def _append(store: Store, token: str, finding_id: str, value: Any, expected_seq: int | None,
            limit: int) -> tuple[int, dict[str, Any]]:
    """Store one log row durably, then build the interview once, from the log with that row.

    The answer is checked against the catalogue before the database is touched; the log's
    own checks (its length, something to undo) run inside the one write transaction. The
    interview is built after the write, not before: one build per request.
    """
    kb = get_knowledge_base()
    canonical: Any = "back" if finding_id == BACK else parse_answer(kb, finding_id, value)

    def check(rows: list[AnswerRecord]) -> None:
        if len(rows) >= limit:
            raise ApiError(409, "too_many_answers",
                           f"This assessment already has {limit} recorded answers; please look "
                           "at the result or start again.")
        if finding_id == BACK and not effective_answers(rows):
            raise ApiError(409, "nothing_to_undo", "There is no earlier answer to go back to.")

    appended = store.append_answer_by_token(token, finding_id, canonical,
                                            expected_seq=expected_seq, check=check)
    if appended is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    record, rows = appended
    return rows[-1].seq, view(rebuild(record.state, rows, kb), record)


def answer(store: Store, token: str, finding_id: str, value: Any, expected_seq: int | None,
           *, limit: int) -> tuple[int, dict[str, Any]]:
    """Validate, store durably, then derive the next question. Returns (seq, state fields)."""
    return _append(store, token, finding_id, value, expected_seq, limit)


def back(store: Store, token: str, expected_seq: int | None, *, limit: int
         ) -> tuple[int, dict[str, Any]]:
    """Undo the last effective answer by appending the ``_back`` marker."""
    return _append(store, token, BACK, None, expected_seq, limit)


def result(store: Store, loaded: Loaded) -> dict[str, Any]:
    """The result for the answers so far; cached in the database until the next answer."""
    cached = loaded.record.result
    if isinstance(cached, dict) and cached.get("answers_seq") == loaded.last_seq:
        return {k: v for k, v in cached.items() if k != "answers_seq"}
    interview = loaded.interview
    data = interview.result().model_dump(mode="json")
    data["questions_asked"] = interview.questions_asked
    data["finished"] = interview.next_question() is None
    store.set_result(loaded.record.id, {**data, "answers_seq": loaded.last_seq})
    return data


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
