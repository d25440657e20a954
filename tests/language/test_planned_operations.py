"""An operation that is booked, planned, hoped for or possibly needed has not happened.

Sentences are our own. The future/planned cues live in ``data/context_rules.yaml`` (category
PLANNED) and what they do in ``data/modifier_policy.yaml``; they run here over a small
knowledge base built in the test and over the packaged catalogue.
"""

from __future__ import annotations

import pytest

from popliteal.knowledge.base import KnowledgeBase

from .kb_fixture import _f, kb_with, present, read

OPERATIONS = ("recent_surgery", "previous_knee_surgery", "knee_replacement")

MINE = [
    _f("recent_surgery", "clot_risk", ["surgery", "operation", "had surgery"], red_flag=True),
    _f("previous_knee_surgery", "health", ["knee surgery", "knee operation", "acl surgery",
                                           "knee op"]),
    _f("knee_replacement", "health", ["knee replacement", "had my knee replaced",
                                      "knee replaced"]),
    _f("calf_swelling", "calf", ["swollen calf", "calf is swollen"], red_flag=True),
]


@pytest.fixture(scope="module")
def kb5() -> KnowledgeBase:
    return kb_with(MINE, "test-language-planned-kb")



PLANNED = [
    "I'm booked for knee surgery in a fortnight.",
    "They have scheduled me for an ACL surgery.",
    "Still waiting for my knee replacement.",
    "I am going to have a knee operation soon.",
    "I will have knee surgery on Friday.",
    "The doctor says I might need a knee op.",
    "I need to have a knee replacement at some point.",
    "My knee surgery is next week.",
    "Knee replacement planned for the spring.",
    "The surgeon wants to do a knee replacement.",
    "I'm going to have my knee replaced.",
    "Next month I will get my knee replaced.",
]


@pytest.mark.parametrize("text", PLANNED)
def test_a_planned_operation_is_no_operation(text: str, kb5: KnowledgeBase) -> None:
    result = read(text, kb5)
    assert not any(present(result, fid) for fid in OPERATIONS), (text, result.findings)


@pytest.mark.parametrize(
    "text",
    [
        "I'm booked in for surgery on my knee next month.",
        "I might need an operation on the knee.",
        "The surgeon wants to operate after the new year.",
        "I'm on the waiting list for a knee replacement.",
    ],
)
def test_a_planned_operation_is_no_operation_in_the_catalogue(
        text: str, catalogue: KnowledgeBase) -> None:
    result = read(text, catalogue)
    assert not any(present(result, fid) for fid in OPERATIONS), (text, result.findings)


def test_a_past_operation_beside_a_planned_one_stays(kb5: KnowledgeBase) -> None:
    result = read("I had ACL surgery 6 weeks ago, and I'm booked for the other knee "
                  "next year.", kb5)
    assert present(result, "previous_knee_surgery"), result.findings
    assert present(result, "recent_surgery"), result.findings


def test_past_operations_are_unchanged(kb5: KnowledgeBase) -> None:
    result = read("I had ACL surgery 6 weeks ago.", kb5)
    assert present(result, "previous_knee_surgery") and present(result, "recent_surgery")
    old = read("My knee replaced five years ago.", kb5).get("knee_replacement")
    assert old is not None and old.present and "historical" in old.modifiers
    none = read("No surgery.", kb5).get("recent_surgery")
    assert none is not None and none.present is False


def test_a_possible_cause_is_no_planned_operation(kb5: KnowledgeBase) -> None:
    result = read("It could be from my knee replacement.", kb5)
    assert present(result, "knee_replacement"), result.findings


def test_a_planned_cue_leaves_symptoms_alone(kb5: KnowledgeBase) -> None:
    result = read("I'm booked for a scan next week because my calf is swollen.", kb5)
    assert present(result, "calf_swelling"), result.findings
    result = read("Waiting for the swollen calf to settle.", kb5)
    assert present(result, "calf_swelling"), result.findings
    assert all("planned" not in f.modifiers for f in result.findings), result.findings
