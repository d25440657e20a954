"""The physio summary: triage first, rule items, the patient's own words, ranked causes."""

from __future__ import annotations

import re

import pytest

from popliteal.clinics import physio_summary_markdown
from popliteal.knowledge.schema import TriageLevel
from popliteal.results import (
    AssessmentResult,
    Contribution,
    FindingResult,
    RankedCondition,
    ScoreItemResult,
    ScoreResult,
    TriageReason,
    TriageResult,
)


def _condition(cid: str, name: str, p: float, urgency: TriageLevel) -> RankedCondition:
    return RankedCondition(
        id=cid,
        name=name,
        probability=p,
        urgency=urgency,
        prior=0.05,
        reasons_for=[
            Contribution(
                finding="calf_swelling",
                label="Calf swelling",
                present=True,
                likelihood_ratio=4.2,
                p_condition=0.8,
                p_baseline=0.19,
            )
        ],
        reasons_against=[
            Contribution(
                finding="fever",
                label="Fever",
                present=False,
                likelihood_ratio=0.55,
                p_condition=0.5,
                p_baseline=0.1,
            )
        ],
    )


@pytest.fixture
def result() -> AssessmentResult:
    conditions = [
        _condition(
            "deep_vein_thrombosis", "Deep vein thrombosis", 0.46, TriageLevel.urgent_same_day
        ),
        _condition("ruptured_bakers_cyst", "Ruptured Baker's cyst", 0.22, TriageLevel.doctor_soon),
        _condition("bakers_cyst", "Baker's cyst", 0.12, TriageLevel.physio),
        _condition("calf_strain", "Calf strain", 0.08, TriageLevel.physio),
        _condition("gastrocnemius_tear", "Medial gastrocnemius tear", 0.05, TriageLevel.physio),
        _condition("leg_cramps", "Leg cramps", 0.004, TriageLevel.self_care),
    ]
    wells = ScoreResult(
        id="wells_dvt",
        title="Wells score for DVT",
        total=2,
        band="DVT likely",
        complete=False,
        items=[
            ScoreItemResult(label="Entire leg swollen", points=1, met=True),
            ScoreItemResult(label="Calf swelling >3 cm vs other leg", points=1, met=True),
            ScoreItemResult(label="Active cancer", points=1, met=False),
            ScoreItemResult(label="Alternative diagnosis at least as likely", points=-2, met=None),
        ],
    )
    return AssessmentResult(
        age=67,
        sex="female",
        knowledge_version="0.3.1+abc123",
        conditions=conditions,
        triage=TriageResult(
            level=TriageLevel.urgent_same_day,
            reasons=[
                "Your calf is swollen and painful after a long flight: "
                "a clot must be ruled out today."
            ],
            details=[
                TriageReason(
                    rule="dvt_wells_likely",
                    level=TriageLevel.urgent_same_day,
                    patient="See a doctor today.",
                    clinician="Wells >= 2: D-dimer / duplex ultrasound today.",
                )
            ],
            scores=[wells],
        ),
        findings=[
            FindingResult(
                id="calf_swelling",
                label="Calf swelling",
                present=True,
                source="text",
                evidence="my calf is swollen | and tight",
                red_flag=True,
            ),
            FindingResult(
                id="recent_long_travel",
                label="Recent long-haul travel",
                present=True,
                source="text",
                evidence="flew back from London on Sunday",
            ),
            FindingResult(id="fever", label="Fever", present=False, source="answer", evidence="no"),
            FindingResult(id="trauma", label="Injury", present=None, source="answer"),
        ],
        unparsed_sentences=["My <b>cat</b> sat on it."],
    )


def test_summary_contents(result: AssessmentResult) -> None:
    md = physio_summary_markdown(result, plan_text="- See a doctor today\n- **Do not** massage")
    assert md.startswith("# Physiotherapy summary: 67-year-old female")
    # Triage, with reasons and the clinician's note
    assert "## Triage: urgent_same_day" in md
    assert "a clot must be ruled out today" in md
    assert "D-dimer / duplex ultrasound today" in md
    # Wells items with points and status, incomplete flagged
    assert "### Wells score for DVT: 2 (DVT likely; INCOMPLETE" in md
    assert "| Entire leg swollen | +1 | yes |" in md
    assert "| Active cancer | +1 | no |" in md
    assert "| Alternative diagnosis at least as likely | -2 | not answered |" in md
    # Findings with the patient's words (pipe escaped so the table survives)
    assert "“my calf is swollen \\| and tight”" in md
    assert "“flew back from London on Sunday”" in md
    assert "**(red flag)**" in md
    assert "### Absent" in md
    assert "Not known: Injury." in md
    # Causes: top 5 only, probabilities and LRs
    assert "## Likely causes (top 5 of 6)" in md
    assert "| 1 | Deep vein thrombosis | 46% |" in md
    assert "Leg cramps" not in md
    assert "Calf swelling: yes (LR 4.2)" in md
    assert "Fever: no (LR 0.55)" in md
    # Plan kept as Markdown; unparsed text escaped (no raw HTML)
    assert "- **Do not** massage" in md
    assert "\\<b>cat\\</b>" in md
    assert re.search(r"(?<!\\)<", md) is None  # no raw HTML can open
    assert "Knowledge base version: 0.3.1+abc123" in md
    assert "This is not a diagnosis" in md


def test_order_triage_before_findings_before_causes(result: AssessmentResult) -> None:
    md = physio_summary_markdown(result)
    assert md.index("## Triage") < md.index("## Findings") < md.index("## Likely causes")
    assert md.index("## Likely causes") < md.index("## Plan given")


def test_without_plan_or_scores(result: AssessmentResult) -> None:
    bare = result.model_copy(
        update={
            "triage": TriageResult(level=TriageLevel.self_care, reasons=["Mild, no red flags."]),
            "unparsed_sentences": [],
        }
    )
    md = physio_summary_markdown(bare)
    assert "(no plan attached to this summary)" in md
    assert "###" not in md.split("## Findings")[0]  # no score headings
    assert "not understood" not in md
    assert "Self-care" in md


def test_tables_have_consistent_columns(result: AssessmentResult) -> None:
    """Every table row has as many cells as its header, even with '|' in patient words."""
    md = physio_summary_markdown(result)
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            width = lines[i - 1].count(" | ")
            j = i + 1
            while j < len(lines) and lines[j].startswith("| "):
                assert lines[j].replace("\\|", "").count(" | ") == width, lines[j]
                j += 1


def test_answers_unquoted_text_quoted_and_rule_ids_as_code(result: AssessmentResult) -> None:
    md = physio_summary_markdown(result)
    assert "| Fever | answer | no |" in md
    assert "| `dvt_wells_likely` |" in md
