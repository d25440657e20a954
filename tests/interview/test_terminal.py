"""The terminal interview's loop, with a scripted asker instead of questionary."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from popliteal.interview import BACK, Interview, InterviewConfig, Question, run_terminal
from popliteal.interview.terminal import QUIT, _check_number, progress


def console() -> Console:
    return Console(record=True, width=100, force_terminal=False)


def test_progress_back_and_result() -> None:
    seen: list[tuple[str, Any, bool]] = []
    script = iter(["yes", BACK, "no"])

    def ask(q: Question, previous: Any, can_go_back: bool) -> Any:
        seen.append((q.id, previous, can_go_back))
        return next(script, "unknown" if q.kind != "yes_no" else "no")

    c = console()
    iv, result = run_terminal(Interview.start(50, "female",
                                              config=InterviewConfig(max_questions=5)), c, ask)
    first = seen[0][0]
    assert seen[0] == (first, None, False)
    assert seen[2] == (first, True, False)  # back: the same question, the earlier answer shown
    assert iv.questions_asked == 5 and result.conditions
    assert next(a.answer for a in iv.state.answers if a.id == first) is False
    text = c.export_text()
    assert "Question 1 of at most 5" in text and "Question 5 of at most 5" in text


def test_quit_ends_with_the_result_so_far() -> None:
    script = iter(["no", QUIT])
    iv, result = run_terminal(Interview.start(30, "male"), console(),
                              lambda q, p, b: next(script))
    assert iv.questions_asked == 1 and result.triage.level


def test_a_refused_answer_is_asked_again() -> None:
    asked: list[str] = []
    script = iter(["perhaps", "no", QUIT])

    def ask(q: Question, previous: Any, can_go_back: bool) -> Any:
        asked.append(q.id)
        return next(script)

    c = console()
    run_terminal(Interview.start(30, "male"), c, ask)
    assert asked[0] == asked[1] != asked[2]
    assert "expected yes, no or unknown" in c.export_text()


def test_progress_text_and_number_validation() -> None:
    q = Question(id="x", text="?", kind="yes_no", options=["yes", "no", "unknown"], group="g",
                 asked=3, max_questions=20)
    assert progress(q).startswith("Question 4 of at most 20")
    assert _check_number("5", 0, 10) is True and _check_number("?", 0, 10) is True
    assert isinstance(_check_number("11", 0, 10), str)
    assert isinstance(_check_number("many", 0, 10), str)
