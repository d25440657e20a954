"""When an operation was, a tense calf versus a tight one, shared words that are no shared
words, and pain spreading from the back down the leg.

Sentences are our own. The generic rules (times in ``data/modifier_policy.yaml``,
coordination, ``data/body.yaml``) run over a small knowledge base built here, so what is
tested is the rule, not the packaged catalogue's phrases; the tense-calf tests read the
packaged catalogue, whose phrases they check.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import pytest
import yaml

from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import numbers as n

from .kb_fixture import _f, kb_with, present, read

MINE = [
    _f("recent_surgery", "clot_risk", ["surgery", "operation", "had surgery", "operated on"],
       red_flag=True),
    _f("previous_knee_surgery", "health", ["knee surgery", "knee operation", "acl surgery",
                                           "had my knee scoped", "knee op"]),
    _f("knee_replacement", "health", ["knee replacement", "had my knee replaced"]),
    _f("pain_severe", "pain", ["excruciating", "worst pain", "pain pain"]),
    _f("back_pain", "back", ["back pain", "my back hurts", "lower back pain"]),
    _f("pain_from_back_down_leg", "location", ["sciatica"]),
    _f("calf_swelling", "calf", ["swollen calf", "calf is swollen", "swelling of the calf"],
       red_flag=True),
    _f("calf_warm_red", "calf", ["redness", "red calf"], red_flag=True),
]


@pytest.fixture(scope="module")
def kb4() -> KnowledgeBase:
    return kb_with(MINE, "test-language-times-kb")



# --------------------------------------------------------------- 1. when the operation was


@pytest.mark.parametrize(
    "text",
    [
        "I had ACL surgery 6 weeks ago.",
        "Knee operation last month, and now the calf is sore.",
        "I had my knee replaced three weeks ago.",
        "Ten days ago I had my knee scoped.",
        "My knee surgery was a few weeks ago.",
        "I recently had knee surgery on the left side.",
        "It has been 4 weeks since my knee replacement.",
        "Two months ago, I had a knee op.",
    ],
)
def test_an_operation_within_twelve_weeks_is_recent_surgery(text: str,
                                                            kb4: KnowledgeBase) -> None:
    result = read(text, kb4)
    assert present(result, "recent_surgery"), (text, result.findings)


def test_a_recent_knee_operation_is_still_a_knee_operation(kb4: KnowledgeBase) -> None:
    result = read("I had ACL surgery 6 weeks ago.", kb4)
    assert present(result, "previous_knee_surgery"), result.findings
    assert result.get("recent_surgery").evidence == "ACL surgery 6 weeks ago"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "I had knee surgery 5 years ago.",
        "I had ACL surgery last year.",
        "Knee operation about 14 weeks ago.",
        "I had knee surgery and the pain started two weeks ago.",
        "My mum had knee surgery three weeks ago.",
        "I had my knee replaced 4 months ago.",
    ],
)
def test_an_operation_longer_ago_or_not_mine_is_not_recent(text: str,
                                                           kb4: KnowledgeBase) -> None:
    result = read(text, kb4)
    assert not present(result, "recent_surgery"), (text, result.findings)


def test_an_operation_said_to_be_months_ago_is_history(kb4: KnowledgeBase) -> None:
    result = read("I had an operation six months ago.", kb4)
    assert result.get("recent_surgery") is None, result.findings
    old = result.get("previous_knee_surgery")
    assert old is not None and "historical" in old.modifiers, result.findings


def test_an_uncertain_recent_operation_stays_uncertain(kb4: KnowledgeBase) -> None:
    found = read("Maybe I had knee surgery a month ago.", kb4).get("recent_surgery")
    assert found is not None and found.present and found.modifiers == ["uncertain"]


def test_a_denied_operation_is_not_made_recent(kb4: KnowledgeBase) -> None:
    found = read("No surgery recently.", kb4).get("recent_surgery")
    assert found is not None and found.present is False


def test_the_time_of_an_operation_is_not_the_onset(kb4: KnowledgeBase) -> None:
    result = read("I had ACL surgery 6 weeks ago and my calf has been swollen since "
                  "yesterday.", kb4)
    onset = result.get("days_since_onset")
    assert onset is not None and onset.value == 1.0, result.findings
    assert present(result, "onset_recent"), result.findings
    result = read("I had ACL surgery 6 weeks ago.", kb4)
    assert result.get("days_since_onset") is None, result.findings


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("surgery 6 weeks ago", 42),
        ("operated on last month", 30),
        ("three weeks since my op", 21),
        ("a couple of weeks back", 14),
        ("recently had it done", n.RECENTLY_DAYS),
        ("years ago", 730),
    ],
)
def test_times_ago(text: str, days: float) -> None:
    found = n.times_ago(text)
    assert [m.value for m in found] == [days], text


# --------------------------------------------------------------- 2. tense, not just tight


@pytest.mark.parametrize(
    "text",
    [
        "My calf is tight.",
        "My calf feels tight when I stretch it before a run.",
        "Tight calves after the half marathon.",
        "The calf muscle is very tight and a bit sore.",
        "My shin is very tight after football.",
        "My knee is swollen and tight.",
        "My knee is huge today. It is swollen and tight.",
    ],
)
def test_a_tight_muscle_is_not_a_tense_compartment(text: str,
                                                   catalogue: KnowledgeBase) -> None:
    assert read(text, catalogue).get("calf_tense_hard") is None, text


@pytest.mark.parametrize(
    "text",
    [
        "My calf is tense.",
        "The calf went rock hard overnight.",
        "My calf is hard and swollen.",
        "My calf is swollen and tight.",
        "The calf feels tight and swollen.",
        "The skin over my shin is tight and shiny.",
        "My lower leg is swollen and tense.",
        "It is swollen and tight.",
    ],
)
def test_a_tense_hard_or_swollen_tight_calf_is_the_red_flag(
        text: str, catalogue: KnowledgeBase) -> None:
    assert present(read(text, catalogue), "calf_tense_hard"), text


def test_swollen_and_tight_is_still_swollen(catalogue: KnowledgeBase) -> None:
    # a list inside a phrase states each of its items
    result = read("My calf is swollen and tight.", catalogue)
    assert present(result, "calf_swelling"), result.findings
    result = read("The front of my shin is swollen and tight.", catalogue)
    assert present(result, "calf_swelling"), result.findings


# --------------------------------------------------------------- 3. no shared words


def test_two_pains_are_not_a_word_said_twice(kb4: KnowledgeBase) -> None:
    result = read("Back pain and knee pain for a month.", kb4)
    assert present(result, "back_pain"), result.findings
    assert result.get("pain_severe") is None, result.findings
    assert present(read("Pain pain lah, cannot sleep.", kb4), "pain_severe")


@pytest.mark.parametrize(
    "text",
    [
        "My back hurts and the back of my knee too.",
        "My back hurts and so does my knee.",
        "It hurts and the back of my knee is stiff.",
    ],
)
def test_a_clause_does_not_take_another_conjuncts_object(text: str,
                                                         kb4: KnowledgeBase) -> None:
    assert read(text, kb4).get("injury") is None, text


def test_shared_objects_are_still_shared(kb4: KnowledgeBase) -> None:
    result = read("I twisted and hurt my knee at futsal.", kb4)
    assert present(result, "twisting_injury"), result.findings
    assert present(result, "injury"), result.findings
    result = read("There is swelling and redness of the calf.", kb4)
    assert present(result, "calf_swelling"), result.findings


# --------------------------------------------------------------- 4. from the back down the leg


@pytest.mark.parametrize(
    "text",
    [
        "I get pain from my back down the back of my leg.",
        "It shoots from my lower back down to my knee.",
        "The ache runs from my lower back all the way into my calf.",
        "Burning from the low back through to my foot when I sit.",
    ],
)
def test_pain_from_the_back_down_the_leg(text: str, kb4: KnowledgeBase) -> None:
    result = read(text, kb4)
    assert present(result, "back_pain"), (text, result.findings)
    assert present(result, "pain_from_back_down_leg"), (text, result.findings)


def test_aches_is_a_pain_word_in_every_phrase(kb4: KnowledgeBase) -> None:
    # "aches" folds to "ach", which no phrase written with "pain" or "ache" had
    assert present(read("My back aches most days.", kb4), "back_pain")


def test_back_pain_shooting_down_the_leg_spreads(kb4: KnowledgeBase) -> None:
    result = read("My lower back pain shoots down into my thigh.", kb4)
    assert present(result, "pain_from_back_down_leg"), result.findings


@pytest.mark.parametrize(
    "text",
    [
        "Pain from the back of my knee down to my calf.",
        "I rolled from my back onto my side and my knee hurt.",
        "My back aches, but the pain behind my knee goes down to my calf.",
    ],
)
def test_no_spreading_from_the_back(text: str, kb4: KnowledgeBase) -> None:
    assert read(text, kb4).get("pain_from_back_down_leg") is None, text


def test_back_pain_that_now_goes_down_to_the_knee_spreads(kb4: KnowledgeBase) -> None:
    # This sentence was a case of no spreading while only "from <origin> down" was read;
    # "it" is the back pain, and pain going down to the knee comes from above it (see
    # language/spreading.py), so it is the sciatica pattern.
    result = read("My back pain came back, but now it goes down to my knee.", kb4)
    assert present(result, "pain_from_back_down_leg"), result.findings


def test_denied_spreading_is_absent(kb4: KnowledgeBase) -> None:
    found = read("No pain from my back down my leg.", kb4).get("pain_from_back_down_leg")
    assert found is not None and found.present is False


# --------------------------------------------------------------- the catalogue has the ids


@lru_cache(maxsize=2)
def _data(name: str) -> dict[str, Any]:
    raw = (resources.files("popliteal.language") / "data" / name).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def test_the_rules_name_findings_of_the_catalogue(catalogue: KnowledgeBase) -> None:
    body, policy = _data("body.yaml"), _data("modifier_policy.yaml")
    ids = {f for g in body["spreading"]["origins"] for f in g["findings"]}
    ids |= set(body["attach_earlier"])
    for target, rule in policy["timed"]["findings"].items():
        ids |= {target, *rule["said_with"]}
    assert ids - set(catalogue.findings) == set()
