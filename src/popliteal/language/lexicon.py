"""Word normalisation shared by catalogue phrases and patient text.

Why: patients do not write the catalogue's phrases. They add "my" and "the", write plurals,
hyphenate ("back-of-knee", "12-hour"), misspell ("swolen", "bakers cist") and use other
words for the same thing ("can't straighten" / "unable to straighten"). Rather than list
every variant per finding, every phrase and every text token go through the *same*
normalisation, so a rule added here helps every finding, present and future.

The normal form of a token is written to ``token.norm_``; target rules match on ``NORM``.
Matching only ever compares normal forms, so a normalisation needs to be consistent, not
linguistically perfect (``"this"`` -> ``"thi"`` is harmless).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import product
from typing import Any

import yaml

_HYPHEN_BETWEEN = re.compile(r"(?<=[A-Za-z0-9])[-\u2010\u2011\u2012\u2013](?=[A-Za-z0-9])")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                         "\u00a0": " "})
_MAX_VARIANTS = 24


def normalise_text(text: str) -> str:
    """Same-length clean-up so character offsets stay valid for the original text.

    Hyphens between letters/digits become spaces ("12-hour" -> "12 hour",
    "back-of-knee" -> "back of knee") and curly quotes become straight ones.
    """
    return _HYPHEN_BETWEEN.sub(" ", text.translate(_QUOTES))


@lru_cache(maxsize=1)
def _lexicon_data() -> dict[str, Any]:
    raw = (resources.files("popliteal.language") / "data" / "lexicon.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def stem(word: str, keep: frozenset[str] = frozenset(), verbs: bool = True) -> str:
    """A crude, consistent fold of plurals, possessives and verb endings.

    "knees" -> "knee", "calf's" -> "calf", "locked"/"locking" -> "lock", "running" -> "run".
    Tense and number rarely change what a patient means ("knee locks" / "knee locked"), and
    since phrases and text are folded alike, a crude fold only adds matches. ``keep`` lists
    words whose ending is part of the word ("morning", "evening").
    """
    if word.endswith("'s") and len(word) > 3:
        word = word[:-2]
    if len(word) < 4 or not word.isalpha() or word in keep:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word in keep or not verbs:
        return word
    if word.endswith("ing") and len(word) >= 7:
        return _undouble(word[:-3])
    if word.endswith("ed") and len(word) >= 6 and not word.endswith("eed"):
        return _undouble(word[:-2])
    return word


def _undouble(base: str) -> str:
    """"runn" -> "run", "stopp" -> "stop"; "swell" and "kiss" keep their double letter."""
    if len(base) >= 3 and base[-1] == base[-2] and base[-1] not in "lsz":
        return base[:-1]
    return base


def fold(word: str) -> str:
    """Spelling skeleton: doubled letters, y/i, ph/f, ck/k fold together ("cist" ~ "cyst")."""
    word = word.replace("ph", "f").replace("ck", "k").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", word)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance exactly one (insert, delete, substitute, swap)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (len(diff) == 2 and diff[1] == diff[0] + 1
                and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@dataclass
class Lexicon:
    """The catalogue's vocabulary plus the generic rules to map text words onto it."""

    determiners: frozenset[str]
    links: frozenset[str]
    irregular: dict[str, str]
    equivalents: list[list[tuple[str, ...]]]
    protected: frozenset[str]
    #: per group, how many leading wordings trigger it (the rest are one-way additions)
    triggers: list[int] = field(default_factory=list)
    #: words that may stand inside a phrase in a text but are never dropped from a phrase
    hedges: frozenset[str] = frozenset()
    keep_endings: frozenset[str] = frozenset()
    raw_equivalents: list[list[str]] = field(default_factory=list)
    min_edit_length: int = 6
    min_fold_length: int = 4
    vocabulary: set[str] = field(default_factory=set)
    _base_forms: set[str] = field(default_factory=set)
    _ended_forms: set[str] = field(default_factory=set)
    _deletion_index: dict[str, set[str]] = field(default_factory=dict)
    _fold_index: dict[str, set[str]] = field(default_factory=dict)
    _cache: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lexicon:
        """The packaged generic rules, with an empty vocabulary (see :meth:`learn`)."""
        data = _lexicon_data()
        irregular = {str(k).lower(): str(v).lower() for k, v in data["irregular"].items()}
        base = cls(
            determiners=frozenset(str(w).lower() for w in data["determiners"]),
            links=frozenset(str(w).lower() for w in data["links"]),
            hedges=frozenset(str(w).lower() for w in data.get("hedges", [])),
            irregular=irregular,
            equivalents=[],
            protected=frozenset(str(w).lower() for w in data.get("protected", [])),
            keep_endings=frozenset(str(w).lower() for w in data.get("keep_endings", [])),
            min_edit_length=int(data.get("min_edit_length", 6)),
            min_fold_length=int(data.get("min_fold_length", 4)),
        )
        groups: list[list[str]] = []
        for group in data["equivalents"]:
            if isinstance(group, dict):
                same = [str(a).lower() for a in group["same"]]
                groups.append(same + [str(a).lower() for a in group.get("also", [])])
                base.triggers.append(len(same))
            else:
                groups.append([str(a).lower() for a in group])
                base.triggers.append(len(group))
        # text tokens are compared in normal form ("sometimes" -> "sometime"), so the
        # filler lists hold both spellings
        base.links = base.links | {base.word_norm(w) for w in base.links}
        base.determiners = base.determiners | {base.word_norm(w) for w in base.determiners}
        base.hedges = base.hedges | {base.word_norm(w) for w in base.hedges}
        base.raw_equivalents = groups
        base.equivalents = [
            [tuple(base.word_norm(w) for w in _split_words(alt)) for alt in group]
            for group in groups
        ]
        return base

    @property
    def fillers(self) -> frozenset[str]:
        """Words that may stand between the words of a phrase (determiners, links, hedges)."""
        return self.determiners | self.links | self.hedges

    # ------------------------------------------------------------------ vocabulary

    def learn(self, words: Iterable[str]) -> None:
        """Add normalised catalogue words; only these are targets of spelling correction."""
        for word in words:
            if not word.isalpha() or word in self.vocabulary:
                continue
            self.vocabulary.add(word)
            if len(word) >= self.min_edit_length - 1:
                for key in {word, *_deletes(word)}:
                    self._deletion_index.setdefault(key, set()).add(word)
            if len(word) >= self.min_fold_length:
                self._fold_index.setdefault(fold(word), set()).add(word)
        self._cache.clear()

    def note_forms(self, raw_words: Iterable[str]) -> None:
        """Record which normal forms catalogue words reach only by losing an -ed/-ing ending.

        Such a form ("drain" from "drained") must not match the bare word in a text ("a
        drain"): a text word meets it only if it had an ending too ("drained", "draining").
        """
        for raw in raw_words:
            full = self.word_norm(raw)
            plain = self._plain(raw)
            (self._base_forms if full == plain else self._ended_forms).add(full)
        self._cache.clear()

    def _plain(self, word: str) -> str:
        word = self.irregular.get(word, word)
        folded = stem(word, self.keep_endings, verbs=False)
        return self.irregular.get(folded, folded)

    def word_norm(self, word: str) -> str:
        """Normal form of one lower-cased word, before spelling correction."""
        word = self.irregular.get(word, word)
        folded = stem(word, self.keep_endings)
        return self.irregular.get(folded, folded)

    def text_norm(self, lower_norm: str) -> str:
        """Normal form of a text token (spaCy's norm: lower case, "n't" -> "not").

        Exact vocabulary words win; then a unique one-edit neighbour with the same first
        letter (long words only); then a unique word with the same spelling skeleton.
        """
        cached = self._cache.get(lower_norm)
        if cached is not None:
            return cached
        word = self.word_norm(lower_norm)
        if (word in self._ended_forms and word not in self._base_forms
                and self._plain(lower_norm) == word):
            word = f"{word}~bare"  # a bare word never meets a form reached via an ending
        elif word not in self.vocabulary and word.isalpha() and lower_norm not in self.protected:
            word = self._correct(word) or word
        if len(self._cache) < 50_000:
            self._cache[lower_norm] = word
        return word

    def _correct(self, word: str) -> str | None:
        if len(word) >= self.min_edit_length:
            candidates: set[str] = set(self._deletion_index.get(word, ()))
            for d in _deletes(word):
                candidates |= self._deletion_index.get(d, set())
            close = {c for c in candidates if c[0] == word[0] and _one_edit(c, word)}
            if len(close) == 1:
                return close.pop()
        if len(word) >= self.min_fold_length:
            same = {c for c in self._fold_index.get(fold(word), ()) if c[0] == word[0]}
            if len(same) == 1:
                return same.pop()
        return None

    # ------------------------------------------------------------------ phrases

    def phrase_slots(self, words: list[str]) -> list[list[tuple[str, ...]]]:
        """A phrase as slots of interchangeable wordings.

        ``words`` are spaCy norms of the phrase's tokens. Determiners are dropped (the
        matcher allows them anywhere). Each slot lists the wordings that may fill it: the
        phrase's own first, then its equivalents (``"can not"`` / ``"unable to"``).
        """
        core = tuple(self.word_norm(w) for w in words if w not in self.determiners)
        core = tuple(w for w in core if w not in self.determiners)
        if not core:
            core = tuple(self.word_norm(w) for w in words)
        slots: list[list[tuple[str, ...]]] = []
        i = 0
        while i < len(core):
            hit = self._equivalent_at(core, i)
            if hit is None:
                slots.append([(core[i],)])
                i += 1
            else:
                length, group = hit
                own = core[i:i + length]
                slots.append([own, *[g for g in group if g != own]])
                i += length
        return slots

    def phrase_variants(self, words: list[str]) -> list[tuple[str, ...]]:
        """Every wording of a phrase as a flat word sequence (at most 24)."""
        out: list[tuple[str, ...]] = []
        for combo in product(*self.phrase_slots(words)):
            seq = tuple(w for part in combo for w in part)
            if seq not in out:
                out.append(seq)
            if len(out) >= _MAX_VARIANTS:
                break
        return out

    def _equivalent_at(
        self, core: tuple[str, ...], i: int
    ) -> tuple[int, list[tuple[str, ...]]] | None:
        best: tuple[int, list[tuple[str, ...]]] | None = None
        for group, n_triggers in zip(self.equivalents, self.triggers, strict=True):
            for alt in group[:n_triggers]:
                n = len(alt)
                if n and core[i:i + n] == alt and (best is None or n > best[0]):
                    best = (n, group)
        return best


def _split_words(text: str) -> list[str]:
    return text.lower().split()
