"""Shared helpers for the interview tests: play an interview with a scripted patient."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from popliteal.interview import Interview, InterviewConfig, Question

Patient = Callable[[Question], Any]


def says_yes_to(*ids: str, default: str = "no") -> Patient:
    """A patient who says yes to ``ids``, ``default`` to other yes/no, "unknown" otherwise."""
    yes = set(ids)

    def answer(q: Question) -> Any:
        if q.id in yes:
            return "yes"
        return default if q.kind == "yes_no" else "unknown"

    return answer


def play(patient: Patient, age: int = 50, sex: str = "female",
         config: InterviewConfig | None = None, start: Interview | None = None,
         ) -> tuple[Interview, list[str]]:
    """Run to the end; return the finished interview and the question ids in order."""
    iv = start or Interview.start(age, sex, config=config)
    asked: list[str] = []
    while (q := iv.next_question()) is not None:
        asked.append(q.id)
        iv = iv.answer(q.id, patient(q))
    return iv, asked
