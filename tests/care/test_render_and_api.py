"""The text rendering and the package's public surface."""

from __future__ import annotations

from care_helpers import plan

import popliteal.care as care
from popliteal.care import CarePlan, render_plan_text
from popliteal.knowledge.schema import TriageLevel

T = TriageLevel


def test_public_names():
    assert {"build_care_plan", "CarePlan", "render_plan_text"} <= set(care.__all__)
    for name in care.__all__:
        assert hasattr(care, name), name


def test_render_has_every_section(kb):
    p = plan(kb, T.physio, [("meniscus_tear", 0.6), ("knee_osteoarthritis", 0.3)])
    text = render_plan_text(p)
    for heading in ("# Book a physiotherapy", "## What to do now", "## What to avoid",
                    "## When to get help", "## Pain relief", "## Treatment that may follow",
                    "## Home exercise programme (6 weeks)", "### Weeks 5-6"):
        assert heading in text, heading
    assert "995" in text


def test_render_emergency_has_no_programme(kb):
    text = render_plan_text(plan(kb, T.emergency_now, [("compartment_syndrome", 0.9)]))
    assert text.startswith("# Call 995")
    assert "Home exercise" not in text


def test_plan_round_trips_as_json(kb):
    p = plan(kb, T.self_care, [("leg_cramps", 0.8)], {"cramps_at_night"})
    again = CarePlan.model_validate_json(p.model_dump_json())
    assert again == p
    assert p.sources and all(s in kb.sources for s in p.sources)


def test_treatments_surgery_where_structural(kb):
    p = plan(kb, T.physio, [("meniscus_tear", 0.8)])
    names = {t.remedy for t in p.treatments_may_follow}
    assert {"physio_exercise", "meniscus_repair", "corticosteroid_injection"} <= names
    surgery = next(t for t in p.treatments_may_follow if t.remedy == "meniscus_repair")
    assert "other treatment has not helped" in surgery.why
    cramps = {t.remedy for t in plan(kb, T.self_care, [("leg_cramps", 0.9)]).treatments_may_follow}
    assert not cramps & {"arthroscopy", "meniscus_repair", "ligament_reconstruction"}
