"""Five misreadings, fixed: a place said to be fine, pain going down from above, a time
that dates something else, a bare "swollen" after the calf, and an old ACL operation with
a knee that gives way now.

Sentences are our own, written to vary the wording of each rule; they read the packaged
catalogue (its phrases are part of what is tested), and the rules themselves live in
``language/data/normality.yaml``, ``language/data/body.yaml``, ``language/spreading.py``
and ``language/clauses.py``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import pytest
import yaml

from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import Extraction
from popliteal.language import numbers as n

from .kb_fixture import present, read


def absent(result: Extraction, finding_id: str) -> bool:
    found = result.get(finding_id)
    return found is not None and not found.present


# --------------------------------------------------------------- 1. a place that is fine


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("My lower back feels fine and the ache runs down the back of my thigh.", "back_pain"),
        ("The back is ok, the soreness is all behind the knee.", "back_pain"),
        ("My back is normal and the pain travels into my leg.", "back_pain"),
        ("My back isn't hurting, the trouble is lower down.", "back_pain"),
        ("The back does not hurt at all and the knee throbs.", "back_pain"),
        ("The calf is not sore and the pain sits behind my knee.", "pain_calf"),
        ("My calves are fine and the aching is in the knee pit.", "pain_calf"),
        ("My hamstring doesn't hurt, only the knee.", "pain_back_of_thigh"),
    ],
)
def test_a_place_said_to_be_fine_does_not_hurt(text: str, place: str,
                                               catalogue: KnowledgeBase) -> None:
    result = read(text, catalogue)
    assert not present(result, place), (text, result.findings)
    assert absent(result, place), (text, result.findings)


def test_a_calf_that_does_not_hurt_may_still_be_swollen(catalogue: KnowledgeBase) -> None:
    result = read("My calf isn't painful but it is swollen.", catalogue)
    assert absent(result, "pain_calf"), result.findings
    assert present(result, "calf_swelling"), result.findings


@pytest.mark.parametrize(
    "text",
    [
        "My calf doesn't hurt as much as it did last week.",
        "The calf is not painful when I rest, only when I walk.",
    ],
)
def test_less_pain_or_pain_at_other_times_is_no_absence(text: str,
                                                        catalogue: KnowledgeBase) -> None:
    assert not absent(read(text, catalogue), "pain_calf"), text


def test_a_reading_sharing_only_the_subject_is_kept(catalogue: KnowledgeBase) -> None:
    assert present(read("The pain in my calf is okay when I sit down.", catalogue),
                   "pain_calf")


def test_negation_and_doubt_still_work_beside_it(catalogue: KnowledgeBase) -> None:
    assert absent(read("There is no pain in my lower back.", catalogue), "back_pain")
    doubted = read("I'm not sure my back is fine.", catalogue)
    assert not absent(doubted, "back_pain"), doubted.findings
    hedged = read("My knee is fine, maybe my back hurts a little.", catalogue).get("back_pain")
    assert hedged is not None and hedged.present and "uncertain" in hedged.modifiers


# --------------------------------------------------------------- 2. pain going down


@pytest.mark.parametrize(
    "text",
    [
        "The pain shoots down to my knee.",
        "Sometimes it radiates down to the back of my knee.",
        "A burning pain travels down my leg when I sit.",
        "I get a shooting pain all the way down to behind the knee.",
        "My back has been stiff. Now the pain goes down into my thigh.",
    ],
)
def test_pain_going_down_from_above_spreads_down_the_leg(text: str,
                                                         catalogue: KnowledgeBase) -> None:
    result = read(text, catalogue)
    assert present(result, "pain_from_back_down_leg"), (text, result.findings)
    assert result.get("pain_below_knee_to_foot") is None, (text, result.findings)


def test_pain_going_past_the_knee_to_the_foot_is_below_the_knee(
        catalogue: KnowledgeBase) -> None:
    result = read("The pain shoots right down to my foot.", catalogue)
    assert present(result, "pain_below_knee_to_foot"), result.findings


@pytest.mark.parametrize(
    "text",
    [
        # the thigh's own pain going down: back-of-thigh pain, read already
        "I strained my hamstring sprinting. The pain now goes down to behind the knee.",
        # pain at the knee or below going down spreads from there, not from above
        "The ache behind my knee goes down into my calf.",
        "My calf hurts and it runs down to my ankle.",
        # no pain going anywhere
        "I put it down to my knee getting old.",
    ],
)
def test_no_spreading_from_above(text: str, catalogue: KnowledgeBase) -> None:
    result = read(text, catalogue)
    assert result.get("pain_from_back_down_leg") is None, (text, result.findings)


def test_thigh_pain_going_down_is_still_thigh_pain(catalogue: KnowledgeBase) -> None:
    result = read("I strained my hamstring sprinting. The pain now goes down to behind the "
                  "knee.", catalogue)
    assert present(result, "pain_back_of_thigh"), result.findings


@pytest.mark.parametrize(
    "text",
    ["The pain does not go down to my knee.", "It never shoots down to the knee."],
)
def test_denied_spreading_down_is_absent(text: str, catalogue: KnowledgeBase) -> None:
    assert absent(read(text, catalogue), "pain_from_back_down_leg"), text


def test_doubted_spreading_down_is_uncertain(catalogue: KnowledgeBase) -> None:
    found = read("I think the pain might shoot down to my knee.", catalogue).get(
        "pain_from_back_down_leg")
    assert found is not None and found.present and "uncertain" in found.modifiers


# --------------------------------------------------------------- 3. whose time it is


@pytest.mark.parametrize(
    "text",
    [
        "I started a new job 6 months ago.",
        "Began a different blood pressure tablet three weeks ago.",
        "We moved into a new flat last month.",
        "I started at a new gym 2 weeks ago.",
    ],
)
def test_a_time_of_something_else_is_no_onset(text: str) -> None:
    assert n.days_since_onset(text) is None, text


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("I started at a new school four months ago and the ache began ten days ago.", 10),
        ("Began a new tablet three weeks ago; the swelling came up two days ago.", 2),
        ("New job for 6 months, knee pain for 2 weeks.", 14),
        ("I started a new job eight months ago and my knee has hurt ever since.", 240),
        ("Started a new job 5 months ago. Since then the knee aches.", 150),
        ("It started 5 days ago.", 5),
        ("Started about a week ago after a long walk.", 7),
        ("Three weeks ago, while playing basketball, I twisted it.", 21),
        ("Squash match 4 days ago, I lunged and felt a pull behind my knee.", 4),
        ("Slipped on wet tiles 2 weeks ago and my knee hit the floor.", 14),
        ("Started in the evening 3 days ago.", 3),
    ],
)
def test_a_time_of_the_symptoms_is_the_onset(text: str, days: float) -> None:
    mention = n.days_since_onset(text)
    assert mention is not None, text
    assert mention.value == pytest.approx(days), text


def test_the_job_does_not_date_the_pain_in_a_reading(catalogue: KnowledgeBase) -> None:
    result = read("I started a new job 6 months ago. My knee has been sore since Monday.",
                  catalogue)
    onset = result.get("days_since_onset")
    assert onset is not None and onset.value != 180, result.findings
    assert not present(result, "symptoms_over_6_weeks"), result.findings


# --------------------------------------------------------------- 4. a bare "swollen"


@pytest.mark.parametrize(
    "text",
    [
        "calf: tight, hard, swollen",
        "My calf has gone very tight and a little bit swollen since the walk.",
        "The calf feels tight; swollen too.",
        "My calf feels hard. It is swollen as well.",
        "The calf is rock hard, tender, swollen.",
    ],
)
def test_a_bare_swollen_after_the_calf_is_calf_swelling(text: str,
                                                        catalogue: KnowledgeBase) -> None:
    result = read(text, catalogue)
    assert present(result, "calf_swelling"), (text, result.findings)
    assert result.get("knee_swelling") is None, (text, result.findings)


def test_a_bare_swollen_is_the_knees_when_the_knee_is_named_too(
        catalogue: KnowledgeBase) -> None:
    result = read("My knee and calf both ache. It's swollen.", catalogue)
    assert present(result, "knee_swelling"), result.findings


def test_a_denied_swelling_after_the_calf_denies_both(catalogue: KnowledgeBase) -> None:
    result = read("My calf feels hard; no swelling though.", catalogue)
    assert absent(result, "calf_swelling"), result.findings
    assert absent(result, "knee_swelling"), result.findings


# --------------------------------------------------------------- 5. an old ACL, giving way


@pytest.mark.parametrize(
    "text",
    [
        "Years back I had my ACL repaired, and now the knee keeps giving way.",
        "My ACL was fixed a decade ago; these days it gives way when I pivot.",
        "Had an ACL graft as a teenager and lately it gives way on the stairs.",
        "I had surgery on my ACL long ago and now it feels unstable.",
        "I had my ACL done in 2012 and now the knee gives way.",
    ],
)
def test_an_old_acl_operation_and_giving_way_now(text: str,
                                                 catalogue: KnowledgeBase) -> None:
    result = read(text, catalogue)
    for finding_id in ("old_knee_injury", "previous_knee_surgery", "knee_giving_way"):
        assert present(result, finding_id), (text, finding_id, result.findings)
    knee = result.get("knee_giving_way")
    assert knee is not None and "historical" not in knee.modifiers, text
    for finding_id in ("injury", "recent_surgery"):
        assert result.get(finding_id) is None, (text, finding_id, result.findings)


def test_a_recent_acl_operation_is_recent_surgery(catalogue: KnowledgeBase) -> None:
    result = read("ACL operation five weeks ago and now it gives way.", catalogue)
    for finding_id in ("recent_surgery", "previous_knee_surgery", "knee_giving_way"):
        assert present(result, finding_id), (finding_id, result.findings)


def test_an_acl_operation_to_come_is_no_old_injury(catalogue: KnowledgeBase) -> None:
    result = read("I'm booked for ACL surgery next month because it gives way.", catalogue)
    assert result.get("old_knee_injury") is None, result.findings
    assert result.get("previous_knee_surgery") is None, result.findings
    assert present(result, "knee_giving_way"), result.findings


def test_an_old_acl_operation_and_a_knee_that_holds(catalogue: KnowledgeBase) -> None:
    result = read("I had my ACL repaired years ago and it doesn't give way.", catalogue)
    assert present(result, "previous_knee_surgery"), result.findings
    assert absent(result, "knee_giving_way"), result.findings


# --------------------------------------------------------------- the catalogue has the ids


@lru_cache(maxsize=2)
def _data(name: str) -> dict[str, Any]:
    raw = (resources.files("popliteal.language") / "data" / name).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def test_the_new_rules_name_findings_of_the_catalogue(catalogue: KnowledgeBase) -> None:
    body, normality = _data("body.yaml"), _data("normality.yaml")
    ids = set(body["spreading"]["descent"]["findings"]) | set(body["attach_recent"])
    ids |= {f for rule in normality["subjects"] for f in rule.get("pain", [])}
    assert ids - set(catalogue.findings) == set()
    parts = set(body["body_parts"])
    assert set(body["spreading"]["descent"]["not_after"]) <= parts
