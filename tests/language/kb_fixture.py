"""A small knowledge base built in code, so language tests do not depend on the packaged
catalogue's exact phrases (which other people edit)."""

from __future__ import annotations

import dataclasses
from typing import Any

from popliteal.knowledge.base import KnowledgeBase
from popliteal.knowledge.schema import Finding, NumberRange, Option
from popliteal.language import Extraction, extract_findings


def _f(fid: str, group: str, phrases: list[str], **kw: Any) -> Finding:
    return Finding(id=fid, label=fid.replace("_", " "), question=f"Do you have {fid}?",
                   group=group, phrases=phrases, **kw)


def _number(fid: str, group: str, lo: float, hi: float, ranges: list[NumberRange]) -> Finding:
    return Finding(id=fid, kind="number", label=fid.replace("_", " "),
                   question=f"How much {fid}?", group=group, min=lo, max=hi, ranges=ranges)


FINDINGS = [
    _f("fever", "inflammation", ["fever", "high temperature", "feverish"], red_flag=True),
    _f("chest_pain", "breathing", ["chest pain", "pain in my chest"], red_flag=True),
    _f("knee_swelling", "swelling", ["swollen", "swelling", "swollen knee"]),
    _f("calf_swelling", "calf", ["swollen calf", "calf swelling", "calf is swollen"],
       red_flag=True),
    _f("knee_hot", "inflammation", ["warm", "hot to touch"], red_flag=True),
    _f("previous_clot", "clot_risk", ["clot", "blood clot", "dvt"], red_flag=True),
    _f("family_history_clot", "clot_risk", ["family history of clots"]),
    _f("injury", "injury", ["injured", "injury", "hurt my knee", "acl tear"]),
    _f("twisting_injury", "injury", ["twisted", "twisted my knee"]),
    _f("recent_surgery", "clot_risk", ["surgery", "operation", "acl surgery"], red_flag=True),
    _f("previous_knee_surgery", "health", ["knee operation before"]),
    _f("old_knee_injury", "health", ["old injury"]),
    _f("lump_behind_knee", "lump", ["baker's cyst", "lump behind the knee"]),
    _f("cannot_straighten_fully", "mechanics", ["can't straighten", "cannot straighten fully"]),
    _f("knee_locking", "mechanics", ["knee jammed", "knee locks", "locked"]),
    _f("pain_calf", "location", ["calf pain", "pain in my calf"]),
    _f("pain_at_night", "pain", ["pain at night", "wakes me up at night"], red_flag=True),
    _f("pain_on_stairs", "pain", ["pain on stairs", "pain going down stairs"]),
    _f("long_travel", "clot_risk", ["long flight", "long haul flight"], red_flag=True),
    _f("pivoting_sport", "activity", ["futsal", "football", "netball"]),
    _f("diabetes", "health", ["diabetes", "diabetic"]),
    _f("heart_disease", "health", ["heart attack", "heart disease"]),
    _f("onset_recent", "onset", ["since yesterday"]),
    _f("symptoms_over_6_weeks", "onset", ["for months"]),
    _f("pain_severe", "pain", ["excruciating", "worst pain"]),
    _f("morning_stiffness_long", "joints", []),
    _f("morning_stiffness_short", "joints", []),
    _f("both_knees", "location", ["both knees"]),
    _number("days_since_onset", "onset", 0, 3650, [
        NumberRange(min=0, max=7, implies=["onset_recent"], denies=["symptoms_over_6_weeks"]),
        NumberRange(min=7.001, max=42, denies=["onset_recent", "symptoms_over_6_weeks"]),
        NumberRange(min=42.001, max=3650, implies=["symptoms_over_6_weeks"],
                    denies=["onset_recent"]),
    ]),
    _number("pain_score", "pain", 0, 10, [
        NumberRange(min=8, max=10, implies=["pain_severe"]),
        NumberRange(min=0, max=7.99, denies=["pain_severe"]),
    ]),
    _number("morning_stiffness_minutes", "joints", 0, 600, [
        NumberRange(min=30.001, max=600, implies=["morning_stiffness_long"],
                    denies=["morning_stiffness_short"]),
        NumberRange(min=0, max=30, implies=["morning_stiffness_short"],
                    denies=["morning_stiffness_long"]),
    ]),
    _number("travel_hours", "clot_risk", 0, 72, [
        NumberRange(min=4, max=72, implies=["long_travel"]),
    ]),
    Finding(id="side", kind="choice", label="which leg", question="Which leg hurts?",
            group="about", options=[
                Option(value="left", label="left"), Option(value="right", label="right"),
                Option(value="both", label="both", implies=["both_knees"])]),
]


def make_kb(findings: list[Finding], content_hash: str) -> KnowledgeBase:
    """A KnowledgeBase with only findings; other required parts are left empty.

    Built by introspection so that parts added to KnowledgeBase later (e.g. interview
    screens) do not break these tests.
    """
    parts: dict[str, Any] = {}
    for field in dataclasses.fields(KnowledgeBase):
        if field.default is not dataclasses.MISSING or not field.init:
            continue
        if field.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            continue
        kind = str(field.type)
        parts[field.name] = () if kind.startswith("tuple") else {}
    parts["findings"] = {f.id: f for f in findings}
    parts["content_hash"] = content_hash
    return KnowledgeBase(**parts)


def kb_with(own: list[Finding], content_hash: str) -> KnowledgeBase:
    """:data:`FINDINGS` with ``own`` in place of the shared findings of the same ids (put
    last), for a test module whose findings need other phrases."""
    mine = {f.id for f in own}
    return make_kb([f for f in FINDINGS if f.id not in mine] + own, content_hash)


def read(text: str, kb: KnowledgeBase) -> Extraction:
    """The findings ``text`` yields against ``kb``."""
    return extract_findings(text, kb)


def present(result: Extraction, finding_id: str) -> bool:
    """Whether ``finding_id`` was read as present (not absent, not missing)."""
    found = result.get(finding_id)
    return found is not None and found.present
