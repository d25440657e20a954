"""The public result types every consumer reads: CLI, API, web, store, summaries.

Why one module: the JSON shape of ``popliteal assess --json`` is fixed by the spec and
outside tools depend on it, so the shape is defined once, here, as pydantic models. Fields
may be added; none renamed or removed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from popliteal.knowledge import TriageLevel

DISCLAIMER = (
    "This is not a diagnosis. It is a guide to the likely causes and how soon to get help, "
    "based only on what you told us. A doctor or physiotherapist must examine you to know."
)
URGENT_HELP = (
    "If your leg turns cold, pale or numb, you are short of breath or have chest pain, or you "
    "feel very unwell: call 995 for an ambulance or go to the nearest emergency department now."
)

FindingSource = Literal["text", "answer", "derived"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingResult(Model):
    """A finding as understood: present, absent or unknown, and what showed it."""

    id: str
    label: str
    present: bool | None = Field(description="True present, False absent, None don't know")
    source: FindingSource
    evidence: str | None = Field(default=None, description="the patient's words, or the answer")
    start: int | None = Field(default=None, description="character offset in the text")
    end: int | None = None
    value: float | str | list[str] | None = Field(default=None, description="for non yes/no")
    overrides_text: bool = Field(default=False, description="an answer replaced the text's")
    red_flag: bool = False


class Contribution(Model):
    """How one answer moved one condition: a likelihood ratio a clinician can check.

    Frozen: one instance per (condition, answer) and knowledge base is built once and shared
    by every result that shows it (``popliteal.assessment``), so a result's validation
    accepts it as it is instead of checking ~200 of them again each time.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    finding: str
    label: str
    present: bool
    likelihood_ratio: float = Field(description="P(answer | condition) / P(answer | baseline)")
    p_condition: float = Field(description="P(finding present | condition)")
    p_baseline: float = Field(description="P(finding present | baseline)")


class RankedCondition(Model):
    id: str
    name: str
    probability: float
    urgency: TriageLevel
    prior: float = Field(description="probability before any finding, after age/sex/activity")
    reasons_for: list[Contribution] = Field(default_factory=list)
    reasons_against: list[Contribution] = Field(default_factory=list)


class ScoreItemResult(Model):
    label: str
    points: float
    met: bool | None = Field(description="None when not answered")


class ScoreResult(Model):
    """A clinical prediction rule as computed, shown with its items."""

    id: str
    title: str
    total: float
    band: str
    items: list[ScoreItemResult]
    complete: bool = Field(description="every item answered")


class TriageReason(Model):
    rule: str
    level: TriageLevel
    patient: str
    clinician: str


class TriageResult(Model):
    level: TriageLevel
    reasons: list[str] = Field(description="plain words, most urgent first")
    details: list[TriageReason] = Field(default_factory=list)
    scores: list[ScoreResult] = Field(default_factory=list)


class AssessmentResult(Model):
    """Everything one assessment concluded. ``model_dump(mode="json")`` is the spec's shape."""

    conditions: list[RankedCondition]
    triage: TriageResult
    findings: list[FindingResult]
    unparsed_sentences: list[str] = Field(default_factory=list)
    age: int
    sex: Literal["female", "male"]
    care_plan: dict[str, Any] | None = None
    disclaimer: str = DISCLAIMER
    urgent_help: str = URGENT_HELP
    knowledge_version: str
