"""ConText: negation, history, family, hypotheticals and uncertainty in patients' words."""

from __future__ import annotations

import pytest

from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import Extraction, extract_findings


def read(text: str, kb: KnowledgeBase) -> Extraction:
    return extract_findings(text, kb)


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("No fever.", "fever"),
        ("My knee is not swollen.", "knee_swelling"),
        ("I never had a clot.", "previous_clot"),
        ("Denies chest pain.", "chest_pain"),
        ("I don't have fever.", "fever"),
        ("I dont have any fever", "fever"),
        ("It's not really swollen.", "knee_swelling"),
        ("Without any swelling.", "knee_swelling"),
        ("No more pain at night.", "pain_at_night"),
        ("Never had chest pain.", "chest_pain"),
        ("I haven't had a fever.", "fever"),
    ],
)
def test_negation_makes_a_finding_absent(text: str, finding_id: str, kb: KnowledgeBase) -> None:
    found = read(text, kb).get(finding_id)
    assert found is not None, text
    assert found.present is False
    assert "negated" in found.modifiers


def test_negation_covers_a_list(kb: KnowledgeBase) -> None:
    result = read("No fever, high temperature or chest pain.", kb)
    assert result.get("fever").present is False  # type: ignore[union-attr]
    assert result.get("chest_pain").present is False  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "No fever and my calf is swollen.",
        "No fever, my calf is swollen.",
        "I don't have a fever but my calf is swollen.",
        "No fever. My calf is swollen.",
    ],
)
def test_negation_stops_at_a_new_clause(text: str, kb: KnowledgeBase) -> None:
    result = read(text, kb)
    assert result.get("fever").present is False  # type: ignore[union-attr]
    calf = result.get("calf_swelling")
    assert calf is not None and calf.present is True and calf.modifiers == []


def test_negation_inside_a_phrase_is_not_a_negation(kb: KnowledgeBase) -> None:
    result = read("I can't straighten my knee and it is swollen.", kb)
    assert result.get("cannot_straighten_fully").present is True  # type: ignore[union-attr]
    assert result.get("knee_swelling").present is True  # type: ignore[union-attr]


def test_old_surgery_is_history_not_recent_surgery(kb: KnowledgeBase) -> None:
    result = read("Had ACL surgery years ago.", kb)
    assert result.get("recent_surgery") is None
    old = result.get("previous_knee_surgery")
    assert old is not None and old.present and "historical" in old.modifiers
    assert old.evidence == "ACL surgery"


def test_old_injury_is_not_todays_injury(kb: KnowledgeBase) -> None:
    result = read("I twisted my knee playing football years ago.", kb)
    assert result.get("twisting_injury") is None
    assert result.get("injury") is None
    assert result.get("old_knee_injury").present is True  # type: ignore[union-attr]


def test_history_is_kept_for_a_past_clot(kb: KnowledgeBase) -> None:
    result = read("I had a DVT last year.", kb)
    clot = result.get("previous_clot")
    assert clot is not None and clot.present and "historical" in clot.modifiers


def test_todays_injury_is_an_injury(kb: KnowledgeBase) -> None:
    result = read("I twisted my knee yesterday.", kb)
    assert result.get("twisting_injury").present is True  # type: ignore[union-attr]
    assert result.get("old_knee_injury") is None


@pytest.mark.parametrize("text", ["I twisted my knee when I was playing futsal.",
                                  "My knee bent backwards when I was tackled."])
def test_when_i_was_doing_something_is_when_this_injury_happened(
        text: str, catalogue: KnowledgeBase) -> None:
    result = read(text, catalogue)
    assert result.get("old_knee_injury") is None, result.findings
    assert any(f.present and not f.modifiers and f.id in ("twisting_injury",
                                                          "hyperextension_injury")
               for f in result.findings), result.findings


@pytest.mark.parametrize("text", ["When I was younger I tore my ACL.",
                                  "When I was a kid I twisted my knee badly.",
                                  "As a teenager I injured my knee.",
                                  "When I was in school I hurt my knee.",
                                  "When I was younger I hurt my knee playing rugby."])
def test_when_i_was_young_is_still_history(text: str, catalogue: KnowledgeBase) -> None:
    old = read(text, catalogue).get("old_knee_injury")
    assert old is not None and old.present, text


@pytest.mark.parametrize("text", ["I hurt my knee playing futsal last week.",
                                  "Yesterday I hurt my knee.",
                                  "I used to run, I hurt my knee last month."])
def test_i_hurt_my_knee_without_a_history_cue_is_todays_injury(
        text: str, catalogue: KnowledgeBase) -> None:
    """'I hurt' no longer ends a clause (so that a history cue before it reaches it); an
    injury told without one, or after a new clause, is still today's."""
    result = read(text, catalogue)
    assert result.get("old_knee_injury") is None, result.findings
    injury = result.get("injury")
    assert injury is not None and injury.present and not injury.modifiers, result.findings


@pytest.mark.parametrize("text", ["When I was younger I injured my knee, and now it is swollen.",
                                  "When I was in school I hurt my knee, and now it is swollen."])
def test_history_does_not_reach_a_finding_said_in_the_next_clause(
        text: str, catalogue: KnowledgeBase) -> None:
    """"knee, and now it is swollen" is matched as one target starting inside the history
    cue's clause; the swelling is said in the next clause, which the cue does not reach."""
    result = read(text, catalogue)
    old = result.get("old_knee_injury")
    assert old is not None and old.present and "historical" in old.modifiers, result.findings
    swelling = result.get("knee_swelling")
    assert swelling is not None and swelling.present and swelling.modifiers == [], \
        result.findings


def test_history_does_not_leak_past_a_new_clause(kb: KnowledgeBase) -> None:
    result = read("I twisted my knee years ago, now it is swollen.", kb)
    assert result.get("knee_swelling").modifiers == []  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text", ["My mum had clots.", "My mother had a blood clot.", "Clots run in my family."]
)
def test_family_clot_is_a_risk_factor_not_a_symptom(text: str, kb: KnowledgeBase) -> None:
    result = read(text, kb)
    assert result.get("previous_clot") is None
    fam = result.get("family_history_clot")
    assert fam is not None and fam.present and "family" in fam.modifiers


def test_other_family_illness_is_dropped(kb: KnowledgeBase) -> None:
    result = read("My dad had a heart attack.", kb)
    assert result.findings == []
    assert result.unparsed_sentences == ["My dad had a heart attack."]


def test_family_scope_ends_at_the_patient(kb: KnowledgeBase) -> None:
    result = read("My mum said I have a fever.", kb)
    assert result.get("fever").present is True  # type: ignore[union-attr]
    result = read("My sister noticed my calf is swollen.", kb)
    assert result.get("calf_swelling").present is True  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "If I get a fever, should I come in?",
        "I'm worried it could be a blood clot.",
        "Could it be a baker's cyst?",
        "What should I do in case of chest pain?",
    ],
)
def test_hypothetical_is_not_a_finding(text: str, kb: KnowledgeBase) -> None:
    result = read(text, kb)
    assert result.findings == [], result.findings


def test_when_i_walk_is_a_real_trigger(kb: KnowledgeBase) -> None:
    result = read("When I walk up the stairs I get pain on stairs and my knee locks.", kb)
    assert result.get("knee_locking").present is True  # type: ignore[union-attr]
    assert result.get("pain_on_stairs").present is True  # type: ignore[union-attr]


def test_if_clause_ends_at_the_comma(kb: KnowledgeBase) -> None:
    result = read("If I walk far, my knee locks.", kb)
    assert result.get("knee_locking").present is True  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("Maybe a bit warm.", "knee_hot"),
        ("Not sure if I have a fever.", "fever"),
        ("I think there is a lump behind the knee.", "lump_behind_knee"),
        ("Possibly some swelling.", "knee_swelling"),
    ],
)
def test_uncertain_counts_as_present(text: str, finding_id: str, kb: KnowledgeBase) -> None:
    found = read(text, kb).get(finding_id)
    assert found is not None and found.present is True
    assert "uncertain" in found.modifiers


def test_red_flag_present_wins_over_absent(kb: KnowledgeBase) -> None:
    result = read("No fever at first. Now I have a fever.", kb)
    assert result.get("fever").present is True  # type: ignore[union-attr]
    result = read("I have a fever. Actually no fever.", kb)
    assert result.get("fever").present is True  # type: ignore[union-attr]


def test_later_mention_wins_for_other_findings(kb: KnowledgeBase) -> None:
    result = read("It was swollen yesterday. Today it is not swollen.", kb)
    swelling = result.get("knee_swelling")
    assert swelling is not None and swelling.present is False
    assert result.findings.count(swelling) == 1
    result = read("It was not swollen at first. Now it is swollen.", kb)
    assert result.get("knee_swelling").present is True  # type: ignore[union-attr]


def test_one_entry_per_finding(kb: KnowledgeBase) -> None:
    result = read("Swollen knee. Very swollen. The swelling is bad.", kb)
    ids = [f.id for f in result.findings]
    assert ids.count("knee_swelling") == 1


def test_inability_is_not_absence(kb: KnowledgeBase) -> None:
    result = read("I play futsal but now I can't play futsal at all.", kb)
    assert result.get("pivoting_sport").present is True  # type: ignore[union-attr]


def test_age_is_not_history(kb: KnowledgeBase) -> None:
    result = read("I am 40 years old, swollen calf since yesterday.", kb)
    calf = result.get("calf_swelling")
    assert calf is not None and calf.modifiers == []


def test_a_child_described_by_a_parent_is_the_patient(kb: KnowledgeBase) -> None:
    result = read("My daughter has a lump behind her right knee.", kb)
    lump = result.get("lump_behind_knee")
    assert lump is not None and lump.present and "family" not in lump.modifiers


@pytest.mark.parametrize("text", ["My knee is not red, but my calf is hot and swollen.",
                                  "My knee was not injured, but the calf is hot and swollen."])
def test_a_denial_ends_at_but(text: str, catalogue: KnowledgeBase) -> None:
    """medSpaCy's own "is not"/"was not" rule ran to the sentence's end and denied the hot
    swollen calf (the red flags of a clot); default rules now end where ours do."""
    result = read(text, catalogue)
    for finding_id in ("calf_swelling", "calf_warm_red"):
        found = result.get(finding_id)
        assert found is not None and found.present and not found.modifiers, result.findings


def test_every_cue_has_an_end() -> None:
    """Each cue ends at a clause break or within a distance of its own (medSpaCy's default
    rules had neither and ran to the end of the sentence)."""
    from popliteal.language.context import load_context_rules

    settings, rules = load_context_rules()
    endless = [r.literal for r in rules if not r.terminated_by and r.category in (
        "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL", "HISTORICAL")
        and r.literal not in settings.rule_distance]
    assert endless == []


def test_a_default_denial_ends_at_a_new_clause(catalogue: KnowledgeBase) -> None:
    """medSpaCy's "free of" denied the swelling said after "and now my calf ..."."""
    found = read("Free of pain until yesterday and now my calf is swollen.", catalogue).get(
        "calf_swelling")
    assert found is not None and found.present and not found.modifiers


def test_a_denial_does_not_reach_a_clause_of_its_own(catalogue: KnowledgeBase) -> None:
    result = read("Knee not swollen, calf is swollen and red.", catalogue)
    assert result.get("knee_swelling").present is False  # type: ignore[union-attr]
    for finding_id in ("calf_swelling", "calf_warm_red"):
        found = result.get(finding_id)
        assert found is not None and found.present and not found.modifiers, result.findings


@pytest.mark.parametrize(("text", "denied"), [
    ("No fever, chills or sweats.", "chills_rigors"),
    ("No swelling, redness or warmth in my calf.", "calf_warm_red")])
def test_a_denied_list_goes_on_past_its_commas(text: str, denied: str,
                                               catalogue: KnowledgeBase) -> None:
    found = read(text, catalogue).get(denied)
    assert found is not None and found.present is False
