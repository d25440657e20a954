"""The care plan a person receives: the public result type of the care package.

Why a pydantic model: the plan is embedded in ``AssessmentResult.care_plan`` (as JSON), shown
by the CLI and web, and summarised for the physiotherapist, so its shape is defined once.
Fields may be added; none renamed or removed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from popliteal.knowledge import Stage, TriageLevel


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HelpStep(Model):
    """Safety-netting: if this happens, do this (and how urgent that is)."""

    when: str
    action: str
    level: TriageLevel


class NsaidScreen(Model):
    """The anti-inflammatory safety screen, run before any anti-inflammatory is mentioned."""

    positive: bool
    reasons: list[str] = Field(description="plain words, one per positive item")
    items: list[str] = Field(default_factory=list, description="ids of the positive items")


class PainRelief(Model):
    advice: list[str]
    nsaid_screen: NsaidScreen
    suggested: list[str] = Field(
        default_factory=list, description="remedy ids the advice suggests (not those it warns off)"
    )


class Treatment(Model):
    """A treatment that may follow once a clinician has confirmed the cause."""

    remedy: str
    name: str
    summary: str
    why: str


class ProgrammeExercise(Model):
    id: str
    name: str
    purpose: str
    steps: list[str]
    dosage: str = Field(description="plain words, e.g. '3 sets of 10, once a day, 3 days a week'")
    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    per_day: int
    days_per_week: int
    progression: str
    stop_if: list[str]
    figure: str | None = None


class ProgrammeWeek(Model):
    """One block of the programme (e.g. weeks 1-2)."""

    weeks: str
    start_week: int
    end_week: int
    exercises: list[ProgrammeExercise]
    progression: str


class ExerciseProgramme(Model):
    stage: Stage
    weeks: list[ProgrammeWeek]
    rules: list[str] = Field(description="pain-monitoring and stop rules")
    review: str
    for_conditions: list[str] = Field(description="condition ids the exercises were chosen for")

    @property
    def total_weeks(self) -> int:
        return self.weeks[-1].end_week if self.weeks else 0

    @property
    def exercise_ids(self) -> list[str]:
        seen: list[str] = []
        for block in self.weeks:
            seen += [e.id for e in block.exercises if e.id not in seen]
        return seen


class CarePlan(Model):
    """What to do now, what to avoid, when to get help, pain relief, what may follow."""

    level: TriageLevel
    headline: str
    stage: Stage
    likely_causes: list[str] = Field(description="plausible condition ids, dangerous ones first")
    do_now: list[str]
    avoid: list[str]
    get_help: list[HelpStep]
    pain_relief: PainRelief
    treatments_may_follow: list[Treatment]
    exercise_programme: ExerciseProgramme | None = None
    remedies_suggested: list[str] = Field(
        default_factory=list, description="every remedy id the plan suggests the person use now"
    )
    sources: list[str]
