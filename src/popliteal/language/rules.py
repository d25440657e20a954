"""Target rules generated from the findings catalogue's phrases.

Why generated: the catalogue is the single place where patients' words for a finding live.
Adding a phrase to a finding's YAML entry makes the extractor find it, with no code change
and no hand-written rule per sentence. Each phrase becomes one token pattern per wording
variant (see :class:`~popliteal.language.lexicon.Lexicon`), matched on the normalised token
(``NORM``), with room for determiners and linking words between its words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from popliteal.language.lexicon import Lexicon, normalise_text

if TYPE_CHECKING:
    from spacy.language import Language

    from popliteal.knowledge.base import KnowledgeBase

#: Most filler words (determiners, links) allowed between two words of a phrase.
MAX_GAP = 3
#: The blank pipeline has no tagger, so the TAG attribute is free to carry our "filler word"
#: mark (set by the pipeline's normalisation step). One short TAG test per gap keeps ~7,000
#: patterns small: a 50-word ``IN`` list per gap made building the matcher take 9 s.
FILLER_TAG = "POPLITEAL_FILLER"
OTHER_TAG = "POPLITEAL_WORD"


@dataclass(frozen=True)
class PhrasePattern:
    """One matcher pattern: which finding it shows, which phrase it came from."""

    finding_id: str
    phrase: str
    words: tuple[str, ...]
    pattern: list[dict[str, Any]]


def phrase_words(nlp: Language, phrase: str) -> list[str]:
    """spaCy norms of a phrase's tokens ("can't" -> "can", "not").

    Punctuation is dropped except commas, which become optional in the pattern: a comma
    written in a phrase may be written or left out, but a comma the phrase does not have
    may not be crossed ("knee swollen, calf tender" is not "swollen calf").
    """
    doc = nlp.make_doc(normalise_text(phrase))
    return [t.norm_ for t in doc if t.text == "," or not (t.is_punct or t.is_space)]


def build_patterns(nlp: Language, kb: KnowledgeBase, lexicon: Lexicon) -> list[PhrasePattern]:
    """Every phrase of every finding as token patterns; teaches ``lexicon`` their words.

    Two passes: the vocabulary must be complete before text tokens can be spell-corrected
    toward it, and phrase words are normalised with the same rules as text words.
    """
    raw: list[tuple[str, str, list[str]]] = []
    for finding in kb.findings.values():
        for phrase in finding.phrases:
            words = phrase_words(nlp, phrase)
            if words:
                raw.append((finding.id, phrase, words))
    lexicon.learn(
        w for _, _, words in raw for variant in lexicon.phrase_variants(words) for w in variant
    )
    out: list[PhrasePattern] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for finding_id, phrase, words in raw:
        for variant in lexicon.phrase_variants(words):
            seq = _drop_inner_links(_strip_commas(variant), lexicon)
            key = (finding_id, seq)
            if not seq or key in seen:
                continue
            seen.add(key)
            out.append(PhrasePattern(finding_id, phrase, seq, _token_pattern(seq)))
    return out


def _strip_commas(words: tuple[str, ...]) -> tuple[str, ...]:
    """No comma at a phrase's edges, none doubled."""
    out: list[str] = []
    for word in words:
        if word == "," and (not out or out[-1] == ","):
            continue
        out.append(word)
    while out and out[-1] == ",":
        out.pop()
    return tuple(out)


def _drop_inner_links(words: tuple[str, ...], lexicon: Lexicon) -> tuple[str, ...]:
    """Linking words inside a phrase are optional; at its edges they carry meaning."""
    if len(words) <= 2:
        return words
    inner = [w for w in words[1:-1] if w not in lexicon.links]
    return (words[0], *inner, words[-1])


def _token_pattern(words: tuple[str, ...]) -> list[dict[str, Any]]:
    pattern: list[dict[str, Any]] = []
    for i, word in enumerate(words):
        if word == ",":
            pattern.append({"NORM": ",", "OP": "?"})
            continue
        if i and words[i - 1] != ",":
            pattern.append({"TAG": FILLER_TAG, "OP": f"{{0,{MAX_GAP}}}"})
        pattern.append({"NORM": word})
    return pattern


def target_rules(patterns: list[PhrasePattern]) -> list[Any]:
    """medspaCy ``TargetRule`` objects (imported lazily: medspaCy is slow to import)."""
    from medspacy.target_matcher import TargetRule

    return [
        TargetRule(p.phrase, p.finding_id, pattern=p.pattern, metadata={"phrase": p.phrase})
        for p in patterns
    ]
