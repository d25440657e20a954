"""Wordings found missing in the accuracy work, read with the packaged catalogue.

Each sentence is our own; each names a general way patients put things (an Ottawa item said
without "90 degrees", the place a blow landed, counted episodes, a muscle "pulled" or
"tweaked", a race done without training), not a case from an evaluation set.
"""

from __future__ import annotations

import pytest

from popliteal.knowledge.base import KnowledgeBase

from .kb_fixture import present, read


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        # the Ottawa item without "90 degrees"; partial loss of bend stays end-range pain
        ("Since the fall I can't bend it more than a little.", "unable_to_bend_90"),
        ("Even with help I can't bend it 20 degrees.", "unable_to_bend_90"),
        ("I can't bend my knee all the way.", "pain_on_full_bend"),
        # where the blow landed is the mechanism, not the place that hurts
        ("A boot caught the outside of my knee at futsal.", "blow_to_outer_knee"),
        ("His knee hit the inner side of my knee in the tackle.", "blow_to_inner_knee"),
        # episodes counted
        ("My calf knotted up three times in the night.", "recurrent_episodes"),
        ("I get them most nights.", "recurrent_episodes"),
        # muscle pulls are injuries, and name their place
        ("I pulled my calf at tennis.", "injury"),
        ("I tweaked my hamstring sprinting.", "injury"),
        ("I tweaked my hamstring sprinting.", "pain_back_of_thigh"),
        ("I felt something tear in my calf.", "pain_calf"),
        ("After that I couldn't run for weeks.", "stopped_activity"),
        # a load spike
        ("I ran a 10k on Sunday without really training.", "recent_activity_increase"),
        ("We started route marches last month.", "recent_activity_increase"),
        ("It gets worse with every walk.", "pain_worse_with_activity"),
        ("Now it throbs at night.", "pain_at_night"),
        # a cramp let go by standing on it
        ("I had to stand on the floor to get it to let go.", "cramp_eased_by_stretch"),
    ],
)
def test_accuracy_wordings(text: str, finding_id: str, catalogue: KnowledgeBase) -> None:
    assert present(read(text, catalogue), finding_id), text


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        # "each time"/"whenever" is a trigger ("when"), not a count of episodes
        ("It also happens when I do calf raises.", "recurrent_episodes"),
        # "twice the size" is swelling, not two episodes
        ("My calf is twice the size of the other.", "recurrent_episodes"),
    ],
)
def test_accuracy_wordings_not_misread(text: str, finding_id: str,
                                       catalogue: KnowledgeBase) -> None:
    assert not present(read(text, catalogue), finding_id), text
