"""Pydantic models for the care-plan data files in ``care/data/*.yaml``.

Why data, not code: what a patient is told to do, to avoid and when to get help is clinical
content that clinicians review and edit. Every sentence sits in YAML beside the source it comes
from, and these models (``extra="forbid"``) turn a misspelt key into an error naming the file
and field. The builder (``care/builder.py``) only decides *which* sentences apply.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from popliteal.knowledge import Id, SourceId, Stage, TriageLevel


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Claim(Strict):
    """One sentence for the patient, with its sources.

    ``min_level`` is the most urgent triage level at which the sentence may still be given
    (emergency_now: at every level). ``remedy`` ties the sentence to a remedy, so it is dropped
    whenever that remedy is ruled out for this person.
    """

    text: str = Field(min_length=5)
    sources: list[SourceId] = Field(min_length=1)
    min_level: TriageLevel = TriageLevel.emergency_now
    remedy: Id | None = None


class HelpItem(Strict):
    """Safety-netting: if this change happens (``when``), do this (``action``)."""

    when: str = Field(min_length=5)
    action: str = Field(min_length=5)
    level: TriageLevel
    sources: list[SourceId] = Field(min_length=1)


class LevelGuide(Strict):
    """What a plan at one triage level always says."""

    level: TriageLevel
    headline: str = Field(min_length=10)
    do_now: list[Claim] = Field(min_length=1)
    avoid: list[Claim] = Field(default_factory=list)
    get_help: list[HelpItem] = Field(default_factory=list)
    sources: list[SourceId] = Field(min_length=1)


class SafetyNetting(Strict):
    """``escalations`` apply to every plan whose level is less urgent than the item's level;
    items at emergency_now apply to every plan (so 995 is always named)."""

    escalations: list[HelpItem] = Field(min_length=1)
    levels: list[LevelGuide] = Field(min_length=5)

    @model_validator(mode="after")
    def _every_level(self) -> SafetyNetting:
        seen = [g.level for g in self.levels]
        missing = [lv.value for lv in TriageLevel if lv not in seen]
        if missing or len(seen) != len(set(seen)):
            raise ValueError(f"need exactly one guide per level; missing {missing}")
        if not any(i.level is TriageLevel.emergency_now and "995" in i.action
                   for i in self.escalations):
            raise ValueError("escalations must include an emergency_now item naming 995")
        return self


class ConditionClass(Strict):
    """Conditions that share the same cautions (a clot, an infection, a torn ligament...).

    When any member is plausible, the class adds its ``avoid`` and ``do`` sentences, rules out
    the remedies in ``blocks`` (saying why in ``block_reason``) and adds its safety-netting.
    ``concern`` is said first when the class is dangerous and shapes the plan.
    """

    id: Id
    label: str
    conditions: list[Id] = Field(min_length=1)
    concern: Claim | None = None
    avoid: list[Claim] = Field(default_factory=list)
    do: list[Claim] = Field(default_factory=list)
    blocks: list[Id] = Field(default_factory=list)
    block_reason: str | None = None
    get_help: list[HelpItem] = Field(default_factory=list)
    clot_suspected: bool = False

    @model_validator(mode="after")
    def _reason_for_blocks(self) -> ConditionClass:
        if self.blocks and not self.block_reason:
            raise ValueError("a class that blocks remedies needs a block_reason")
        return self


class ScreenItem(Strict):
    """One question of the anti-inflammatory safety screen: a finding or an age threshold."""

    id: Id
    finding: Id | None = None
    age_min: int | None = Field(default=None, ge=0, le=120)
    reason: str = Field(min_length=10, description="plain words: why it matters")
    blocks: list[Id] = Field(min_length=1, description="remedy ids it rules out")
    sources: list[SourceId] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_input(self) -> ScreenItem:
        if (self.finding is None) == (self.age_min is None):
            raise ValueError("a screen item needs exactly one of finding or age_min")
        return self


class PainReliefText(Strict):
    """The sentences of the pain-relief section, chosen by the builder."""

    screen: list[ScreenItem] = Field(min_length=7)
    emergency: list[Claim] = Field(min_length=1)
    urgent: list[Claim] = Field(min_length=1)
    paracetamol: Claim
    topical: Claim
    oral: Claim
    screen_positive: Claim
    topical_after_screen: Claim
    clot: Claim
    fresh_injury: Claim
    osteoarthritis: Claim
    general: list[Claim] = Field(default_factory=list)


class When(Strict):
    """When a self-care option applies: any finding in ``findings_any``, all of
    ``findings_all``, or any plausible condition in ``conditions_any``."""

    findings_any: list[Id] = Field(default_factory=list)
    findings_all: list[Id] = Field(default_factory=list)
    conditions_any: list[Id] = Field(default_factory=list)


class SelfCareOption(Strict):
    """RICE, ice or heat: suggested only when ``when`` holds and the remedy is allowed."""

    remedy: Id
    when: When
    how: list[Claim] = Field(min_length=1)
    never: list[Claim] = Field(default_factory=list)
    warn_if_ruled_out: bool = Field(
        default=False, description="say `never` when a finding or cause rules the remedy out"
    )


class TreatmentMap(Strict):
    """Which remedies may follow once a clinician confirms a condition (section A)."""

    condition: Id
    remedies: list[Id] = Field(min_length=1)
    sources: list[SourceId] = Field(min_length=1)


class ExerciseCaution(Strict):
    """Exercises not to give for a plausible condition (in the stages listed; all if none)."""

    condition: Id
    exercises: list[Id] = Field(min_length=1)
    stages: list[Stage] = Field(default_factory=list)
    reason: str
    sources: list[SourceId] = Field(min_length=1)


class ProgrammeRules(Strict):
    """How a home programme is picked and progressed (D.0, D.4)."""

    plausible_above: float = Field(gt=0, lt=1, description="a condition counts above this")
    critical_above: float = Field(gt=0, lt=1, description="lower bar for dangerous conditions")
    min_exercises: int = Field(ge=1, le=6)
    max_exercises: int = Field(ge=3, le=6)
    pain_rules: list[Claim] = Field(min_length=1)
    block_notes: list[str] = Field(min_length=2, description="one per two-week block")
    start: Claim
    no_programme: Claim
    review: Claim
    cautions: list[ExerciseCaution] = Field(default_factory=list)
    preferred: dict[Id, list[Id]] = Field(
        default_factory=dict,
        description="per condition, exercises in D.5's order of preference (early first)",
    )
    sources: list[SourceId] = Field(min_length=1)


class CareGuide(Strict):
    """Every care data file, merged."""

    safety_netting: SafetyNetting
    classes: list[ConditionClass] = Field(min_length=1)
    pain_relief: PainReliefText
    self_care: list[SelfCareOption] = Field(min_length=1)
    treatments: list[TreatmentMap] = Field(min_length=1)
    programme: ProgrammeRules

    def guide_for(self, level: TriageLevel) -> LevelGuide:
        return next(g for g in self.safety_netting.levels if g.level is level)
