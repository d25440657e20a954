"""The keyed matchers read every text exactly as the plain medSpaCy/spaCy matchers do.

Why this file: rule matching was rewritten for speed (see :mod:`popliteal.language.matching`):
instead of one medSpaCy ``TargetMatcher`` trying all catalogue rules at every token (and one
spaCy ``Matcher`` each for the body rules and history cues), only the rules whose words
occur in a text are run, over the stretch of text they can match. The plain matchers are
kept as the reference (``build_pipeline(kb, matching="plain")``). For every text of a
large corpus (the public and dev vignettes, the sentences of the language tests, and seeded
generated texts mixing catalogue phrases with negations, hedges, history and family cues,
coordination, sides, body parts and numbers), both pipelines must give

* the same matches from every run of the target matcher (on the text and on the rewritten
  token sequences of coordinated readings), compared as sorted (start, end, label) lists:
  spaCy's own order among matches ending on one token is an artefact of its state queue,
* the same history cues and body-rule matches (matched the keyed way too; body matches over
  the same tokens in the same order, as ``filter_spans`` keeps the first of them), and the
  same body readings (places, normality statements, parts, regions),
* the same chosen target spans with the same ConText modifiers, in the same order, and
* the same ``Extraction``, field for field.

On the vignettes the rule behind every match is compared too.
"""

from __future__ import annotations

import ast
import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from popliteal.knowledge import KnowledgeBase, get_knowledge_base
from popliteal.language import LanguageInputError
from popliteal.language.bodymap import _data
from popliteal.language.errors import validate_text
from popliteal.language.extract import read_doc
from popliteal.language.lexicon import normalise_text
from popliteal.language.matching import KeyedMatcher, KeyedTargetMatcher
from popliteal.language.pipeline import LanguagePipeline, build_pipeline, get_pipeline

from .kb_fixture import FINDINGS, make_kb

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
VIGNETTE_FILES = [REPO.parent / "shared" / "vignettes" / "public.jsonl",
                  TESTS / "fixtures" / "dev_vignettes.jsonl"]
GENERATED = 300

# Generic glue for generated texts; the clinical words come from the catalogue and the
# language data files (findings' phrases, body parts, sides, ConText cues).
FILLERS = ["a bit", "really", "quite", "very", "sometimes", "all the time", "kind of", "the",
           "my", "it", "is", "was", "feels", "got", "at night", "when I walk"]
JOINS = [" and ", " or ", ", ", " but ", ". ", ".\n", " & ", " / ", " then ", "; ", ", and "]
NUMBERS = ["38.5 degrees", "pain 7/10", "for 3 days", "for six weeks", "after a 12 hour flight",
           "I'm 54", "since 2 weeks ago", "two years ago", "39C last night"]


def vignette_texts() -> list[str]:
    texts: list[str] = []
    for path in VIGNETTE_FILES:
        if path.exists():
            texts += [json.loads(line)["text"] for line in path.read_text().splitlines()
                      if line.strip()]
    return texts


def language_test_texts() -> list[str]:
    """String literals of the language tests that look like sentences."""
    texts: list[str] = []
    for path in sorted((TESTS / "language").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and " " in node.value.strip() and len(node.value) >= 6):
                texts.append(node.value)
    return texts


def generated_texts(kb: KnowledgeBase, n: int, seed: int = 20240611) -> list[str]:
    """Seeded texts mixing catalogue phrases (whole, cut, stretched with fillers) with cues."""
    rng = random.Random(seed)
    phrases = sorted({p for f in kb.findings.values() for p in f.phrases})
    body = _data("body.yaml")
    parts = sorted({e for group in body["body_parts"].values() for e in group})
    sides = sorted({e for group in body["sides"].values() for e in group})
    rules = _data("context_rules.yaml")["rules"]
    cues = sorted({str(r["literal"]) for r in rules})

    def phrase() -> str:
        words = rng.choice(phrases).split()
        roll = rng.random()
        if roll < 0.15 and len(words) > 1:  # a word left out
            del words[rng.randrange(len(words))]
        elif roll < 0.35 and len(words) > 1:  # fillers inside the phrase
            words.insert(rng.randrange(1, len(words)), rng.choice(FILLERS))
        return " ".join(words)

    def clause() -> str:
        bits = [phrase()]
        if rng.random() < 0.4:
            bits.insert(0, rng.choice(["my " + rng.choice(parts), rng.choice(parts),
                                       "the " + rng.choice(sides) + " of my "
                                       + rng.choice(parts)]))
        if rng.random() < 0.5:
            bits.insert(0, rng.choice(cues))
        if rng.random() < 0.3:
            bits.append(rng.choice(cues))
        if rng.random() < 0.25:
            bits.append(rng.choice(NUMBERS))
        if rng.random() < 0.3:
            bits.insert(rng.randrange(len(bits) + 1), rng.choice(FILLERS))
        if rng.random() < 0.3:  # a coordinated second conjunct sharing the first's words
            bits.append(rng.choice([" and ", " or ", ", "]).strip() + " " + phrase())
        return " ".join(bits)

    texts = []
    for _ in range(n):
        text = clause()
        for _ in range(rng.randrange(0, 5)):
            text += rng.choice(JOINS) + clause()
        if rng.random() < 0.5:
            text = text[0].upper() + text[1:] + "."
        texts.append(text)
    return texts


def readable(texts: list[str]) -> Iterator[str]:
    seen: set[str] = set()
    for text in texts:
        if text in seen:
            continue
        seen.add(text)
        try:
            validate_text(text)
        except LanguageInputError:
            continue
        yield text


class Recording:
    """A pipeline's target matcher that notes (start, end, label) of every span it gives,
    on the text's doc and on the rewritten docs of coordinated readings."""

    def __init__(self, matcher: Any) -> None:
        self.matcher = matcher
        self.calls: list[list[tuple[int, int, str]]] = []

    def __call__(self, doc: Any) -> Any:
        spans = self.matcher(doc)
        self.calls.append(sorted((s.start, s.end, s.label_) for s in spans))
        return spans


@contextmanager
def recording(pipe: LanguagePipeline) -> Iterator[Recording]:
    matcher = pipe._steps[1]
    pipe._steps[1] = rec = Recording(matcher)
    try:
        yield rec
    finally:
        pipe._steps[1] = matcher


def rule_matches(pipe: LanguagePipeline, doc: Any) -> list[tuple[int, int, str, str]]:
    """(start, end, label, rule) of every rule match on a processed doc, sorted.

    The rule is taken from the matcher's own record of the match, not from
    ``span._.target_rule``: spaCy keeps ``._`` values per character offsets, so spans of two
    rules over the same words share one value (whichever was set last).
    """
    matcher = pipe._steps[1]
    if isinstance(matcher, KeyedTargetMatcher):
        found = [(matcher.rules[i], start, end) for i, start, end in matcher.find(doc)]
    else:  # medSpaCy's TargetMatcher: its MedspacyMatcher knows which rule matched
        inner = matcher._TargetMatcher__matcher
        found = [(inner.rule_map[doc.vocab.strings[key]], start, end)
                 for key, start, end in inner(doc)]
    return sorted((start, end, rule.category, f"{rule.literal} {rule.pattern}")
                  for rule, start, end in found)


def ties(matches: list[tuple[int, int, int]]) -> dict[tuple[int, int], list[int]]:
    """The keys matched over each stretch of tokens, in the order the matcher gave them
    (``filter_spans`` keeps the first of a tie; the order of other matches is free)."""
    out: dict[tuple[int, int], list[int]] = {}
    for key, start, end in matches:
        out.setdefault((start, end), []).append(key)
    return out


def chosen(pipe: LanguagePipeline, doc: Any) -> list[tuple[Any, ...]]:
    """The chosen target spans with their ConText modifiers, in order."""
    return [(s.start, s.end, s.label_,
             [(m.category, m.modifier_span, m.rule.literal) for m in s._.modifiers])
            for s in pipe.targets(doc)]


def reading(text: str, kb: KnowledgeBase, pipe: LanguagePipeline) -> tuple[Any, ...]:
    """Everything one pipeline makes of ``text``: target matches, history cues, chosen
    spans, findings."""
    clean = normalise_text(text)
    with recording(pipe) as rec:
        doc = pipe.process(clean)
    assert pipe.body is not None
    hits = pipe.body.find(doc)
    body = (ties(pipe.body.matcher(doc)), [(s.start, s.end, s.label_) for s in hits.locations],
            [(s.start, s.end, s.label_) for s in hits.normal], hits.parts, hits.regions)
    return (rec.calls, sorted(pipe.history(doc)), body, chosen(pipe, doc),
            read_doc(text, clean, doc, kb, pipe).model_dump())


def assert_same_readings(kb: KnowledgeBase, reference: LanguagePipeline,
                         keyed: LanguagePipeline, texts: list[str]) -> int:
    count = 0
    for text in readable(texts):
        assert reading(text, kb, keyed) == reading(text, kb, reference), text
        count += 1
    return count


@pytest.fixture(scope="module")
def packaged() -> KnowledgeBase:
    return get_knowledge_base()


@pytest.fixture(scope="module")
def packaged_reference(packaged: KnowledgeBase) -> LanguagePipeline:
    return build_pipeline(packaged, matching="plain")


def test_keyed_matching_is_the_default(packaged: KnowledgeBase,
                                       packaged_reference: LanguagePipeline) -> None:
    keyed = get_pipeline(packaged)
    assert isinstance(keyed._steps[1], KeyedTargetMatcher)
    assert len(keyed._steps[1]) == keyed.rule_count == packaged_reference.rule_count
    # ConText's token cues too: the same patterns, the keyed way (the plain one is spaCy's)
    cues = keyed._steps[2]._ConText__matcher._MedspacyMatcher__matcher
    plain_cues = packaged_reference._steps[2]._ConText__matcher._MedspacyMatcher__matcher
    assert isinstance(cues, KeyedMatcher) and not isinstance(plain_cues, KeyedMatcher)
    assert len(cues) == len(plain_cues) > 100


def test_same_rules_match_the_vignettes(packaged: KnowledgeBase,
                                        packaged_reference: LanguagePipeline) -> None:
    keyed = get_pipeline(packaged)
    for text in vignette_texts():
        clean = normalise_text(text)
        assert (rule_matches(keyed, keyed.process(clean))
                == rule_matches(packaged_reference, packaged_reference.process(clean))), text


def test_same_readings_of_vignettes_and_test_sentences(
        packaged: KnowledgeBase, packaged_reference: LanguagePipeline) -> None:
    texts = vignette_texts() + language_test_texts()
    assert assert_same_readings(packaged, packaged_reference, get_pipeline(packaged),
                                texts) >= 300


def test_same_readings_of_generated_texts(packaged: KnowledgeBase,
                                          packaged_reference: LanguagePipeline) -> None:
    texts = generated_texts(packaged, GENERATED)
    assert assert_same_readings(packaged, packaged_reference, get_pipeline(packaged),
                                texts) >= GENERATED - 5


def test_same_readings_with_the_language_tests_knowledge_base() -> None:
    kb = make_kb(FINDINGS, "test-matcher-equivalence-kb")
    reference = build_pipeline(kb, matching="plain")
    texts = language_test_texts() + generated_texts(kb, 100, seed=7)
    assert assert_same_readings(kb, reference, build_pipeline(kb), texts) >= 300


# ---------------------------------------------------------------- the generic KeyedMatcher

WORDS = ["pain", "Pain", "knee", "calf", "behind", "my", "the", "a", "no", "not", "and", "or",
         ",", "swollen", "2015", "years", "ago", "back", "of", "history", "hx", "3",
         "swollen no", "swollen the no"]
PATTERNS: list[tuple[str, list[dict[str, Any]]]] = [
    ("PAIN_PLACE", [{"LOWER": "pain"}, {"LOWER": {"IN": ["my", "the"]}, "OP": "*"},
                    {"NORM": {"IN": ["knee", "calf"]}}]),
    ("PAIN_PLACE", [{"NORM": {"IN": ["knee", "calf"]}}, {"ORTH": "pain"}]),
    ("GAP", [{"NORM": "behind"}, {"LOWER": {"IN": ["my", "the", "a"]}, "OP": "{0,3}"},
             {"TEXT": "knee"}]),
    ("EDGES", [{"LOWER": "no", "OP": "?"}, {"LOWER": "swollen"}, {"NORM": ",", "OP": "?"}]),
    ("AGO", [{"LIKE_NUM": True, "OP": "?"}, {"LOWER": {"IN": ["years", "year"]}},
             {"LOWER": "ago"}]),
    ("YEAR", [{"LOWER": {"IN": ["in", "back"]}, "OP": "?"},
              {"TEXT": {"REGEX": "^(19|20)[0-9][0-9]$"}}]),
    ("ANY", [{"IS_PUNCT": True}, {"LOWER": {"NOT_IN": ["and", "or"]}}]),
    ("HX", [{"lower": {"IN": ["history", "hx"]}}, {"LOWER": "of", "OP": "?"}]),
    ("SAME", [{"LOWER": "back"}, {"LOWER": "of"}]),
    ("SAME", [{"LOWER": "back"}, {"NORM": "of"}]),
    # ties: other keys over the same tokens, from the same group and from other groups
    ("TIE", [{"LOWER": "back"}, {"LOWER": "of"}]),
    ("TIE", [{"NORM": {"IN": ["knee", "calf", "back"]}}, {"NORM": "pain"}]),
    ("TIE2", [{"NORM": "knee"}, {"NORM": {"IN": ["pain", "swollen"]}}]),
    ("TIE2", [{"NORM": {"IN": ["knee", "calf"]}}]),
    ("TIE3", [{"NORM": "calf"}]),
    ("WA", [{"NORM": "swollen"}, {"LOWER": {"IN": ["my", "the", "a"]}, "OP": "?"},
            {"NORM": "no"}]),
    ("WB", [{"NORM": "swollen"}, {"NORM": "no"}]),
    ("WC", [{"NORM": "swollen"}, {"LOWER": {"IN": ["my", "the", "a"]}, "OP": "{0,2}"},
            {"NORM": "no"}]),
]


@pytest.mark.parametrize("exact_ties", [False, True])
def test_keyed_matcher_finds_what_spacy_finds(exact_ties: bool) -> None:
    import spacy
    from spacy.tokens import Doc

    from popliteal.language.matching import KeyedMatcher, Patterns

    nlp = spacy.blank("en")
    patterns = Patterns()
    for key, pattern in PATTERNS:
        patterns.add(key, [pattern])
    plain = patterns.build(nlp.vocab, keyed=False)
    keyed = patterns.build(nlp.vocab, keyed=True, exact_ties=exact_ties)
    assert isinstance(keyed, KeyedMatcher)
    rng = random.Random(5)
    for _ in range(400):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 25)))
        doc = Doc(nlp.vocab, words=text.split())
        for token in doc:
            token.norm_ = token.lower_
        assert sorted(keyed(doc)) == sorted(plain(doc)), doc.text
        if exact_ties:
            assert ties(keyed(doc)) == ties(plain(doc)), doc.text


@pytest.mark.filterwarnings("ignore:.*does not have any patterns")  # medSpaCy's empty Matcher
def test_keyed_target_matcher_runs_phrase_and_regex_rules_as_medspacy_does() -> None:
    import spacy
    from medspacy.target_matcher import TargetMatcher, TargetRule

    nlp = spacy.blank("en")
    rules = [
        TargetRule("knee pain", "PAIN", pattern=[{"LOWER": "knee"}, {"LOWER": "pain"}]),
        TargetRule("swollen calf", "SWELLING"),  # a phrase rule: no pattern
        TargetRule("calf", "PART", pattern=[{"LOWER": {"IN": ["calf", "calves"]}}]),
        TargetRule("year", "WHEN", pattern=r"\b(?:19|20)\d\d\b"),  # a regex rule
        TargetRule("pain anywhere", "PAIN", pattern=[{"IS_ALPHA": True, "OP": "?"},
                                                     {"LOWER": "pain"}]),
    ]
    plain = TargetMatcher(nlp, result_type=None, prune=False)
    plain.add(rules)
    keyed = KeyedTargetMatcher(nlp, rules)
    inner = plain._TargetMatcher__matcher
    for text in ["Knee pain and a swollen calf since 2019.", "calves", "no pain",
                 "Swollen calf, knee pain, pain in 1999", "nothing here"]:
        doc = nlp(text)
        expected = sorted((start, end, inner.rule_map[doc.vocab.strings[key]].literal)
                          for key, start, end in inner(doc))
        assert sorted((start, end, keyed.rules[i].literal)
                      for i, start, end in keyed.find(doc)) == expected, text
        assert (sorted((s.start, s.end, s.label_) for s in keyed(doc))
                == sorted((s.start, s.end, s.label_) for s in plain(doc))), text
