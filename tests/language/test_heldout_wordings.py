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

from .kb_fixture import present, read


def _present(text: str, finding_id: str, kb: KnowledgeBase) -> bool:
    return present(read(text, kb), finding_id)


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        # a lump pulsing with the heartbeat
        ("There is a bump at the back of my knee and it pulses with my heartbeat.",
         "lump_pulsating"),
        ("Behind the knee I can feel something that throbs with my heartbeat.",
         "lump_pulsating"),
        ("The swelling there beats in time with my pulse.", "lump_pulsating"),
        # one leg swollen compared with the other
        ("My right leg is more swollen than the left one.", "calf_swelling"),
        ("The left calf looks swollen next to the other.", "calf_swelling"),
        ("Since the flight one leg looks more swolen than the other.", "calf_swelling"),
        # the fibular head described (an Ottawa item)
        ("Since the fall the bony part on the outside just below my knee is very sore.",
         "fibular_head_tender"),
        ("The bone under the outer side of his knee is tender after the tackle.",
         "fibular_head_tender"),
        ("Fell off my bike; the bony bit below the outside of my knee is tender.",
         "fibular_head_tender"),
        # the kneecap tender to touch (an Ottawa item)
        ("After she slipped it is very painful when you touch her kneecap.", "kneecap_tender"),
        ("Hurts when I touch my kneecap since I fell on it.", "kneecap_tender"),
        # fullness or a soft swelling behind the knee
        ("The back of my left knee feels full, worse after a long walk.", "lump_behind_knee"),
        ("I get a full feeling behind my knee when I bend it right down.", "lump_behind_knee"),
        ("There is a soft swelling on the inner back of the knee.", "lump_behind_knee"),
        # stopping to stand until the calf pain passes
        ("Walking to the bus stop my calf aches and I have to stop and stand for a few minutes.",
         "pain_with_walking_eased_by_rest"),
        ("After a few hundred metres I need to stop and stand, then the ache goes off.",
         "pain_with_walking_eased_by_rest"),
        # painkillers that do not help
        ("The painkillers are not helping at all.", "pain_out_of_proportion"),
        ("Painkillers not working and the pain keeps building.", "pain_out_of_proportion"),
        # other plain wordings
        ("My lower back has been bad for years.", "back_pain"),
        ("When I stand up the knee bends back more than the other one.",
         "knee_hyperextends_wobbly"),
        ("Both my knees look knobbly these days.", "bowed_legs_or_bony_knee"),
        ("I broke my shin bone playing rugby.", "injury"),
    ],
)
def test_plain_wordings_are_read(text: str, finding_id: str, catalogue: KnowledgeBase) -> None:
    assert _present(text, finding_id, catalogue), text


def test_everyday_words_are_not_spell_corrected(catalogue: KnowledgeBase) -> None:
    # "hell" and "steep" fold to "heel" and "step" by their doubled letters
    text = "Twisted it at work and now it hurts like hell behind the knee."
    assert extract_findings(text, catalogue).get("heel_or_tendon_pain") is None
    assert extract_findings("My heel hurts in the morning.", catalogue).get("heel_or_tendon_pain")
    lexicon = get_pipeline(catalogue).lexicon
    assert lexicon.text_norm("hell") != lexicon.text_norm("heel")
    assert lexicon.text_norm("steep") != lexicon.text_norm("step")



def test_throbbing_pain_alone_is_no_pulsing_lump(catalogue: KnowledgeBase) -> None:
    assert extract_findings("My knee is hot and throbbing since last night.",
                            catalogue).get("lump_pulsating") is None


def test_a_swollen_artery_is_an_aneurysm_named(catalogue: KnowledgeBase) -> None:
    text = "The doctor said years ago I have an enlarged artery at the back of my knee."
    assert _present(text, "pulsing_behind_knee_noted", catalogue)



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





def test_a_lump_more_obvious_with_the_leg_straight(catalogue: KnowledgeBase) -> None:
    text = "The lump sticks out more when I straighten my leg, and when I bend it goes softer."
    assert _present(text, "lump_softer_when_bent", catalogue)



def test_a_cast_put_on(catalogue: KnowledgeBase) -> None:
    text = "They put a cast on at the clinic on Monday and now my calf is killing me."
    assert _present(text, "leg_in_cast_or_immobilised", catalogue)




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
