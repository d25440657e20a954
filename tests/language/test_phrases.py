"""Patients' own words: normalisation, misspellings, Singapore English, spans, leftovers."""

from __future__ import annotations

import pytest

from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import extract_findings
from popliteal.language.lexicon import Lexicon, fold, normalise_text, stem

from .kb_fixture import FINDINGS, make_kb


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("bakers cist behind the knee", "lump_behind_knee"),
        ("I think I have a baker's cyst", "lump_behind_knee"),
        ("my knee is swolen", "knee_swelling"),
        ("it is swollon and painful", "knee_swelling"),
        ("I have a feverr", "fever"),
        ("felt feverish", "fever"),
        ("lots of swelings", "knee_swelling"),
    ],
)
def test_misspellings_and_plurals(text: str, finding_id: str, kb: KnowledgeBase) -> None:
    found = extract_findings(text, kb).get(finding_id)
    assert found is not None and found.present is True, text


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("cannot straighten", "cannot_straighten_fully"),
        ("Can't straighten my leg fully", "cannot_straighten_fully"),
        ("I cant straighten it", "cannot_straighten_fully"),
        ("unable to straighten", "cannot_straighten_fully"),
        ("my knee jammed", "knee_locking"),
        ("got swelling", "knee_swelling"),
        ("leg kena twisted during futsal", "twisting_injury"),
        ("leg kena twisted during futsal", "pivoting_sport"),
        ("after a long flight from London", "long_travel"),
        ("after a long-haul flight", "long_travel"),
        ("the pain in my calf is bad", "pain_calf"),
        ("my calf is very swollen lah", "calf_swelling"),
        ("my calf is sore", "pain_calf"),
        ("calf aching", "pain_calf"),
    ],
)
def test_everyday_and_singapore_english(text: str, finding_id: str, kb: KnowledgeBase) -> None:
    found = extract_findings(text, kb).get(finding_id)
    assert found is not None and found.present is True, text


def test_longest_phrase_wins(kb: KnowledgeBase) -> None:
    result = extract_findings("My calf is swollen.", kb)
    assert result.get("calf_swelling") is not None
    assert result.get("knee_swelling") is None


def test_words_that_only_look_alike_are_not_corrected(kb: KnowledgeBase) -> None:
    result = extract_findings("Fewer steps than usual. Setting up the chairs.", kb)
    assert result.findings == []


def test_spans_point_at_the_evidence(kb: KnowledgeBase) -> None:
    text = ("Leg kena twisted during futsal 3 days ago.\nNow my calf is swolen, pain 7/10 "
            "and I can\u2019t straighten it. No fever, after a 12-hour flight.")
    result = extract_findings(text, kb)
    assert len(result.findings) >= 8
    for f in result.findings:
        assert text[f.start:f.end] == f.evidence, f
        assert f.evidence.strip() == f.evidence and f.evidence


def test_unparsed_sentences_are_listed(kb: KnowledgeBase) -> None:
    text = "My knee is swollen. I work in an office. I like cats!\nNo fever"
    result = extract_findings(text, kb)
    assert result.unparsed_sentences == ["I work in an office.", "I like cats!"]


def test_line_breaks_split_sentences(kb: KnowledgeBase) -> None:
    result = extract_findings("swollen knee\nI live in Tampines\nno fever", kb)
    assert result.unparsed_sentences == ["I live in Tampines"]


def test_text_with_no_findings_lists_every_sentence(kb: KnowledgeBase) -> None:
    result = extract_findings("Hello. I have a question.", kb)
    assert result.findings == []
    assert result.unparsed_sentences == ["Hello.", "I have a question."]


def test_new_phrase_in_the_catalogue_is_matched_without_code() -> None:
    from popliteal.knowledge.schema import Finding

    extra = Finding(id="knee_red", label="knee red", question="Is your knee red?",
                    group="inflammation", phrases=["knee looks angry red"])
    kb = make_kb([*FINDINGS, extra], "test-extra-phrase")
    found = extract_findings("The knee looks all angry and red? no, knee looks angry red.", kb)
    assert found.get("knee_red") is not None


# ------------------------------------------------------------------------ lexicon units


def test_normalise_text_keeps_length() -> None:
    text = "12-hour flight, back\u2011of\u2011knee, can\u2019t"
    out = normalise_text(text)
    assert len(out) == len(text)
    assert out == "12 hour flight, back of knee, can't"


def test_stem_and_fold() -> None:
    assert stem("knees") == "knee"
    assert stem("injuries") == "injury"
    assert stem("baker's") == "baker"
    assert stem("locked") == stem("locking") == stem("locks") == "lock"
    assert stem("running") == "run"
    assert stem("swelling") == "swell"
    assert stem("morning", frozenset({"morning"})) == "morning"
    assert stem("loss") == "loss"
    assert fold("cist") == fold("cyst")
    assert fold("swolen") == fold("swollen")


def test_spelling_correction_needs_a_unique_close_word() -> None:
    lex = Lexicon.load()
    lex.learn(lex.word_norm(w) for w in ["swollen", "swelling", "fever", "cyst", "calf"])
    assert lex.text_norm("swolen") == "swollen"
    assert lex.text_norm("swellling") == lex.word_norm("swelling") == "swell"
    assert lex.text_norm("cist") == "cyst"
    assert lex.text_norm("fewer") == "fewer"  # protected: a real word
    assert lex.text_norm("half") == "half"  # short words need an exact skeleton match
    assert lex.text_norm("kalf") == "kalf"  # first letter must match


def test_equivalent_wordings_generate_variants() -> None:
    lex = Lexicon.load()
    variants = lex.phrase_variants(["can", "not", "straighten"])
    assert ("unable", "to", "straighten") in variants
    assert ("can", "not", "straighten") in variants
    assert len(variants) <= 24


def test_verb_endings_fold_together(kb: KnowledgeBase) -> None:
    for text in ["my knee locked", "knee keeps locking", "the knee locks"]:
        assert extract_findings(text, kb).get("knee_locking") is not None, text


def test_bare_word_does_not_meet_a_form_with_an_ending() -> None:
    from popliteal.knowledge.schema import Finding

    tired = Finding(id="fatigue", label="tired", question="Are you tired?", group="joints",
                    phrases=["drained"])
    kb = make_kb([*FINDINGS, tired], "test-bare-word")
    assert extract_findings("I stepped into a drain.", kb).get("fatigue") is None
    assert extract_findings("I feel drained.", kb).get("fatigue") is not None


def test_pain_wordings_are_interchangeable_one_way(kb: KnowledgeBase) -> None:
    # "pain" phrases may be read as "hurt"...
    assert extract_findings("it is hurting in my calf", kb).get("pain_calf") is not None
    assert extract_findings("calf is aching badly", kb).get("pain_calf") is not None
    # ...but "hurt" phrases (an injury: "hurt my knee") are not read as "pain".
    assert extract_findings("pain my knee", kb).get("injury") is None
    assert extract_findings("I hurt my knee", kb).get("injury") is not None
