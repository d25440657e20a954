"""The interview at a terminal: arrow-key choices, "Don't know" and "Go back" everywhere.

Why the asking is a parameter: the loop (progress, grouping headers, going back, refusing a
bad answer) is what needs testing, and it must not need a real terminal; ``questionary``
only draws one question and returns the choice. Tests pass a scripted asker instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console

from popliteal.engine import UNKNOWN, AnswerError
from popliteal.interview.session import Interview, Question
from popliteal.results import AssessmentResult

#: What an asker returns to go back one question.
BACK = "__back__"
#: What an asker returns when the person quits (Ctrl-C): the interview ends with the result
#: so far, as at the end of input in the line protocol.
QUIT = None

Asker = Callable[[Question, Any, bool], Any]
"""(question, previous answer or None, whether going back is possible) -> answer, BACK, QUIT."""


def progress(question: Question, width: int = 20) -> str:
    """ "Question 4 of at most 20" and a bar (the interview usually ends earlier)."""
    n, total = question.asked + 1, question.max_questions
    filled = round(width * question.asked / total) if total else width
    return f"Question {n} of at most {total}  [{'#' * filled}{'.' * (width - filled)}]"


def run_terminal(interview: Interview, console: Console, ask: Asker | None = None,
                 on_change: Callable[[Interview], None] | None = None,
                 ) -> tuple[Interview, AssessmentResult]:
    """Ask until the stop rule (or the person quits); return the interview and its result."""
    ask = ask or questionary_ask
    last_group: str | None = None
    undone: dict[str, Any] = {}  # answers taken back, offered again as the default
    question = interview.next_question()
    while question is not None:
        if question.group != last_group:
            console.print(f"\n[bold]{question.group.replace('_', ' ').capitalize()}[/]")
            last_group = question.group
        console.print(progress(question), style="dim", markup=False, highlight=False)
        previous = next((a.answer for a in interview.state.answers if a.id == question.id),
                        undone.get(question.id))
        reply = ask(question, previous, bool(interview.state.answers))
        if reply is QUIT:
            console.print("[yellow]Stopped: the result below uses the answers so far.[/]")
            break
        if reply == BACK:
            if interview.state.answers:
                last = interview.state.answers[-1]
                undone[last.id] = last.answer
                interview = interview.back()
        else:
            try:
                interview = interview.answer(question.id, reply)
            except AnswerError as exc:
                console.print(f"[red]{exc}[/]", highlight=False)
                continue
        if on_change is not None:
            on_change(interview)
        question = interview.next_question()
    return interview, interview.result()


def questionary_ask(question: Question, previous: Any, can_go_back: bool) -> Any:
    """Draw one question with questionary (needs a terminal)."""
    import questionary
    from questionary import Choice

    title = question.text + ("  (safety question)" if question.red_flag else "")
    instruction = question.help
    if question.kind in ("yes_no", "choice"):
        choices = [Choice(label, value=opt)
                   for opt, label in zip(question.options, question.option_labels, strict=True)]
        if can_go_back:
            choices.append(Choice("Go back", value=BACK))
        default = _previous_option(question, previous)
        return questionary.select(title, choices=choices, instruction=instruction,
                                  default=default).ask()
    if question.kind == "multi":
        chosen = set(previous) if isinstance(previous, list) else set()
        choices = [Choice(label, value=opt, checked=opt in chosen)
                   for opt, label in zip(question.options, question.option_labels, strict=True)]
        if can_go_back:
            choices.append(Choice("Go back", value=BACK))
        picked = questionary.checkbox(title, choices=choices, instruction=instruction).ask()
        if picked is None:
            return QUIT
        if BACK in picked:
            return BACK
        return UNKNOWN if UNKNOWN in picked else picked
    lo, hi = question.min or 0.0, question.max or 0.0
    unit = f" {question.unit}" if question.unit else ""
    hint = f"{lo:g}-{hi:g}{unit}; ? = don't know" + ("; < = go back" if can_go_back else "")
    raw = questionary.text(f"{title} ({hint})", validate=lambda s: _check_number(s, lo, hi),
                           default="" if previous is None else str(previous)).ask()
    if raw is None:
        return QUIT
    raw = raw.strip()
    if raw == "<":
        return BACK
    return UNKNOWN if raw in ("?", "") or raw.lower() in ("unknown", "don't know") else float(raw)


def _previous_option(question: Question, previous: Any) -> str | None:
    if previous is True:
        return "yes"
    if previous is False:
        return "no"
    return previous if isinstance(previous, str) and previous in question.options else None


def _check_number(text: str, lo: float, hi: float) -> bool | str:
    """questionary validator: True, or the message shown under the input."""
    t = text.strip().lower()
    if t in ("?", "<", "unknown", "don't know"):
        return True
    try:
        value = float(t)
    except ValueError:
        return f"Type a number from {lo:g} to {hi:g}, or ? if you don't know"
    if not lo <= value <= hi:
        return f"Type a number from {lo:g} to {hi:g}, or ? if you don't know"
    return True
