"""Which part of which body part: regions ("the back of the knee" is not the lower back),
sides ("more on the inside" is the inner side of the part being talked about), tenderness of
a muscle, and an old ACL tear.

Sentences are our own. Most run over a small knowledge base built here, so what is tested
is the generic rules (``data/body.yaml``, the lexicon, coordination), not the packaged
catalogue's phrases; the ACL tests read the packaged catalogue, whose phrases they check.
"""

from __future__ import annotations

import pytest

from popliteal.knowledge.base import KnowledgeBase

from .kb_fixture import FINDINGS, _f, make_kb, present, read

EXTRA = [
    _f("back_pain", "back", ["back pain", "my back hurts", "pain in my back", "lower back pain",
                             "pain in my lower back", "sore back"]),
    _f("pain_front_knee", "location", ["front of the knee", "front of my knee"]),
    _f("pain_inner_knee", "location", ["inner knee pain", "pain on the inside"]),
    _f("pain_outer_knee", "location", ["outer knee pain", "outside of the knee",
                                       "pain on the outside"]),
    _f("pain_inner_calf", "location", ["inner calf pain"]),
    _f("pain_back_of_thigh", "location", ["hamstring pain", "back of the thigh"]),
    _f("calf_tender", "calf", ["calf is tender", "tender calf", "calf tender"]),
    _f("numb_sole", "nerves", ["sole is numb"]),
    _f("saddle_numbness", "back", ["numb bottom", "numb around my bottom"], red_flag=True),
    _f("both_knees", "location", ["both knees", "two knees"]),
    _f("symptoms_over_6_weeks", "onset", ["for months", "two years"]),
]


@pytest.fixture(scope="module")
def kb3() -> KnowledgeBase:
    return make_kb(FINDINGS + EXTRA, "test-language-regions-kb")


# --------------------------------------------------------------- 1. the back of a part


@pytest.mark.parametrize(
    "text",
    [
        "Aching at the front and back of my knee when I kneel.",
        "It hurts at the side and back of the knee after netball.",
        "Pain in the back of the knee since Sunday.",
        "There is pain in the back and sides of my knee.",
        "Sore on the back of my left leg, just under the knee.",
        # "it" stands for the part named before: no one says so of their own lower back
        "I twisted my knee two weeks ago and the back of it hurts.",
        "My knee is swollen and the back of it is sore.",
    ],
)
def test_the_back_of_a_body_part_is_not_the_lower_back(text: str, kb3: KnowledgeBase) -> None:
    assert read(text, kb3).get("back_pain") is None, text


def test_the_other_region_of_a_coordination_is_still_read(kb3: KnowledgeBase) -> None:
    result = read("Aching at the front and back of my knee when I kneel.", kb3)
    assert present(result, "pain_front_knee"), result.findings


def test_a_region_of_a_part_is_that_parts_place(kb3: KnowledgeBase) -> None:
    result = read("The pain is at the top and back of my calf.", kb3)
    assert present(result, "pain_calf"), result.findings


@pytest.mark.parametrize(
    "text",
    [
        "I get pain in my lower back and at the back of my knee.",
        "My back hurts and so does the back of my knee.",
        "Lower back pain for years, now the back of the knee hurts too.",
        "My back hurts, it is sore.",
    ],
)
def test_the_lower_back_said_beside_the_back_of_the_knee_is_still_read(
        text: str, kb3: KnowledgeBase) -> None:
    assert present(read(text, kb3), "back_pain"), text


def test_the_bottom_of_the_foot_is_not_the_bottom(kb3: KnowledgeBase) -> None:
    result = read("It goes numb at the bottom of my foot after a run.", kb3)
    assert result.get("saddle_numbness") is None, result.findings


# --------------------------------------------------------------- 2. sides


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("The back of my knee hurts, more on the inside.", "pain_inner_knee"),
        ("My knee aches, mostly on the inner side.", "pain_inner_knee"),
        ("Pain behind the knee. It is worse on the outside.", "pain_outer_knee"),
        ("Sore knee lah, mainly towards the outer side.", "pain_outer_knee"),
        ("Throbbing behind my knee, especially on the outside of the knee.",
         "pain_outer_knee"),
        ("My calf aches, more on the inside.", "pain_inner_calf"),
    ],
)
def test_a_side_said_after_the_pain_is_its_location(text: str, finding_id: str,
                                                    kb3: KnowledgeBase) -> None:
    result = read(text, kb3)
    assert present(result, finding_id), (text, result.findings)


def test_a_side_belongs_to_the_part_named_before_it(kb3: KnowledgeBase) -> None:
    result = read("My calf aches, more on the inside.", kb3)
    assert result.get("pain_inner_knee") is None, result.findings


def test_a_side_phrase_without_its_part_goes_to_the_part_named(kb3: KnowledgeBase) -> None:
    result = read("Calf pain on the inside since my run.", kb3)
    assert present(result, "pain_inner_calf"), result.findings
    assert result.get("pain_inner_knee") is None, result.findings
    result = read("There is pain on the outside of my ankle.", kb3)
    assert result.get("pain_outer_knee") is None, result.findings
    result = read("Knee pain on the outside when I run.", kb3)
    assert present(result, "pain_outer_knee"), result.findings


def test_a_side_of_another_part_is_not_the_knee(kb3: KnowledgeBase) -> None:
    result = read("It hurts behind the knee, and my ankle is more swollen on the outside.", kb3)
    assert result.get("pain_outer_knee") is None, result.findings


def test_a_side_with_no_pain_said_is_nothing(kb3: KnowledgeBase) -> None:
    result = read("My knee looks fine, more bruised on the inside.", kb3)
    assert result.get("pain_inner_knee") is None, result.findings


# --------------------------------------------------------------- 3. tender muscles


@pytest.mark.parametrize(
    "text",
    [
        "My calf has been sore since Sunday. There's a tender spot in the muscle.",
        "My calf muscle is sore to touch.",
        "Found a sore spot when I pressed on my calf.",
        "The lower leg at the back hurts when pressed.",
    ],
)
def test_a_tender_calf_muscle_is_calf_tenderness(text: str, kb3: KnowledgeBase) -> None:
    result = read(text, kb3)
    assert present(result, "calf_tender"), (text, result.findings)


@pytest.mark.parametrize(
    "text",
    [
        "It is sore to touch in the hamstring.",
        "My knee is tender to touch.",
        "A tender spot in the muscle, I don't know which one.",
    ],
)
def test_tenderness_elsewhere_is_not_calf_tenderness(text: str, kb3: KnowledgeBase) -> None:
    assert read(text, kb3).get("calf_tender") is None, text


def test_no_tender_spot_in_the_calf_is_absent(kb3: KnowledgeBase) -> None:
    found = read("My calf aches but there's no tender spot in the muscle.", kb3).get(
        "calf_tender")
    assert found is not None and found.present is False


# --------------------------------------------------------------- 4. an old ACL tear



def test_a_torn_acl_is_the_injury_that_started_it(catalogue: KnowledgeBase) -> None:
    result = read("I tore my ACL some months back and since then the knee gives way "
                  "whenever I turn.", catalogue)
    assert present(result, "injury"), result.findings
    assert present(result, "knee_giving_way"), result.findings


def test_an_acl_torn_years_ago_is_an_old_knee_injury(catalogue: KnowledgeBase) -> None:
    result = read("I ruptured my anterior cruciate ligament two years ago and my knee still "
                  "buckles on the court.", catalogue)
    assert present(result, "old_knee_injury"), result.findings
    assert result.get("injury") is None, result.findings
    assert present(result, "knee_giving_way"), result.findings


def test_an_acl_operation_last_year_is_kept_as_history(catalogue: KnowledgeBase) -> None:
    result = read("Had my ACL reconstructed last year. Since last month the knee keeps "
                  "giving way.", catalogue)
    for finding_id in ("previous_knee_surgery", "old_knee_injury", "knee_giving_way"):
        assert present(result, finding_id), (finding_id, result.findings)
    assert result.get("recent_surgery") is None, result.findings


def test_a_duration_inside_a_history_cue_does_not_hide_the_cue(kb3: KnowledgeBase) -> None:
    # "two years" is a duration phrase, but in "two years ago" it says when: ConText drops
    # a cue that overlaps a target, so the injury would read as today's
    result = read("I hurt my knee two years ago.", kb3)
    assert result.get("injury") is None, result.findings
    assert present(result, "old_knee_injury"), result.findings


def test_a_number_before_a_time_is_not_a_shared_head(kb3: KnowledgeBase) -> None:
    result = read("I hurt my knee two years ago and my knee still aches.", kb3)
    assert result.get("both_knees") is None, result.findings
