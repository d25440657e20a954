"""Pick a home exercise programme for the likely causes and stage, and progress it.

Why this shape: D.5 gives each exercise the conditions it suits and a starting dose; D.4 says
progress one variable at a time, about once a week, only when the pain rules hold. So the
programme is 3-6 exercises that suit the plausible (non-dangerous) causes, scored by the
probability of the causes they suit, shown in two-week blocks: the starting dose, one step
more, then the harder version. Six weeks from an early or middle stage, four from a late one;
then a review (C.2 rule 6).
"""

from __future__ import annotations

from popliteal.care.context import CareContext
from popliteal.care.plan import ExerciseProgramme, ProgrammeExercise, ProgrammeWeek
from popliteal.knowledge import Dosage, Exercise, Stage

#: Weight of an exercise that suits a condition but is not in D.5's list for it.
UNLISTED_FIT = 0.4


def pick_exercises(ctx: CareContext) -> tuple[list[Exercise], list[str]]:
    """The chosen exercises (best first) and the condition ids they were chosen for."""
    rules = ctx.guide.programme
    weights = {cid: p for cid, p in ctx.plausible if cid not in ctx.dangerous}
    cautioned: set[str] = set()
    for caution in rules.cautions:
        if caution.condition in weights and (not caution.stages or ctx.stage in caution.stages):
            cautioned.update(caution.exercises)
    scored: list[tuple[float, int, Exercise]] = []
    for order, ex in enumerate(ctx.kb.exercises.values()):
        if ctx.stage not in ex.stages or ex.id in cautioned:
            continue
        if set(ex.not_for_findings) & ctx.present:
            continue
        score = sum(p * _fit(rules.preferred.get(cid, []), ex.id)
                    for cid, p in weights.items() if cid in ex.suits)
        if score > 0:
            scored.append((score, order, ex))
    scored.sort(key=lambda item: (-item[0], item[1]))
    chosen = [ex for _, _, ex in scored[: rules.max_exercises]]
    if len(chosen) < rules.min_exercises:
        return [], []
    served = [cid for cid in weights if any(cid in ex.suits for ex in chosen)]
    return chosen, served


def _fit(preferred: list[str], exercise_id: str) -> float:
    """How well an exercise that suits a condition fits it: D.5's order, else a lower weight."""
    if exercise_id in preferred:
        return 1.0 - 0.05 * preferred.index(exercise_id)
    return UNLISTED_FIT


def progress(dosage: Dosage, step: int) -> Dosage:
    """``dosage`` after ``step`` small increases (one variable each, D.4)."""
    d = dosage
    for _ in range(step):
        if d.reps is not None and d.reps < 50:
            d = d.model_copy(update={"reps": min(50, d.reps + (2 if d.reps < 15 else 5))})
        elif d.hold_seconds is not None and d.hold_seconds + 5 <= 300:
            bump = max(5, d.hold_seconds // 3)
            d = d.model_copy(update={"hold_seconds": min(300, d.hold_seconds + bump)})
        else:
            d = d.model_copy(update={"sets": min(10, d.sets + 1)})
    return d


def describe(d: Dosage) -> str:
    """Plain words for a dosage: '3 sets of 10, hold 5 seconds, twice a day, every day'."""
    parts: list[str] = []
    if d.reps is not None:
        parts.append(f"{d.sets} set{'s' if d.sets > 1 else ''} of {d.reps}")
    else:
        parts.append(f"{d.sets} time{'s' if d.sets > 1 else ''}")
    if d.hold_seconds is not None:
        if d.hold_seconds >= 60:
            minutes = round(d.hold_seconds / 60)
            parts.append(f"{'for' if d.reps is None else 'hold'} {minutes} minutes")
        else:
            parts.append(f"hold {d.hold_seconds} seconds")
    times = {1: "once a day", 2: "twice a day"}.get(d.per_day, f"{d.per_day} times a day")
    days = "every day" if d.days_per_week == 7 else f"{d.days_per_week} days a week"
    return ", ".join([*parts, times, days])


def _entry(ex: Exercise, step: int) -> ProgrammeExercise:
    d = progress(ex.dosage, min(step, 1))
    steps = list(ex.steps)
    if step >= 2:
        steps.append(f"Harder version: {ex.progression}")
    return ProgrammeExercise(
        id=ex.id, name=ex.name, purpose=ex.purpose, steps=steps, dosage=describe(d),
        sets=d.sets, reps=d.reps, hold_seconds=d.hold_seconds, per_day=d.per_day,
        days_per_week=d.days_per_week, progression=ex.progression, stop_if=list(ex.stop_if),
        figure=ex.figure,
    )


def build_programme(ctx: CareContext) -> ExerciseProgramme | None:
    """A 4-6 week programme, or None when exercise is not allowed or nothing suits."""
    if not ctx.allowed("physio_exercise"):
        return None
    chosen, served = pick_exercises(ctx)
    if not chosen:
        return None
    rules = ctx.guide.programme
    blocks = 2 if ctx.stage is Stage.late else 3
    weeks: list[ProgrammeWeek] = []
    for i in range(blocks):
        start, end = 2 * i + 1, 2 * i + 2
        step = i if blocks == 3 else i + 1  # a late stage starts one step on
        note = rules.block_notes[min(step, len(rules.block_notes) - 1)]
        weeks.append(ProgrammeWeek(
            weeks=f"{start}-{end}", start_week=start, end_week=end,
            exercises=[_entry(ex, step) for ex in chosen], progression=note,
        ))
    for ex in chosen:
        ctx.sources.update(ex.sources)
    ctx.sources.update(rules.sources)
    pain_rules = [t for c in rules.pain_rules if (t := ctx.use(c))]
    review = ctx.use(rules.review) or rules.review.text
    return ExerciseProgramme(stage=ctx.stage, weeks=weeks, rules=pain_rules, review=review,
                             for_conditions=served)
