"""Pydantic models for every knowledge file.

Why: the clinical team edits YAML, not Python. Every file is checked against these models at
start-up (``extra="forbid"`` rejects misspelt keys), so a typo becomes a clear error naming the
file, the field and the value instead of a silently ignored fact. Cross-file checks (a
condition naming an unknown finding, a figure citing an unknown source) live in the loader.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=2, max_length=64)]
SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.:-]*$", min_length=2, max_length=80)]
Probability = Annotated[float, Field(gt=0.0, lt=1.0)]


class Strict(BaseModel):
    """Base for knowledge models: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TriageLevel(str, Enum):  # noqa: UP042 (StrEnum changes str()/f-string output)
    """The spec's five levels, most urgent first (``../shared/spec/interfaces.md``)."""

    emergency_now = "emergency_now"
    urgent_same_day = "urgent_same_day"
    doctor_soon = "doctor_soon"
    physio = "physio"
    self_care = "self_care"

    @property
    def rank(self) -> int:
        """0 for emergency_now ... 4 for self_care: lower is more urgent."""
        return _LEVEL_ORDER.index(self)

    def more_urgent_than(self, other: TriageLevel) -> bool:
        return self.rank < other.rank

    @classmethod
    def most_urgent(cls, levels: list[TriageLevel]) -> TriageLevel:
        """The most urgent of ``levels``; self_care for an empty list."""
        return min(levels, key=lambda level: level.rank, default=cls.self_care)


_LEVEL_ORDER = [
    TriageLevel.emergency_now,
    TriageLevel.urgent_same_day,
    TriageLevel.doctor_soon,
    TriageLevel.physio,
    TriageLevel.self_care,
]


# --------------------------------------------------------------------------- sources


class Source(Strict):
    """A citable reference. Every figure in the knowledge base names one by ``id``."""

    id: SourceId
    citation: str = Field(min_length=5)
    url: str | None = None
    section: str | None = None
    note: str | None = None


# --------------------------------------------------------------------------- findings


class FindingKind(str, Enum):  # noqa: UP042 (StrEnum changes str()/f-string output)
    yes_no = "yes_no"
    choice = "choice"
    multi = "multi"
    number = "number"


class Option(Strict):
    """One answer of a choice or multi finding, and the yes/no findings it establishes."""

    value: Id
    label: str = Field(min_length=1)
    implies: list[Id] = Field(default_factory=list)
    denies: list[Id] = Field(default_factory=list)


class NumberRange(Strict):
    """A range of a number finding (inclusive bounds) and the yes/no findings it establishes."""

    min: float | None = None
    max: float | None = None
    implies: list[Id] = Field(default_factory=list)
    denies: list[Id] = Field(default_factory=list)


class Finding(Strict):
    """Something a patient can report: a symptom, a sign they can check, a risk factor.

    Only ``yes_no`` findings carry likelihoods in the engine. ``choice``, ``multi`` and
    ``number`` findings are questions whose answers establish yes/no findings through
    ``implies``/``denies`` (for example ``days_since_onset`` = 2 implies ``onset_recent``).
    """

    id: Id
    kind: FindingKind = FindingKind.yes_no
    label: str = Field(min_length=2, description="plain words, used in explanations")
    clinical_label: str | None = Field(default=None, description="the clinician's term")
    question: str = Field(min_length=5, description="as a patient reads it")
    help: str | None = Field(default=None, description="how to check, in plain words")
    group: Id = Field(description="interview screen this question belongs to")
    red_flag: bool = False
    background: Probability = Field(
        default=0.05,
        description="P(present) for a condition that does not list this finding",
    )
    phrases: list[str] = Field(default_factory=list, description="patients' words for it")
    ask_if_any: list[Id] = Field(
        default_factory=list,
        description="skip logic: ask only when one of these findings is present",
    )
    implies: list[Id] = Field(
        default_factory=list,
        description="yes/no findings that are present whenever this one is "
                    "(a twisting injury is an injury)",
    )
    options: list[Option] = Field(default_factory=list)
    ranges: list[NumberRange] = Field(default_factory=list)
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    source: SourceId | None = None

    @model_validator(mode="after")
    def _kind_fits(self) -> Finding:
        if self.kind in (FindingKind.choice, FindingKind.multi) and len(self.options) < 2:
            raise ValueError(f"{self.kind.value} finding needs at least two options")
        if self.kind is FindingKind.number:
            if self.min is None or self.max is None or self.min >= self.max:
                raise ValueError("number finding needs min < max")
        elif self.ranges:
            raise ValueError("only number findings have ranges")
        if self.kind is not FindingKind.yes_no and self.implies:
            raise ValueError("only yes/no findings use implies (choices use options)")
        if self.kind is not FindingKind.yes_no and self.red_flag:
            raise ValueError("red flags must be yes_no findings (a choice can imply one)")
        return self


# --------------------------------------------------------------------------- remedies


class RemedyCategory(str, Enum):  # noqa: UP042 (StrEnum changes str()/f-string output)
    pain_relief = "pain_relief"
    rice = "rice"
    injection = "injection"
    physiotherapy = "physiotherapy"
    surgery = "surgery"
    medical = "medical"
    self_care = "self_care"


class Remedy(Strict):
    """A remedy the article names (or a medical treatment a doctor may give)."""

    id: Id
    name: str
    category: RemedyCategory
    summary: str = Field(description="plain words: what it is and what it does")
    suits: str = Field(description="whom it suits, plain words")
    not_for: list[str] = Field(description="whom it must not be suggested to, plain words")
    not_for_findings: list[Id] = Field(
        default_factory=list, description="findings that rule the remedy out"
    )
    min_level: TriageLevel = Field(
        default=TriageLevel.self_care,
        description="most urgent triage level at which it may still be suggested",
    )
    in_article: bool = True
    sources: list[SourceId] = Field(min_length=1)


# --------------------------------------------------------------------------- conditions


class PriorWhen(Strict):
    """Context in which a prior modifier applies (all given keys must hold)."""

    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    sex: Literal["female", "male"] | None = None
    finding: Id | None = Field(default=None, description="e.g. regular_sport for activity")

    @model_validator(mode="after")
    def _not_empty(self) -> PriorWhen:
        if self.age_min is None and self.age_max is None and self.sex is None and not self.finding:
            raise ValueError("a modifier needs age_min, age_max, sex or finding")
        return self


class PriorModifier(Strict):
    when: PriorWhen
    multiply: float = Field(gt=0.0, le=50.0)
    source: SourceId


class Prior(Strict):
    per_1000: float = Field(gt=0.0, le=1000.0, description="base rate in posterior knee pain")
    source: SourceId
    modifiers: list[PriorModifier] = Field(default_factory=list)


class Likelihood(Strict):
    """P(finding present | condition), with its source."""

    finding: Id
    p: Probability
    source: SourceId
    note: str | None = None


class Condition(Strict):
    """One cause of pain at the back of the knee, as reviewable data."""

    id: Id
    name: str = Field(description="plain-language name")
    clinical_name: str
    in_article: bool
    summary: str = Field(min_length=40, description="plain words, our own")
    icd10: str = Field(pattern=r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")
    snomed: str | None = Field(default=None, pattern=r"^[0-9]{6,18}$")
    urgency: TriageLevel = Field(description="default triage level when this is the likely cause")
    critical: bool = Field(default=False, description="a miss costs life or limb")
    escalate_above: Probability | None = Field(
        default=None,
        description="posterior above which the urgency applies even if not top-ranked",
    )
    prior: Prior
    findings: list[Likelihood] = Field(min_length=3)
    remedies: list[Id] = Field(default_factory=list)
    sources: list[SourceId] = Field(min_length=1)

    @field_validator("findings")
    @classmethod
    def _unique_findings(cls, value: list[Likelihood]) -> list[Likelihood]:
        seen: set[str] = set()
        for item in value:
            if item.finding in seen:
                raise ValueError(f"finding {item.finding!r} listed twice")
            seen.add(item.finding)
        return value


# --------------------------------------------------------------------------- exercises


class Stage(str, Enum):  # noqa: UP042 (StrEnum changes str()/f-string output)
    """Where a person is in recovery; programmes progress early -> middle -> late."""

    early = "early"  # irritable, first 1-2 weeks
    middle = "middle"  # settling, weeks 2-4
    late = "late"  # loading and return to activity, weeks 4-6+


class Dosage(Strict):
    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=50)
    hold_seconds: int | None = Field(default=None, ge=1, le=300)
    per_day: int = Field(default=1, ge=1, le=6)
    days_per_week: int = Field(default=7, ge=1, le=7)

    @model_validator(mode="after")
    def _reps_or_hold(self) -> Dosage:
        if self.reps is None and self.hold_seconds is None:
            raise ValueError("a dosage needs reps or hold_seconds")
        return self


class Exercise(Strict):
    """A home exercise: what it is for, how to do it, how much, and when to stop."""

    id: Id
    name: str
    purpose: str
    steps: list[str] = Field(min_length=2)
    dosage: Dosage
    progression: str
    stop_if: list[str] = Field(min_length=1)
    suits: list[Id] = Field(min_length=1, description="condition ids")
    stages: list[Stage] = Field(min_length=1)
    not_for_findings: list[Id] = Field(default_factory=list)
    contraindications: list[str] = Field(default_factory=list)
    figure: str | None = Field(default=None, description="SVG file in data/figures/")
    sources: list[SourceId] = Field(min_length=1)


# --------------------------------------------------------------------------- triage rules


class RuleExpr(Strict):
    """A condition on findings and demographics; every key given must hold.

    ``all``/``any`` items are finding ids (present, or answered "don't know" for a red flag)
    or nested expressions. ``absent`` needs an explicit "no" and may never name a red flag:
    that keeps every rule monotone, so adding a red flag can never switch a rule off.
    """

    all: list[Id | RuleExpr] = Field(default_factory=list)
    any: list[Id | RuleExpr] = Field(default_factory=list)
    absent: list[Id] = Field(default_factory=list)
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _not_empty(self) -> RuleExpr:
        if not (self.all or self.any or self.absent or self.age_min is not None
                or self.age_max is not None):
            raise ValueError("an empty condition would always hold")
        return self

    def finding_ids(self) -> set[str]:
        out = set(self.absent)
        for item in [*self.all, *self.any]:
            out |= {item} if isinstance(item, str) else item.finding_ids()
        return out

    def absent_ids(self) -> set[str]:
        out = set(self.absent)
        for item in [*self.all, *self.any]:
            if isinstance(item, RuleExpr):
                out |= item.absent_ids()
        return out


class TriageRule(Strict):
    """When ``when`` holds, the level is at least ``level``, for the reasons given."""

    id: Id
    level: TriageLevel
    when: RuleExpr
    reason: str = Field(min_length=10, description="for the patient, plain words")
    clinician: str = Field(min_length=5, description="for the clinician, precise")
    source: SourceId


class ScoreItem(Strict):
    """One item of a clinical score, worth ``points``: met when any of ``findings`` is present,
    or when the age is within the bounds given."""

    label: str
    points: float
    findings: list[Id] = Field(default_factory=list)
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _one_input(self) -> ScoreItem:
        has_age = self.age_min is not None or self.age_max is not None
        if bool(self.findings) == has_age:
            raise ValueError("a score item needs either findings or an age bound, not both")
        return self


class ScoreBand(Strict):
    min: float | None = None
    max: float | None = None
    label: str
    level: TriageLevel | None = None
    reason: str | None = None


class Score(Strict):
    """A clinical prediction rule computed by adding points (Wells, Ottawa)."""

    id: Id
    title: str
    applies_when: RuleExpr | None = None
    items: list[ScoreItem] = Field(min_length=1)
    bands: list[ScoreBand] = Field(min_length=1)
    note: str | None = None
    source: SourceId


class TriageRuleSet(Strict):
    """One reviewable file of triage rules and scores."""

    id: Id
    title: str
    rules: list[TriageRule] = Field(default_factory=list)
    scores: list[Score] = Field(default_factory=list)
    source: SourceId


# --------------------------------------------------------------------------- interview screens


class InterviewScreen(Strict):
    """Red-flag questions that must be asked before an interview may end, whenever any of
    ``conditions`` is still plausible (posterior at or above ``threshold``) or ``when`` holds.

    Why data: which dangers must be screened for, and when, is a clinical decision the team
    reviews, not an implementation detail of the question-choosing algorithm.
    """

    id: Id
    title: str
    conditions: list[Id] = Field(default_factory=list)
    threshold: Probability = 0.02
    when_any: list[Id] = Field(default_factory=list, description="or when any finding present")
    always: bool = False
    ask: list[Id] = Field(min_length=1)
    source: SourceId
