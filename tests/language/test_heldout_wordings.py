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
