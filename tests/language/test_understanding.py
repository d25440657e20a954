"""Reading patients' words in general: overlapping findings, coordinated phrases, where it
hurts, normality statements, negated lists, bare words and their body part, hedges,
temperatures, onset words and people writing for a relative.

Sentences are our own (plain, varied, Singapore English included), over a small knowledge
base built here, so they do not depend on the packaged catalogue's exact phrases.
"""

from __future__ import annotations

import pytest

from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import Extraction
from popliteal.language import numbers as n
from popliteal.language.extract import patient_relative

from .kb_fixture import FINDINGS, _f, make_kb, present, read

EXTRA = [
    _f("back_pain", "back", ["back pain", "my back hurts"]),
    _f("pain_from_back_down_leg", "location", ["sciatica"]),
    _f("unable_to_bear_weight", "mechanics", ["can't walk", "can't put weight on it"]),
    _f("limping", "mechanics", ["limping", "limp", "i limp"]),
    _f("foot_numb", "circulation", ["foot is numb"]),
    _f("foot_weak", "circulation", ["foot is weak"]),
    _f("pain_inner_knee", "location", ["inner knee pain"]),
    _f("pain_outer_knee", "location", ["outer knee pain"]),
    _f("pain_back_of_thigh", "location", ["hamstring pain"]),
    _f("calf_tender", "calf", ["calf is tender", "tender calf", "calf tender"]),
    _f("calf_warm_red", "calf", ["calf is red", "red calf", "calf red"]),
    _f("whole_leg_swelling", "calf", ["whole leg is swollen"]),
    _f("pain_on_full_bend", "pain", ["hurts to bend", "pain when bending"]),
    _f("pain_on_full_straighten", "pain", ["hurts to straighten"]),
    _f("unable_to_bend_90", "mechanics", ["knee cannot bend"]),
    _f("pain_on_tiptoe", "pain", ["walking on tiptoe", "hurts on tiptoe"]),
    _f("sudden_onset", "onset", ["suddenly", "sudden", "sudden sharp pain"]),
    _f("gradual_onset", "onset", ["gradually", "over the past months"]),
    _f("chills_rigors", "inflammation", ["chills", "shivering"]),
    _f("pop_at_injury", "injury", ["pop", "heard a pop"]),
    _f("bruising_calf_or_thigh", "calf", ["bruising", "bruise"]),
    _f("knee_giving_way", "mechanics", ["gives way", "unstable"]),
    _f("knee_red", "inflammation", ["redness", "red knee"]),
    _f("sudden_severe_leg_pain", "circulation", ["leg suddenly painful"], red_flag=True),
]


@pytest.fixture(scope="module")
def kb2() -> KnowledgeBase:
    return make_kb(FINDINGS + EXTRA, "test-language-understanding-kb")


def absent(result: Extraction, finding_id: str) -> bool:
    found = result.get(finding_id)
    return found is not None and not found.present


# --------------------------------------------------------------- 1. overlaps, coordination


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("My calf a bit swollen and tender.", ["calf_swelling", "calf_tender"]),
        ("It hurts to bend or straighten.", ["pain_on_full_bend", "pain_on_full_straighten"]),
        ("Calf swollen, red and tender lah.", ["calf_swelling", "calf_warm_red",
                                               "calf_tender"]),
        ("Swollen and tender calf since the weekend.", ["calf_swelling", "calf_tender"]),
        ("Felt a sudden sharp pain at the back of my thigh.", ["sudden_onset",
                                                               "pain_back_of_thigh"]),
        ("The knee is warm, very swollen and excruciating.", ["knee_hot", "knee_swelling",
                                                             "pain_severe"]),
    ],
)
def test_every_finding_of_shared_or_overlapping_words(text: str, ids: list[str],
                                                      kb2: KnowledgeBase) -> None:
    result = read(text, kb2)
    for finding_id in ids:
        assert present(result, finding_id), (text, finding_id, result.findings)


def test_a_new_clause_is_not_a_conjunct(kb2: KnowledgeBase) -> None:
    result = read("Pain at the back of my knee and I can't bend it all the way.", kb2)
    assert result.get("unable_to_bend_90") is None


def test_a_shared_tail_does_not_start_with_a_preposition(kb2: KnowledgeBase) -> None:
    result = read("I can walk and stand on tiptoe.", kb2)
    assert result.get("pain_on_tiptoe") is None


# --------------------------------------------------------------- 2. where it hurts


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("Every few weeks a sharp grab in the calf mid-run.", "pain_calf"),
        ("Sudden tightening in the middle of my calf while jogging.", "pain_calf"),
        ("Dull ache on the inner side of my knee.", "pain_inner_knee"),
        ("The back of my thigh really aches after football.", "pain_back_of_thigh"),
        ("Got throbbing on the outer side of the knee when I climb.", "pain_outer_knee"),
        ("My hamstring is so tight and sore sia.", "pain_back_of_thigh"),
    ],
)
def test_a_pain_word_and_a_place_give_the_location(text: str, finding_id: str,
                                                   kb2: KnowledgeBase) -> None:
    assert present(read(text, kb2), finding_id), text


def test_a_pain_word_goes_to_the_nearest_place(kb2: KnowledgeBase) -> None:
    result = read("Pain behind the knee when I stretch my hamstring.", kb2)
    assert result.get("pain_back_of_thigh") is None


def test_a_negated_location_is_absent(kb2: KnowledgeBase) -> None:
    assert absent(read("No pain in the calf at all.", kb2), "pain_calf")


# --------------------------------------------------------------- 3. normality


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("My back is fine.", ["back_pain"]),
        ("Walking is ok.", ["unable_to_bear_weight", "limping"]),
        ("Foot feels normal.", ["foot_numb", "foot_weak"]),
        ("The other leg is fine.", ["both_knees"]),
        ("Knee feels stable now.", ["knee_giving_way"]),
        ("No problem bending.", ["pain_on_full_bend"]),
        ("I can still walk, just slowly.", ["unable_to_bear_weight"]),
    ],
)
def test_saying_it_is_normal_rules_it_out(text: str, ids: list[str],
                                          kb2: KnowledgeBase) -> None:
    result = read(text, kb2)
    for finding_id in ids:
        assert absent(result, finding_id), (text, finding_id, result.findings)


def test_can_walk_with_a_limp(kb2: KnowledgeBase) -> None:
    result = read("I can walk but with a limp.", kb2)
    assert absent(result, "unable_to_bear_weight")
    assert present(result, "limping")


def test_a_direct_mention_outweighs_a_normality_statement(kb2: KnowledgeBase) -> None:
    assert present(read("I limp a bit. Walking is ok otherwise.", kb2), "limping")


@pytest.mark.parametrize("text", ["I can't walk.", "Not sure my back is fine.",
                                  "My back used to be fine."])
def test_a_qualified_normality_statement_says_nothing(text: str, kb2: KnowledgeBase) -> None:
    result = read(text, kb2)
    assert not absent(result, "back_pain")
    assert not absent(result, "unable_to_bear_weight")


# --------------------------------------------------------------- 4. negated lists


def test_each_item_of_a_negated_list_is_absent(kb2: KnowledgeBase) -> None:
    result = read("No pop, no swelling, no bruising.", kb2)
    for finding_id in ("pop_at_injury", "knee_swelling", "bruising_calf_or_thigh"):
        assert absent(result, finding_id), finding_id
    result = read("No fever or chills.", kb2)
    assert absent(result, "fever") and absent(result, "chills_rigors")
    result = read("Without swelling or redness.", kb2)
    assert absent(result, "knee_swelling") and absent(result, "knee_red")


def test_negation_stops_before_but(kb2: KnowledgeBase) -> None:
    result = read("No swelling but my calf is tender.", kb2)
    assert absent(result, "knee_swelling")
    assert present(result, "calf_tender")


def test_no_swelling_after_a_calf_also_denies_calf_swelling(kb2: KnowledgeBase) -> None:
    result = read("My calf is sore since yesterday. No swelling.", kb2)
    assert absent(result, "calf_swelling")
    assert absent(result, "knee_swelling")


def test_bare_swelling_is_not_given_to_an_earlier_part(kb2: KnowledgeBase) -> None:
    result = read("My calf is sore. Some swelling.", kb2)
    assert result.get("calf_swelling") is None


# --------------------------------------------------------------- 5. bare words


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("Knee hurts, the ankle a little swollen.", None, "knee_swelling"),
        ("Got swelling around my ankle after the fall.", None, "knee_swelling"),
        ("Calf is a bit swollen.", "calf_swelling", "knee_swelling"),
        ("My leg got swelling already, very painful.", "calf_swelling", "knee_swelling"),
        ("The thigh is quite swollen.", "whole_leg_swelling", "knee_swelling"),
        ("Swollen, and the knee hurts.", "knee_swelling", None),
    ],
)
def test_a_bare_word_belongs_to_its_body_part(text: str, expected: str | None,
                                              not_expected: str | None,
                                              kb2: KnowledgeBase) -> None:
    result = read(text, kb2)
    if expected:
        assert present(result, expected), (text, result.findings)
    if not_expected:
        assert result.get(not_expected) is None, (text, result.findings)


# --------------------------------------------------------------- 6. hedges


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("Knee kind of swollen.", "knee_swelling"),
        ("My calf is pretty swollen sia.", "calf_swelling"),
        ("Pain especially at night.", "pain_at_night"),
        ("Knee sort of locks.", "knee_locking"),
    ],
)
def test_hedges_may_stand_inside_a_phrase(text: str, finding_id: str,
                                          kb2: KnowledgeBase) -> None:
    assert present(read(text, kb2), finding_id), text


def test_a_hedge_in_a_phrase_is_still_needed(kb2: KnowledgeBase) -> None:
    assert present(read("My leg suddenly painful.", kb2), "sudden_severe_leg_pain")
    assert read("My leg painful.", kb2).get("sudden_severe_leg_pain") is None


# --------------------------------------------------------------- 7. temperatures


@pytest.mark.parametrize(
    ("text", "celsius"),
    [
        ("my temperature is 38.5", 38.5),
        ("Temp 37.8 this morning", 37.8),
        ("37.6 C only", 37.6),
        ("had a fever of 102 last night", 38.9),
        ("thermometer says 101F", 38.3),
        ("38,2 degrees", 38.2),
    ],
)
def test_temperature(text: str, celsius: float) -> None:
    mention = n.temperature(text)
    assert mention is not None and mention.value == celsius, text


@pytest.mark.parametrize("text", ["I ran 40 minutes", "fever for 10 days", "pain 8/10",
                                  "12 hour flight"])
def test_not_a_temperature(text: str) -> None:
    assert n.temperature(text) is None, text


@pytest.mark.parametrize(
    ("text", "is_present", "uncertain"),
    [
        ("Temperature 38.4 and shivering.", True, False),
        ("Temp 37.7, knee warm.", True, True),
        ("Temp 36.9 only.", False, False),
    ],
)
def test_temperature_as_fever(text: str, is_present: bool, uncertain: bool,
                              kb2: KnowledgeBase) -> None:
    fever = read(text, kb2).get("fever")
    assert fever is not None and fever.present is is_present, text
    assert ("uncertain" in fever.modifiers) is uncertain


# --------------------------------------------------------------- 8. onset words


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Since Sunday my knee hurts.", 3),
        ("It started an hour ago.", round(1 / 24, 2)),
        ("knee pain for the past few weeks", 21),
        ("Pain since last weekend.", 3),
    ],
)
def test_onset_words(text: str, days: float) -> None:
    mention = n.days_since_onset(text)
    assert mention is not None and mention.value == days, text


def test_sudden_and_gradual(kb2: KnowledgeBase) -> None:
    assert present(read("A sudden tightening in the calf.", kb2), "sudden_onset")
    assert present(read("It got worse over the past months.", kb2), "gradual_onset")


# --------------------------------------------------------------- 9. writing for a relative


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("My father, 72, has a swollen calf.", "father"),
        ("My 6-year-old daughter has a lump behind her knee.", "daughter"),
        ("My mum fell yesterday and now she can't walk.", "mother"),
        ("My mum had clots.", None),
        ("My dad had a DVT. My calf is swollen.", None),
    ],
)
def test_patient_relative(text: str, who: str | None) -> None:
    assert patient_relative(text) == who


def test_a_relative_as_patient_has_the_findings(kb2: KnowledgeBase) -> None:
    result = read("My father, 72, has a swollen calf. His mum had a blood clot.", kb2)
    assert present(result, "calf_swelling")
    assert present(result, "family_history_clot")
    assert result.get("previous_clot") is None


def test_a_relatives_clot_is_still_family_history(kb2: KnowledgeBase) -> None:
    result = read("My mother had a blood clot. My calf is swollen.", kb2)
    assert present(result, "family_history_clot")
    assert result.get("previous_clot") is None
    assert present(result, "calf_swelling")
