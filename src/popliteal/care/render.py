"""Plain-text (markdown) rendering of a care plan, for the CLI and the physiotherapist summary.

Why plain text: it reads the same in a terminal, an email and a printed summary; the web app
renders the same :class:`CarePlan` with its own templates.
"""

from __future__ import annotations

from popliteal.care.plan import CarePlan

_LEVEL_WORDS = {
    "emergency_now": "Call 995 now",
    "urgent_same_day": "Go today",
    "doctor_soon": "See a doctor in 1-2 days",
    "physio": "Book a physiotherapist",
    "self_care": "Book an assessment",
}


def render_plan_text(plan: CarePlan) -> str:
    """The plan as markdown: headline, do now, avoid, help, pain relief, treatments, exercises."""
    out: list[str] = [f"# {plan.headline}", ""]

    def section(title: str, lines: list[str]) -> None:
        if lines:
            out.extend([f"## {title}", "", *(f"- {line}" for line in lines), ""])

    section("What to do now", plan.do_now)
    section("What to avoid", plan.avoid)
    section("When to get help", [
        f"{step.when}: {step.action} ({_LEVEL_WORDS[step.level.value]})" for step in plan.get_help
    ])
    pain = list(plan.pain_relief.advice)
    section("Pain relief", pain)
    section("Treatment that may follow", [
        f"**{t.name}**: {t.summary} {t.why}" for t in plan.treatments_may_follow
    ])
    prog = plan.exercise_programme
    if prog is not None:
        out.extend([f"## Home exercise programme ({prog.total_weeks} weeks)", ""])
        out.extend(f"- {rule}" for rule in prog.rules)
        out.append("")
        for index, block in enumerate(prog.weeks):
            out.extend([f"### Weeks {block.weeks}", "", block.progression, ""])
            for ex in block.exercises:
                out.append(f"- **{ex.name}** ({ex.dosage}).")
                if index == 0:  # full instructions once; later blocks change only the dose
                    out.append(f"  {ex.purpose}")
                    out.extend(f"  {i}. {step}" for i, step in enumerate(ex.steps, 1))
                    out.append(f"  Stop if: {'; '.join(ex.stop_if)}.")
                elif index == len(prog.weeks) - 1:
                    out.append(f"  Harder version: {ex.progression}")
            out.append("")
        out.extend([prog.review, ""])
    out.append("Sources: " + ", ".join(plan.sources))
    return "\n".join(out).rstrip() + "\n"
