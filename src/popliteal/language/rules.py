"""Target rules generated from the findings catalogue's phrases.

Why generated: the catalogue is the single place where patients' words for a finding live.
Adding a phrase to a finding's YAML entry makes the extractor find it, with no code change
and no hand-written rule per sentence. Each phrase becomes one token pattern per wording
variant (see :class:`~popliteal.language.lexicon.Lexicon`), matched on the normalised token
(``NORM``), with room for determiners and linking words between its words.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING, Any

from popliteal.language.lexicon import Lexicon, normalise_text

if TYPE_CHECKING:
    from spacy.language import Language

    from popliteal.knowledge import KnowledgeBase

#: Most filler words (determiners, links) allowed between two words of a phrase.
MAX_GAP = 3
#: The blank pipeline has no tagger, so the TAG attribute is free to carry our "filler word"
#: mark (set by the pipeline's normalisation step). One short TAG test per gap keeps ~7,000
#: patterns small: a 50-word ``IN`` list per gap made building the matcher take 9 s.
FILLER_TAG = "POPLITEAL_FILLER"
OTHER_TAG = "POPLITEAL_WORD"
#: Cap on patterns from one phrase's multi-word alternatives.
MAX_PATTERNS_PER_PHRASE = 16


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
    One-word alternatives share one pattern (``NORM IN [...]``); only multi-word
    alternatives need patterns of their own. The matcher's cost grows with the number of
    patterns, so this keeps reading a narrative fast.
    """
    raw: list[tuple[str, str, list[list[tuple[str, ...]]]]] = []
    for finding in kb.findings.values():
        for phrase in finding.phrases:
            words = phrase_words(nlp, phrase)
            if words:
                raw.append((finding.id, phrase, lexicon.phrase_slots(words)))
    lexicon.learn(w for _, _, slots in raw for slot in slots for alt in slot for w in alt)
    lexicon.note_forms(w for finding in kb.findings.values() for phrase in finding.phrases
                       for w in phrase_words(nlp, phrase))
    lexicon.note_forms(w for group in lexicon.raw_equivalents for alt in group
                       for w in alt.split())
    out: list[PhrasePattern] = []
    seen: set[tuple[str, tuple[tuple[str, ...], ...]]] = set()
    for finding_id, phrase, slots in raw:
        for seq in _expand(slots, lexicon):
            key = (finding_id, seq)
            if not seq or key in seen:
                continue
            seen.add(key)
            first_words = tuple(slot[0] for slot in seq)
            out.append(PhrasePattern(finding_id, phrase, first_words, _token_pattern(seq)))
    return out


def _expand(slots: list[list[tuple[str, ...]]], lexicon: Lexicon
            ) -> list[tuple[tuple[str, ...], ...]]:
    """Token slots (each a tuple of one-word alternatives) for every multi-word choice."""
    multi = [i for i, slot in enumerate(slots) if any(len(alt) != 1 for alt in slot)]
    out: list[tuple[tuple[str, ...], ...]] = []
    for combo in product(*[slots[i] for i in multi]):
        chosen = dict(zip(multi, combo, strict=True))
        seq: list[tuple[str, ...]] = []
        for i, slot in enumerate(slots):
            if i in chosen:
                seq.extend((w,) for w in chosen[i])
            else:
                seq.append(tuple(dict.fromkeys(alt[0] for alt in slot)))
        out.append(_drop_inner_links(_strip_commas(seq), lexicon))
        if len(out) >= MAX_PATTERNS_PER_PHRASE:
            break
    return out


def _strip_commas(seq: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """No comma at a phrase's edges, none doubled."""
    out: list[tuple[str, ...]] = []
    for slot in seq:
        if slot == (",",) and (not out or out[-1] == (",",)):
            continue
        out.append(slot)
    while out and out[-1] == (",",):
        out.pop()
    return tuple(out)


def _drop_inner_links(seq: tuple[tuple[str, ...], ...], lexicon: Lexicon
                      ) -> tuple[tuple[str, ...], ...]:
    """Linking words inside a phrase are optional; at its edges they carry meaning."""
    if len(seq) <= 2:
        return seq
    inner = [s for s in seq[1:-1] if not (len(s) == 1 and s[0] in lexicon.links)]
    return (seq[0], *inner, seq[-1])


def _token_pattern(seq: tuple[tuple[str, ...], ...]) -> list[dict[str, Any]]:
    pattern: list[dict[str, Any]] = []
    for i, slot in enumerate(seq):
        if slot == (",",):
            pattern.append({"NORM": ",", "OP": "?"})
            continue
        if i and seq[i - 1] != (",",):
            pattern.append({"TAG": FILLER_TAG, "OP": f"{{0,{MAX_GAP}}}"})
        pattern.append({"NORM": slot[0]} if len(slot) == 1 else {"NORM": {"IN": list(slot)}})
    return pattern


def target_rules(patterns: list[PhrasePattern]) -> list[Any]:
    """medspaCy ``TargetRule`` objects (imported lazily: medspaCy is slow to import)."""
    from medspacy.target_matcher import TargetRule

    return [
        TargetRule(p.phrase, p.finding_id, pattern=p.pattern, metadata={"phrase": p.phrase})
        for p in patterns
    ]
