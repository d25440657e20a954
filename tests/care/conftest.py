"""Fixtures for the care tests.

``kb`` is a small knowledge base built from the real sources, remedies and exercises files
plus stand-in conditions carrying only what the care plan reads (urgency, critical,
escalate_above, name). That keeps these tests independent of files other people are still
editing; ``real_kb`` loads the full packaged base and skips if it does not load.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from popliteal.knowledge.base import KnowledgeBase
from popliteal.knowledge.checks import SPEC_CONDITION_IDS
from popliteal.knowledge.schema import Condition, Exercise, Remedy, Source, TriageLevel

DATA = Path(__file__).resolve().parents[2] / "src" / "popliteal" / "knowledge" / "data"
T = TriageLevel

#: Urgency and critical flags as in clinical reference C.3 (and the condition files).
URGENCY = {
    "compartment_syndrome": (T.emergency_now, True, 0.02),
    "deep_vein_thrombosis": (T.urgent_same_day, True, 0.05),
    "ruptured_bakers_cyst": (T.urgent_same_day, True, 0.05),
    "septic_arthritis": (T.urgent_same_day, True, 0.02),
    "fracture": (T.urgent_same_day, True, 0.10),
    "gout": (T.urgent_same_day, False, None),
    "popliteal_artery_aneurysm": (T.doctor_soon, True, 0.05),
    "posterolateral_corner_injury": (T.doctor_soon, True, 0.10),
    "acl_injury": (T.doctor_soon, False, None),
    "pcl_injury": (T.doctor_soon, False, None),
    "lcl_injury": (T.doctor_soon, False, None),
    "bone_tumour": (T.doctor_soon, False, None),
    "lupus_arthritis": (T.doctor_soon, False, None),
    "psoriatic_arthritis": (T.doctor_soon, False, None),
    "rheumatoid_arthritis": (T.doctor_soon, False, None),
    "nerve_entrapment": (T.doctor_soon, False, None),
    "peripheral_arterial_disease": (T.doctor_soon, False, None),
    "popliteal_artery_entrapment": (T.doctor_soon, False, None),
    "leg_cramps": (T.self_care, False, None),
}


def _read(folder: str, model: type) -> dict:
    out = {}
    for path in sorted((DATA / folder).glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text()):
            item = model.model_validate(raw)
            out[item.id] = item
    return out


def _condition(cid: str) -> Condition:
    urgency, critical, escalate = URGENCY.get(cid, (T.physio, False, None))
    return Condition.model_validate({
        "id": cid, "name": cid.replace("_", " ").capitalize(), "clinical_name": cid,
        "in_article": True, "summary": "A stand-in condition for the care-plan tests only.",
        "icd10": "M25.5", "urgency": urgency.value, "critical": critical,
        "escalate_above": escalate,
        "prior": {"per_1000": 10, "source": "cr-priors"},
        "findings": [{"finding": f, "p": 0.5, "source": "popliteal-estimate"}
                     for f in ("injury", "onset_recent", "knee_swelling")],
        "sources": ["article"],
    })


def build_small_kb() -> KnowledgeBase:
    parts: dict = {
        "sources": _read("sources", Source),
        "findings": {},
        "conditions": {cid: _condition(cid) for cid in sorted(SPEC_CONDITION_IDS)},
        "remedies": _read("remedies", Remedy),
        "exercises": _read("exercises", Exercise),
        "rulesets": (),
        "content_hash": "care-tests",
    }
    for f in dataclasses.fields(KnowledgeBase):  # parts the care plan does not read
        if f.name not in parts and f.default is dataclasses.MISSING:
            parts[f.name] = {}
    return KnowledgeBase(**parts)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return build_small_kb()


@pytest.fixture(scope="session")
def real_kb() -> KnowledgeBase:
    from popliteal.knowledge import KnowledgeError, load_knowledge_base

    try:
        return load_knowledge_base()
    except KnowledgeError as exc:  # other files still being written
        pytest.skip(f"packaged knowledge base does not load yet: {len(exc.problems)} problems")
