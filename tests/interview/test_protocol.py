"""The --jsonl line protocol over text streams: spec shapes, errors, back, end of input."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from popliteal.interview import Interview, InterviewConfig, Question, run_jsonl
from popliteal.interview.protocol import ProtocolError, check_reply
from popliteal.knowledge import KnowledgeBase

SPEC_KINDS = {"yes_no", "choice", "multi", "number"}


class Program:
    """The other end of the protocol: reads our lines, replies with ``reply(message)``.

    ``reply`` returns a line (str), or None for end of input.
    """

    def __init__(self, reply: Callable[[dict[str, Any]], str | None]):
        self.reply = reply
        self.received: list[dict[str, Any]] = []
        self.flushes = 0
        self._pending = ""

    # stdout side
    def write(self, text: str) -> int:
        self._pending += text
        while "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            self.received.append(json.loads(line))
        return len(text)

    def flush(self) -> None:
        self.flushes += 1

    # stdin side
    def readline(self) -> str:
        line = self.reply(self.received[-1])
        return "" if line is None else line + "\n"

    @property
    def questions(self) -> list[dict[str, Any]]:
        return [m for m in self.received if m["type"] == "question"]


def scripted(*lines: str | None):  # type: ignore[no-untyped-def]
    it = iter(lines)
    return lambda _msg: next(it, None)


def answer_all(value: Callable[[dict[str, Any]], Any]):  # type: ignore[no-untyped-def]
    return lambda msg: json.dumps({"id": msg["id"], "answer": value(msg)}) if (
        msg["type"] == "question") else None


def run(reply, config: InterviewConfig | None = None, age: int = 54):  # type: ignore[no-untyped-def]
    program = Program(reply)
    result = run_jsonl(Interview.start(age, "female", config=config), program, program)
    return program, result


def test_questions_and_result_have_the_spec_shape() -> None:
    program, result = run(answer_all(lambda q: "no" if q["kind"] == "yes_no" else "unknown"))
    qs = program.questions
    assert qs
    for q in qs:
        assert {"type", "id", "text", "kind", "options"} <= set(q)
        assert q["kind"] in SPEC_KINDS and "unknown" in q["options"]
        if q["kind"] == "number":
            assert q["min"] is not None and q["max"] is not None
        else:
            assert "min" not in q and "max" not in q
    final = program.received[-1]
    assert final["type"] == "result"
    assert final["questions_asked"] == len(qs)
    assert len(final["conditions"]) >= 5 and final["triage"]["level"]
    assert {k for k in result.model_dump(mode="json")} <= set(final)
    assert program.flushes >= len(program.received)


def test_the_same_answers_give_the_same_lines() -> None:
    a, _ = run(answer_all(lambda q: "yes" if q["id"] in ("pain_calf",) else "unknown"))
    b, _ = run(answer_all(lambda q: "yes" if q["id"] in ("pain_calf",) else "unknown"))
    assert a.received == b.received


@pytest.mark.parametrize("bad", [
    "this is not json",
    "[1, 2]",
    '{"answer": "yes"}',
    '{"id": "fever_of_the_moon", "answer": "yes"}',
    '{"id": "FIRST", "answer": "perhaps"}',
    '{"id": "FIRST", "answer": null}',
    '{"type": "back"}',
])
def test_a_malformed_line_gets_an_error_and_the_same_question(bad: str) -> None:
    first = Interview.start(54, "female").next_question()
    assert first is not None
    program, _ = run(scripted(bad.replace("FIRST", first.id)))
    kinds = [m["type"] for m in program.received]
    assert kinds == ["question", "error", "question", "result"]
    assert program.received[0] == program.received[2]
    assert program.received[1]["message"]
    assert program.received[-1]["questions_asked"] == 0


def test_wrong_id_names_the_question_expected() -> None:
    first = Interview.start(54, "female").next_question()
    assert first is not None
    program, _ = run(scripted('{"id": "fever", "answer": "no"}'))
    if first.id != "fever":
        assert first.id in program.received[1]["message"]


def _until(kind: str):  # type: ignore[no-untyped-def]
    """Answer "no"/"unknown" until a question of ``kind`` comes, then hand over."""
    state: dict[str, Any] = {"replies": None}

    def reply(msg: dict[str, Any]) -> str | None:
        if msg["type"] == "question" and msg["kind"] == kind:
            if state["replies"] is None:
                state["replies"] = iter(state["script"](msg))
            return next(state["replies"], None)
        if state["replies"] is not None:
            return next(state["replies"], None)
        return json.dumps({"id": msg["id"], "answer": "no" if msg["kind"] == "yes_no"
                           else "unknown"})

    return state, reply


def test_number_out_of_range_and_not_a_number_are_errors() -> None:
    state, reply = _until("number")
    state["script"] = lambda q: [json.dumps({"id": q["id"], "answer": q["max"] + 1}),
                                 json.dumps({"id": q["id"], "answer": "lots"}),
                                 json.dumps({"id": q["id"], "answer": True}),
                                 json.dumps({"id": q["id"], "answer": q["min"]})]
    program, _ = run(reply, config=InterviewConfig(max_questions=40))
    numbers = [i for i, m in enumerate(program.received)
               if m["type"] == "question" and m["kind"] == "number"]
    assert numbers, "no number question was asked"
    i = numbers[0]
    got = program.received[i:i + 8]
    assert [m["type"] for m in got[:7]] == ["question", "error", "question", "error",
                                           "question", "error", "question"]
    assert all(m == got[0] for m in got[0:7:2])
    assert "from" in got[1]["message"]  # "expected a number from 0 to ..."
    assert got[7]["type"] in ("question", "result") and got[7].get("id") != got[0]["id"]


def test_unknown_is_a_valid_answer_to_a_number() -> None:
    state, reply = _until("number")
    state["script"] = lambda q: [json.dumps({"id": q["id"], "answer": "unknown"})]
    program, _ = run(reply, config=InterviewConfig(max_questions=40))
    assert not [m for m in program.received if m["type"] == "error"]


def test_back_undoes_and_asks_the_previous_question_again() -> None:
    program, result = run(scripted(None))
    first = program.questions[0]
    program, _ = run(scripted(json.dumps({"id": first["id"], "answer": "yes"}),
                              '{"type": "back"}'))
    qs = program.questions
    assert qs[0]["id"] == first["id"] and qs[2]["id"] == first["id"]
    assert qs[2]["asked"] == 0
    assert program.received[-1]["questions_asked"] == 0


def test_an_earlier_answer_can_be_changed() -> None:
    first = Interview.start(54, "female").next_question()
    assert first is not None
    program, result = run(scripted(json.dumps({"id": first.id, "answer": "yes"}),
                                   json.dumps({"id": first.id, "answer": "no"})))
    assert [m["type"] for m in program.received] == ["question", "question", "question",
                                                     "result"]
    assert program.received[-1]["questions_asked"] == 1
    f = next(f for f in result.findings if f.id == first.id)
    assert f.present is False


def test_end_of_input_gives_the_result_so_far() -> None:
    first = Interview.start(54, "female").next_question()
    assert first is not None
    program, result = run(scripted(json.dumps({"id": first.id, "answer": "yes"})))
    final = program.received[-1]
    assert final["type"] == "result" and final["questions_asked"] == 1
    assert final["stop_reason"] == "end_of_input"
    assert any(f["id"] == first.id and f["present"] for f in final["findings"])


def test_blank_lines_are_ignored() -> None:
    first = Interview.start(54, "female").next_question()
    assert first is not None
    program, _ = run(scripted("", "   ", json.dumps({"id": first.id, "answer": "no"})))
    assert not [m for m in program.received if m["type"] == "error"]
    assert program.received[-1]["questions_asked"] == 1


def test_the_question_limit_ends_with_the_result() -> None:
    program, _ = run(answer_all(lambda q: "unknown"), config=InterviewConfig(max_questions=3))
    assert len(program.questions) == 3
    assert program.received[-1]["stop_reason"] == "max_questions"


def test_over_real_text_streams() -> None:
    stdin = io.StringIO("not json\n")
    stdout = io.StringIO()
    run_jsonl(Interview.start(30, "male"), stdin, stdout)
    lines = [json.loads(x) for x in stdout.getvalue().splitlines()]
    assert [m["type"] for m in lines] == ["question", "error", "question", "result"]


def test_multi_answers_are_checked(multi_kb: KnowledgeBase) -> None:
    iv = Interview.start(50, "female", kb=multi_kb)
    q = Question(id="joints_hurting", text="Which other joints hurt?", kind="multi",
                 options=["hands", "hips", "unknown"], group="joints", asked=0,
                 max_questions=20)
    assert check_reply(iv, q, '{"id": "joints_hurting", "answer": ["hips"]}').state.answers
    assert check_reply(iv, q, '{"id": "joints_hurting", "answer": "unknown"}').state.answers
    with pytest.raises(ProtocolError):
        check_reply(iv, q, '{"id": "joints_hurting", "answer": ["elbows"]}')
