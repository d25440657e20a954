"""General wordings found missing by the dev vignettes (tests/fixtures/dev_vignettes.jsonl).

Over a small knowledge base built here, so the rules tested are the lexicon's (the words
"whenever", "every time", and pronouns for someone else), not the packaged catalogue's
phrases. One test reads the packaged catalogue: "the back of my knee" (where every patient
here hurts) must not be read as a knee that bends backwards.
"""

from __future__ import annotations

import pytest

from popliteal.knowledge import load_knowledge_base
from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import extract_findings

from .kb_fixture import FINDINGS, _f, make_kb

EXTRA = [
    _f("pain_on_squatting", "pain", ["when i squat"]),
    _f("pain_at_night", "pain", ["wakes me up"]),
    _f("unable_to_bear_weight", "mechanics", ["i can't walk"]),
]


@pytest.fixture(scope="module")
def words_kb() -> KnowledgeBase:
    return make_kb([*FINDINGS, *EXTRA], "test-general-wordings")


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("It hurts whenever I squat.", "pain_on_squatting"),
        ("Pain every time I squat down.", "pain_on_squatting"),
        ("My son says it hurts when he squats.", "pain_on_squatting"),
        ("The pain wakes him up most nights.", "pain_at_night"),
        ("It wakes them up.", "pain_at_night"),
        ("Since the fall she can't walk.", "unable_to_bear_weight"),
    ],
)
def test_other_triggers_and_people(text: str, finding_id: str, words_kb: KnowledgeBase) -> None:
    found = extract_findings(text, words_kb).get(finding_id)
    assert found is not None and found.present is True, text


def test_pronoun_variants_still_negate(words_kb: KnowledgeBase) -> None:
    found = extract_findings("He has no trouble at night, nothing wakes him up.", words_kb)
    assert found.get("pain_at_night") is None or found.get("pain_at_night").present is False


@pytest.mark.parametrize(
    "text",
    [
        "It hurts at the back of the knee.",
        "Pain at the back of my left knee when I walk.",
        "My calf and the back of my knee ache.",
    ],
)
def test_back_of_knee_is_not_hyperextension(text: str) -> None:
    found = extract_findings(text, load_knowledge_base()).get("knee_hyperextends_wobbly")
    assert found is None, text


def test_knee_bending_backwards_is_still_read() -> None:
    found = extract_findings("My knee bends backwards too much when I stand.",
                             load_knowledge_base()).get("knee_hyperextends_wobbly")
    assert found is not None and found.present is True


@pytest.mark.parametrize(("text", "event"), [
    ("Climbing stairs hurts my knee.", "injury"),
    ("It hurts my leg when I kneel.", "injury"),
    ("Running downhill hurts my knee a lot.", "injury"),
    ("My knee twists when I turn quickly.", "twisting_injury"),
    ("It pops when I squat.", "pop_at_injury"),
    ("My knee bends backwards sometimes.", "hyperextension_injury"),
    ("It hurts when I land from a jump.", "landing_injury"),
    ("Every time I push off it hurts.", "pushoff_injury"),
    ("It hurts when I twist my knee.", "twisting_injury"),
])
def test_a_verb_in_the_present_is_no_past_event(text: str, event: str) -> None:
    """The packaged catalogue's "hurt my knee", "knee twisted" and "pop" name an event; the
    present forms share their normal forms, so modifier_policy.yaml's present_tense drops
    the match."""
    assert extract_findings(text, load_knowledge_base()).get(event) is None, text


@pytest.mark.parametrize(("text", "event"), [
    ("I hurt my knee playing football.", "injury"),
    ("Hurt my knee last week, now pain behind it.", "injury"),
    ("My knee twisted when I landed.", "twisting_injury"),
    ("I felt a pop and my knee swelled up.", "pop_at_injury"),
    ("My knee bent backwards in a tackle on Saturday.", "hyperextension_injury"),
    ("It started when I landed badly from a jump.", "landing_injury"),
    ("The pain struck when I pushed off.", "pushoff_injury"),
    ("It started when I twisted my knee at futsal.", "twisting_injury"),
])
def test_the_same_verb_in_the_past_is_still_the_event(text: str, event: str) -> None:
    found = extract_findings(text, load_knowledge_base()).get(event)
    assert found is not None and found.present, text


@pytest.mark.parametrize("text", ["I can't fully straighten my knee since the fall.",
                                  "After a fall on the stairs my knee is swollen.",
                                  "Since my fall last week, the back of my knee hurts."])
def test_a_fall_said_as_a_noun_is_a_fall(text: str) -> None:
    """The catalogue named a fall by its verb ("I fell", "had a fall"); the noun after
    "since", "after" or "from" is the same event, and "a fall on the stairs" is no pain
    on stairs."""
    found = extract_findings(text, load_knowledge_base())
    fall = found.get("fall_or_direct_blow")
    assert fall is not None and fall.present, text
    assert found.get("pain_on_stairs") is None, text


@pytest.mark.parametrize(("text", "finding_id"), [
    ("The swelling came on straight away after the injury.", "swelling_within_hours"),
    ("My knee was swollen straight away.", "swelling_within_hours"),
    ("The pain is worse in the morning and eases after I walk around.",
     "morning_stiffness_short"),
])
def test_everyday_wordings_of_catalogue_findings(text: str, finding_id: str) -> None:
    found = extract_findings(text, load_knowledge_base()).get(finding_id)
    assert found is not None and found.present, text
