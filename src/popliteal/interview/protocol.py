"""The ``popliteal interview --jsonl`` line protocol, as a function over text streams.

Why a function and not code in the CLI: programs (the web app's tests, outside tools) drive
the interview through this protocol, so it must be testable without a subprocess, and the
CLI only wires it to stdin/stdout.

The protocol (fixed in ``shared/spec/interfaces.md``; extensions marked):

* out ``{"type": "question", "id", "text", "kind", "options", ...}``: ``options`` always
  holds ``"unknown"``; ``min``/``max`` are given for ``number``. Extra fields: ``option_labels``,
  ``unit``, ``help``, ``group``, ``red_flag``, ``required``, ``asked``, ``max_questions``.
* in ``{"id": ..., "answer": ...}``: the answer to the question just asked.
* in ``{"id": X, "answer": Y}`` where X is a question *answered earlier* (extension):
  changes that earlier answer; the next question is then chosen afresh (it may differ).
  Any other id (never asked, or not the current question) is an error: a program that
  answers the wrong question is told so rather than silently accepted.
* in ``{"type": "back"}`` (extension): undoes the last answer and asks that question again.
* a malformed line (not JSON, not an object, wrong id, unknown option, number out of range,
  ``back`` with nothing to undo) gets ``{"type": "error", "message": "..."}`` and the SAME
  question again. Blank lines are ignored.
* end of input, or the stop rule: ``{"type": "result", "questions_asked": N, "stop_reason",
  ...the same fields as assess --json...}``.

Every line is flushed as soon as it is written, so a program can read a question before it
writes the answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from popliteal.engine import AnswerError
from popliteal.interview.session import Interview, Question
from popliteal.knowledge import FindingKind, UnknownFindingError
from popliteal.results import AssessmentResult

__all__ = ["ProtocolError", "check_reply", "question_line", "result_line", "run_jsonl"]


class ProtocolError(ValueError):
    """A line the protocol cannot accept; its message goes back to the program."""


def question_line(question: Question) -> dict[str, Any]:
    """The question as sent: ``min``/``max`` only for numbers, no empty optional fields."""
    data = question.model_dump(mode="json", exclude_none=True)
    if question.kind != "number":
        data.pop("min", None)
        data.pop("max", None)
    return data


def result_line(interview: Interview, result: AssessmentResult,
                stop_reason: str) -> dict[str, Any]:
    return {"type": "result", "questions_asked": interview.questions_asked,
            "stop_reason": stop_reason, **result.model_dump(mode="json")}


def check_reply(interview: Interview, question: Question, line: str) -> Interview:
    """Apply one input line to ``interview`` and return the new interview.

    Raises:
        ProtocolError: the line is malformed; the interview is unchanged.
    """
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"not valid JSON ({exc.msg} at column {exc.colno}); send "
                            f'{{"id": "{question.id}", "answer": ...}}') from None
    if not isinstance(data, dict):
        raise ProtocolError(f'expected a JSON object such as {{"id": "{question.id}", '
                            f'"answer": "unknown"}}')
    if data.get("type") == "back":
        if not interview.state.answers:
            raise ProtocolError("nothing to go back to: no question has been answered yet")
        return interview.back()
    if "id" not in data or "answer" not in data:
        raise ProtocolError(f'expected {{"id": "{question.id}", "answer": ...}}; missing '
                            + " and ".join(repr(k) for k in ("id", "answer") if k not in data))
    fid, value = data["id"], data["answer"]
    earlier = {a.id for a in interview.state.answers}
    if fid != question.id and fid not in earlier:
        raise ProtocolError(f"expected an answer to {question.id!r}, got {fid!r} (only the "
                            "current question or one answered earlier can be answered)")
    finding = interview.kb.findings[fid] if fid in interview.kb.findings else None
    if finding is not None and finding.kind is FindingKind.number and isinstance(value, bool):
        raise ProtocolError(f"answer for {fid!r}: expected a number or \"unknown\", got "
                            f"{json.dumps(value)}")
    try:
        return interview.answer(fid, value)
    except (AnswerError, UnknownFindingError) as exc:
        raise ProtocolError(str(exc)) from None


def run_jsonl(interview: Interview, stdin: TextIO, stdout: TextIO,
              on_change: Callable[[Interview], None] | None = None) -> AssessmentResult:
    """Run the interview as the line protocol; return the final assessment.

    ``on_change`` is called with the interview after every accepted line (the CLI's
    ``--save`` uses it so that an interrupted interview can be resumed).
    """

    def send(obj: dict[str, Any]) -> None:
        stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        stdout.flush()

    stop_reason = "end_of_input"
    question = interview.next_question()
    while question is not None:
        send(question_line(question))
        line = stdin.readline()
        while line and not line.strip():
            line = stdin.readline()
        if not line:
            break
        try:
            interview = check_reply(interview, question, line)
        except ProtocolError as exc:
            send({"type": "error", "message": str(exc), "id": question.id})
            continue
        if on_change is not None:
            on_change(interview)
        question = interview.next_question()
    else:
        stop_reason = stop_reason_of(interview)
    result = interview.result()
    send(result_line(interview, result, stop_reason))
    return result


def stop_reason_of(interview: Interview) -> str:
    """Why a finished interview stopped: the limit, or the stop rule (confident, triage settled)."""
    if interview.questions_asked >= interview.state.config.max_questions:
        return "max_questions"
    return "stop_rule"
