"""Numbers and times: onset, pain score, stiffness, travel, side, age, with their spans."""

from __future__ import annotations

import pytest

from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import extract_findings
from popliteal.language import numbers as n


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("It started 3 days ago.", 3),
        ("Pain for two weeks now.", 14),
        ("The pain started since yesterday.", 1),
        ("I hurt it last weekend.", 3),
        ("Knee has been aching for months.", 90),
        ("Pain for 6 months.", 180),
        ("Pain on and off for years.", 730),
        ("Started a couple of days ago.", 2),
        ("pain 3days already", 3),
        ("Aching for the past 2-3 weeks.", 17.5),
        ("Hurt it this morning.", 0),
        ("It has been painful for about a week", 7),
        # a crash dates the injury, though a vehicle is named just before the time
        ("Car accident 2 weeks ago, now pain behind my knee.", 14),
        ("Pain behind my knee since a car accident two weeks ago.", 14),
        ("I was hit by a bus 3 days ago and my knee hurts.", 3),
    ],
)
def test_days_since_onset(text: str, days: float) -> None:
    mention = n.days_since_onset(text)
    assert mention is not None, text
    assert mention.value == pytest.approx(days)
    assert text[mention.start:mention.end]


@pytest.mark.parametrize(
    "text",
    [
        "I am 17 years old and play football.",
        "I have played football for 10 years.",
        "I run 3 days a week.",
        "I had a DVT 5 years ago.",
        "My marathon is in 2 weeks.",
        "I flew 14 hours.",
        "and then it was fine",
        "A long car journey 2 days ago.",  # the journey's time, not the pain's
        "I took the train 5 days ago.",
    ],
)
def test_not_an_onset(text: str) -> None:
    assert n.days_since_onset(text) is None, text


@pytest.mark.parametrize(
    ("text", "score"),
    [("Pain is 7/10.", 7), ("pain 8 out of 10", 8), ("I'd rate it a 6", 6),
     ("eight out of ten", 8), ("pain score of 9", 9), ("around 5 / 10 at rest", 5)],
)
def test_pain_score(text: str, score: float) -> None:
    mention = n.pain_score(text)
    assert mention is not None and mention.value == score, text


@pytest.mark.parametrize("text", ["pain for 3 days", "pain at 11 pm", "12/10 pain", "walked 2 km"])
def test_not_a_pain_score(text: str) -> None:
    assert n.pain_score(text) is None, text


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("Stiff for about an hour in the morning.", 60),
        ("In the morning it is stiff for 45 minutes", 45),
        ("Morning stiffness lasting half an hour.", 30),
        ("stiff for a few minutes when I get up", 3),
        ("stiff for 2 hours after waking", 120),
    ],
)
def test_morning_stiffness(text: str, minutes: float) -> None:
    mention = n.morning_stiffness_minutes(text)
    assert mention is not None and mention.value == minutes, text


def test_stiffness_needs_morning() -> None:
    assert n.morning_stiffness_minutes("stiff for 20 minutes after sitting") is None


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("after a 12 hour flight", 12),
        ("I flew 14 hours from London.", 14),
        ("a 6 hr drive to KL", 6),
        ("sat in the car for 5 hours", 5),
        ("Two flights, 7 hours and 13 hours on the plane.", 13),
    ],
)
def test_travel_hours(text: str, hours: float) -> None:
    mention = n.travel_hours(text)
    assert mention is not None and mention.value == hours, text


@pytest.mark.parametrize(
    ("text", "which"),
    [
        ("pain behind my left knee", "left"),
        ("Right calf is swollen", "right"),
        ("both knees hurt", "both"),
        ("pain in the back of my right leg", "right"),
        ("it hurts on the left side", "left"),
        ("L knee pain", "left"),
    ],
)
def test_side(text: str, which: str) -> None:
    mention = n.side(text)
    assert mention is not None and mention.value == which, text


@pytest.mark.parametrize("text", ["I left work early", "turn right at the lights", "right away"])
def test_not_a_side(text: str) -> None:
    assert n.side(text) is None


@pytest.mark.parametrize(("text", "years"), [("I'm 54", 54), ("54 year old man", 54),
                                             ("aged 17", 17), ("I am 70 years old", 70)])
def test_age(text: str, years: int) -> None:
    mention = n.age(text)
    assert mention is not None and mention.value == years


def test_numbers_become_findings_with_implications(kb: KnowledgeBase) -> None:
    text = "Pain 9/10 for 3 days, stiff for an hour every morning, after a 12-hour flight."
    result = extract_findings(text, kb)
    assert result.get("pain_score").value == 9  # type: ignore[union-attr]
    assert result.get("pain_severe").present is True  # type: ignore[union-attr]
    assert result.get("pain_severe").implied_by == "pain_score"  # type: ignore[union-attr]
    assert result.get("days_since_onset").value == 3  # type: ignore[union-attr]
    assert result.get("onset_recent").present is True  # type: ignore[union-attr]
    assert result.get("symptoms_over_6_weeks").present is False  # type: ignore[union-attr]
    assert result.get("morning_stiffness_minutes").value == 60  # type: ignore[union-attr]
    assert result.get("morning_stiffness_long").present is True  # type: ignore[union-attr]
    assert result.get("morning_stiffness_short").present is False  # type: ignore[union-attr]
    assert result.get("travel_hours").value == 12  # type: ignore[union-attr]
    assert result.get("long_travel").present is True  # type: ignore[union-attr]
    for f in result.findings:
        assert text[f.start:f.end] == f.evidence


def test_side_choice_implies_its_findings(kb: KnowledgeBase) -> None:
    result = extract_findings("Both knees are swollen.", kb)
    assert result.get("side").value == "both"  # type: ignore[union-attr]
    assert result.get("both_knees").present is True  # type: ignore[union-attr]


def test_age_is_reported_and_its_sentence_is_not_unparsed(kb: KnowledgeBase) -> None:
    result = extract_findings("I am 54 years old. My knee is swollen.", kb)
    assert result.age == 54
    assert result.unparsed_sentences == []


def test_moderate_pain_denies_severe(kb: KnowledgeBase) -> None:
    result = extract_findings("pain about 5/10", kb)
    assert result.get("pain_severe").present is False  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["A few nights a week my calf cramps.",
                                  "I train 3 times a week and it hurts."])
def test_frequency_is_not_an_onset(text: str) -> None:
    assert n.days_since_onset(text) is None, text
