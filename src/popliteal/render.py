"""Rich rendering of results for a person at a terminal: triage first, in a box.

Why here and not in the CLI: the one-shot ``assess`` and the terminal interview print the same
report, so the layout lives in one place.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from popliteal.knowledge import TriageLevel
from popliteal.results import AssessmentResult

LEVEL_TITLES = {
    TriageLevel.emergency_now: ("EMERGENCY: call 995 now", "bold white on red"),
    TriageLevel.urgent_same_day: ("See a doctor TODAY", "bold black on yellow"),
    TriageLevel.doctor_soon: ("See a doctor within a few days", "bold black on bright_yellow"),
    TriageLevel.physio: ("Book a physiotherapy assessment", "bold white on blue"),
    TriageLevel.self_care: ("Look after it at home; book if not better in 1-2 weeks",
                            "bold white on green"),
}


def render_assessment(console: Console, result: AssessmentResult, top: int = 5) -> None:
    """Print the triage box, the causes table, what was understood, and the disclaimer."""
    title, style = LEVEL_TITLES[result.triage.level]
    body = Group(*(Text(f"- {r}") for r in result.triage.reasons))
    console.print(Panel(body, title=Text(f" {title} ", style=style), border_style=style.split()[-1],
                        expand=True))
    for score in result.triage.scores:
        items = ", ".join(f"{i.label} ({'yes' if i.met else 'no' if i.met is False else '?'})"
                          for i in score.items)
        console.print(f"[bold]{score.title}[/]: {score.total:g} points, {score.band}. {items}")

    table = Table(title="Likely causes (not a diagnosis)", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("Cause")
    table.add_column("Chance", justify="right")
    table.add_column("Why")
    for i, cond in enumerate(result.conditions[:top], start=1):
        pro = ", ".join(f"{c.label} (x{c.likelihood_ratio:.1f})" for c in cond.reasons_for[:3])
        con = ", ".join(f"no {c.label}" if not c.present else c.label
                        for c in cond.reasons_against[:2])
        why = pro + (f"; against: {con}" if con else "")
        table.add_row(str(i), cond.name, f"{cond.probability:.0%}", why or "-")
    console.print(table)

    understood = [f for f in result.findings if f.source != "derived"]
    if understood:
        console.print("[bold]What we understood[/]")
        for f in understood:
            mark = "yes" if f.present else "no" if f.present is False else (
                f"{f.value}" if f.value is not None else "don't know")
            words = f' "{f.evidence}"' if f.evidence and f.source == "text" else ""
            note = " (your answer replaced the text)" if f.overrides_text else ""
            console.print(f"  {f.label}: {mark}{words}{note}")
    if result.unparsed_sentences:
        console.print("[bold]Sentences we could not use[/]")
        for s in result.unparsed_sentences:
            console.print(f"  [dim]{s}[/]")
    plan = result.care_plan
    if plan:
        render_plan(console, plan)
    console.print(Panel(f"{result.disclaimer}\n{result.urgent_help}", border_style="dim"))


def render_plan(console: Console, plan: dict[str, Any]) -> None:
    """Print the care plan's headline parts (the full text comes from the care package)."""
    from rich.markdown import Markdown

    from popliteal.care import CarePlan, render_plan_text

    console.print(Markdown(render_plan_text(CarePlan.model_validate(plan))))
