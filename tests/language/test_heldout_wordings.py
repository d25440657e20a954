"""Wordings found misread by the held-out vignettes (tests/fixtures/heldout_vignettes.jsonl).

Each sentence here is written afresh, not copied from a vignette: the point is the general
wording (how people say a lump pulses, that one leg is bigger, that a bone is tender), read
with the packaged catalogue.
"""

from __future__ import annotations

import pytest

from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import extract_findings
from popliteal.language.pipeline import get_pipeline


def _present(text: str, finding_id: str, kb: KnowledgeBase) -> bool:
    found = extract_findings(text, kb).get(finding_id)
    return found is not None and found.present is True


def test_everyday_words_are_not_spell_corrected(catalogue: KnowledgeBase) -> None:
    # "hell" and "steep" fold to "heel" and "step" by their doubled letters
    text = "Twisted it at work and now it hurts like hell behind the knee."
    assert extract_findings(text, catalogue).get("heel_or_tendon_pain") is None
    assert extract_findings("My heel hurts in the morning.", catalogue).get("heel_or_tendon_pain")
    lexicon = get_pipeline(catalogue).lexicon
    assert lexicon.text_norm("hell") != lexicon.text_norm("heel")
    assert lexicon.text_norm("steep") != lexicon.text_norm("step")


@pytest.mark.parametrize(
    "text",
    [
        "There is a bump at the back of my knee and it pulses with my heartbeat.",
        "Behind the knee I can feel something that throbs with my heartbeat.",
        "The swelling there beats in time with my pulse.",
    ],
)
def test_pulsing_with_the_heartbeat(text: str, catalogue: KnowledgeBase) -> None:
    assert _present(text, "lump_pulsating", catalogue), text


def test_throbbing_pain_alone_is_no_pulsing_lump(catalogue: KnowledgeBase) -> None:
    assert extract_findings("My knee is hot and throbbing since last night.",
                            catalogue).get("lump_pulsating") is None


def test_a_swollen_artery_is_an_aneurysm_named(catalogue: KnowledgeBase) -> None:
    text = "The doctor said years ago I have an enlarged artery at the back of my knee."
    assert _present(text, "pulsing_behind_knee_noted", catalogue)


@pytest.mark.parametrize(
    "text",
    [
        "My right leg is more swollen than the left one.",
        "The left calf looks swollen next to the other.",
        "Since the flight one leg looks more swolen than the other.",
    ],
)
def test_one_leg_swollen_compared_with_the_other(text: str, catalogue: KnowledgeBase) -> None:
    assert _present(text, "calf_swelling", catalogue), text


def test_a_knee_compared_stays_a_knee(catalogue: KnowledgeBase) -> None:
    found = extract_findings("My knee looks more swollen than the other knee.", catalogue)
    assert found.get("calf_swelling") is None
    assert found.get("knee_swelling") is not None


def test_a_spelled_out_misspelling_is_still_corrected_elsewhere(catalogue: KnowledgeBase) -> None:
    # "swolen" is written in some catalogue phrases; it must still mean "swollen" in others
    assert _present("My ankle and lower leg are swolen today.", "calf_swelling", catalogue)


@pytest.mark.parametrize(
    ("typo", "word"),
    [("swolen", "swollen"), ("cist", "cyst"), ("psorasis", "psoriasis"),
     ("reumatoid", "rheumatoid"), ("rhuematoid", "rheumatoid"), ("arthiritis", "arthritis")],
)
def test_catalogue_misspellings_mean_the_word(typo: str, word: str,
                                              catalogue: KnowledgeBase) -> None:
    lexicon = get_pipeline(catalogue).lexicon
    assert lexicon.text_norm(typo) == lexicon.text_norm(word)


@pytest.mark.parametrize(
    "text",
    [
        "Since the fall the bony part on the outside just below my knee is very sore.",
        "The bone under the outer side of his knee is tender after the tackle.",
        "Fell off my bike; the bony bit below the outside of my knee is tender.",
    ],
)
def test_the_fibular_head_described(text: str, catalogue: KnowledgeBase) -> None:
    assert _present(text, "fibular_head_tender", catalogue), text


@pytest.mark.parametrize(
    "text",
    [
        "After she slipped it is very painful when you touch her kneecap.",
        "Hurts when I touch my kneecap since I fell on it.",
    ],
)
def test_the_kneecap_tender_to_touch(text: str, catalogue: KnowledgeBase) -> None:
    assert _present(text, "kneecap_tender", catalogue), text


@pytest.mark.parametrize(
    "text",
    [
        "The back of my left knee feels full, worse after a long walk.",
        "I get a full feeling behind my knee when I bend it right down.",
        "There is a soft swelling on the inner back of the knee.",
    ],
)
def test_fullness_or_soft_swelling_behind_the_knee(text: str, catalogue: KnowledgeBase) -> None:
    assert _present(text, "lump_behind_knee", catalogue), text


def test_a_lump_more_obvious_with_the_leg_straight(catalogue: KnowledgeBase) -> None:
    text = "The lump sticks out more when I straighten my leg, and when I bend it goes softer."
    assert _present(text, "lump_softer_when_bent", catalogue)


@pytest.mark.parametrize(
    "text",
    [
        "Walking to the bus stop my calf aches and I have to stop and stand for a few minutes.",
        "After a few hundred metres I need to stop and stand, then the ache goes off.",
    ],
)
def test_stopping_to_stand_until_the_calf_pain_passes(text: str,
                                                      catalogue: KnowledgeBase) -> None:
    assert _present(text, "pain_with_walking_eased_by_rest", catalogue), text


def test_a_cast_put_on(catalogue: KnowledgeBase) -> None:
    text = "They put a cast on at the clinic on Monday and now my calf is killing me."
    assert _present(text, "leg_in_cast_or_immobilised", catalogue)


@pytest.mark.parametrize(
    "text",
    ["The painkillers are not helping at all.",
     "Painkillers not working and the pain keeps building."],
)
def test_painkillers_that_do_not_help(text: str, catalogue: KnowledgeBase) -> None:
    assert _present(text, "pain_out_of_proportion", catalogue), text


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("My lower back has been bad for years.", "back_pain"),
        ("When I stand up the knee bends back more than the other one.",
         "knee_hyperextends_wobbly"),
        ("Both my knees look knobbly these days.", "bowed_legs_or_bony_knee"),
        ("I broke my shin bone playing rugby.", "injury"),
    ],
)
def test_other_plain_wordings(text: str, finding_id: str, catalogue: KnowledgeBase) -> None:
    assert _present(text, finding_id, catalogue), text


def test_the_back_of_the_knee_is_still_not_the_lower_back(catalogue: KnowledgeBase) -> None:
    assert extract_findings("The back of my knee has been bad.", catalogue).get("back_pain") is None


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("The outer side of my knee is not sore, it is all behind.", "pain_outer_knee"),
        ("Inside of the knee is fine, the ache is at the back.", "pain_inner_knee"),
        ("My kneecap is ok but the back of my knee hurts.", "pain_front_knee"),
    ],
)
def test_a_side_of_the_knee_said_to_be_fine(text: str, finding_id: str,
                                            catalogue: KnowledgeBase) -> None:
    found = extract_findings(text, catalogue).get(finding_id)
    assert found is None or found.present is False, text


def test_a_side_of_the_knee_that_hurts_less_still_hurts(catalogue: KnowledgeBase) -> None:
    assert _present("The outer side of my knee is sore.", "pain_outer_knee", catalogue)
