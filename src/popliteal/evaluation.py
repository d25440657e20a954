"""Score Popliteal on clinical vignettes the way published symptom-checker audits do.

Why these measures: Semigran et al. (BMJ 2015) and Gilbert et al. (BMJ Open 2020) report the
right diagnosis first (top-1), in the first three (top-3) and appropriate triage; we add the
safety measures that matter most here: emergencies under-triaged (target 0) and over-triage.
The predictor reads only ``id``, ``age``, ``sex`` and ``text``; the answers are used only to
score.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from popliteal.knowledge import TriageLevel
from popliteal.results import AssessmentResult


class VignetteError(ValueError):
    """A vignette file that cannot be read; the message names the file and line."""


class Vignette(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    age: int
    sex: str
    text: str
    gold: str | None = None
    acceptable: list[str] = Field(default_factory=list)
    triage: TriageLevel | None = None
    triage_acceptable: list[TriageLevel] = Field(default_factory=list)


class CaseResult(BaseModel):
    id: str
    conditions: list[str]
    triage: str
    gold: str | None = None
    gold_triage: str | None = None
    top1: bool | None = None
    top3: bool | None = None
    top3_acceptable: bool | None = None
    triage_ok: bool | None = None
    over_triaged: bool | None = None
    under_triaged_emergency: bool | None = None
    understood: list[str] = Field(default_factory=list)
    error: str | None = None


def read_vignettes(path: Path) -> list[Vignette]:
    """Parse a JSON Lines vignette file, refusing it whole if any line is malformed."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise VignetteError(f"{path}: cannot read: {exc}") from exc
    out: list[Vignette] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(Vignette.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise VignetteError(f"{path}:{number}: not valid JSON: {exc.msg}") from exc
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            raise VignetteError(f"{path}:{number}: field {field}: {err['msg']}") from exc
    if not out:
        raise VignetteError(f"{path}: no vignettes in the file")
    return out


def score_case(v: Vignette, result: AssessmentResult) -> CaseResult:
    ids = [c.id for c in result.conditions]
    level = result.triage.level
    understood = [
        f"{'+' if f.present else '-' if f.present is False else '?'}{f.id}"
        + (f"={f.value}" if f.value is not None else "")
        for f in result.findings
    ]
    case = CaseResult(id=v.id, conditions=ids[:5], triage=level.value, gold=v.gold,
                      gold_triage=v.triage.value if v.triage else None, understood=understood)
    if v.gold:
        case.top1 = ids[0] == v.gold
        case.top3 = v.gold in ids[:3]
        case.top3_acceptable = bool({v.gold, *v.acceptable} & set(ids[:3]))
    if v.triage:
        ok_levels = [v.triage, *v.triage_acceptable]
        case.triage_ok = level in ok_levels
        case.over_triaged = all(level.more_urgent_than(x) for x in ok_levels)
        case.under_triaged_emergency = (
            v.triage in (TriageLevel.emergency_now, TriageLevel.urgent_same_day)
            and all(x.more_urgent_than(level) for x in ok_levels))
    return case


def evaluate(vignettes: Iterable[Vignette],
             assess_fn: Callable[[Vignette], AssessmentResult]) -> dict[str, Any]:
    """Assess every vignette and summarise; a case that errors counts as a miss."""
    cases: list[CaseResult] = []
    for v in vignettes:
        try:
            cases.append(score_case(v, assess_fn(v)))
        except ValueError as exc:
            cases.append(CaseResult(id=v.id, conditions=[], triage="", gold=v.gold,
                                    top1=False, top3=False, top3_acceptable=False,
                                    triage_ok=False, error=str(exc)))
    return {"cases": [c.model_dump() for c in cases], "summary": summarise(cases)}


def summarise(cases: list[CaseResult]) -> dict[str, Any]:
    def share(attr: str) -> float:
        values = [getattr(c, attr) for c in cases if getattr(c, attr) is not None]
        return round(sum(bool(v) for v in values) / len(values), 4) if values else 0.0

    return {
        "n": len(cases),
        "top1": share("top1"),
        "top3": share("top3"),
        "top3_acceptable": share("top3_acceptable"),
        "triage_ok": share("triage_ok"),
        "over_triage": share("over_triaged"),
        "under_triaged_emergencies": sum(bool(c.under_triaged_emergency) for c in cases),
        "errors": sum(c.error is not None for c in cases),
    }
