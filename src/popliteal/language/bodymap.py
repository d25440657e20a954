"""Where it hurts, what a bare word is about, and what the patient says is normal.

Why generic rules and not more catalogue phrases: "a sharp grab in the calf", "tightening
in the middle of my calf" and "my calf, it really aches" say the same thing with words in
any order. A pain word and a place in one clause give the place's location finding (data:
``data/body.yaml``). A bare "swollen" belongs to the body part its clause is about, so "the
ankle a little swollen" is not knee swelling. And "my back is fine", "walking is ok", "I can
walk" rule findings out (data: ``data/normality.yaml``).

All three use one spaCy ``Matcher`` over the normalised tokens, run once per text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from popliteal.language.rules import FILLER_TAG, MAX_GAP, phrase_words
from popliteal.language.spans import CLAUSE_STARTS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from popliteal.language.lexicon import Lexicon

#: Label prefix of a normality span; the rest of the label indexes :attr:`BodyRules.normal`.
NORMAL_PREFIX = "normal:"
#: Label prefix of a bare word's copy for the body part named earlier (used when negated).
ECHO_PREFIX = "echo:"
_NONE = "none"
_PAIN_BREAKS = CLAUSE_STARTS | {","}
#: Clause starts that end the search for a bare word's body part ("calf is now swollen" and
#: "ankle swells when I walk" stay one clause).
_HARD_BREAKS = frozenset({".", ";", ":", "!", "?", "but", "because", "cos", "although",
                          "though", "however", "whereas", "while", "(", ")"})


@lru_cache(maxsize=2)
def _data(name: str) -> dict[str, Any]:
    raw = (resources.files("popliteal.language") / "data" / name).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


@dataclass
class BodyHits:
    """What the body matcher found in one text."""

    locations: list[Span] = field(default_factory=list)
    normal: list[Span] = field(default_factory=list)
    parts: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class BodyRules:
    """The compiled rules of ``body.yaml`` and ``normality.yaml``."""

    matcher: Any
    retarget: dict[str, dict[str, str | None]]
    #: normality rule index -> finding ids it makes absent
    normal: list[tuple[str, ...]]
    attach_back: int
    attach_forward: int
    pain_reach: int

    @classmethod
    def build(cls, nlp: Language, lexicon: Lexicon) -> BodyRules:
        """Compile the data files' expressions with the same normalisation as phrases."""
        from spacy.matcher import Matcher

        body, normality = _data("body.yaml"), _data("normality.yaml")

        def words(expr: str) -> list[str]:
            raw = phrase_words(nlp, str(expr))
            return [lexicon.word_norm(w) for w in raw if w != ","]

        every = [w for group in body["locations"].values() for e in group for w in words(e)]
        every += [w for group in body["body_parts"].values() for e in group for w in words(e)]
        every += [w for e in body["pain_words"] for w in words(e)]
        lexicon.learn(every)
        matcher = Matcher(nlp.vocab)
        fillers = sorted(lexicon.fillers)

        def seq(expr: str, keep_determiners: bool = False) -> list[dict[str, Any]]:
            ws = [w for w in words(expr)
                  if keep_determiners or w not in lexicon.determiners] or words(expr)
            out: list[dict[str, Any]] = []
            for i, w in enumerate(ws):
                if i:
                    out.append({"TAG": FILLER_TAG, "OP": f"{{0,{MAX_GAP}}}"})
                out.append({"NORM": w})
            return out

        for fid, exprs in body["locations"].items():
            matcher.add(f"LOC|{fid}", [seq(e) for e in exprs])
        for part, exprs in body["body_parts"].items():
            matcher.add(f"PART|{part}", [seq(e) for e in exprs])
        # "aches" folds to "ach" but "ache" stays "ache": take every inflected form's norm
        pains = sorted({lexicon.word_norm(w + end) for e in body["pain_words"]
                        for w in words(e) for end in ("", "s", "es", "ed", "ing")})
        matcher.add("PAIN", [[{"NORM": {"IN": pains}}]])

        normal: list[tuple[str, ...]] = []
        connectors = sorted({lexicon.word_norm(str(w)) for w in normality["connectors"]}
                            | set(fillers))
        single = sorted({words(w)[0] for w in normality["normal_words"] if len(words(w)) == 1})
        multi = [w for w in normality["normal_words"] if len(words(w)) > 1]
        gap = {"NORM": {"IN": connectors}, "OP": "{0,4}"}
        preps = {"NORM": {"IN": ["with", "when", "on", "while", "at", "in"]}, "OP": "?"}
        for rule in normality["subjects"]:
            label = f"{NORMAL_PREFIX}{len(normal)}"
            normal.append(tuple(rule["absent"]))
            lexicon.learn(w for e in rule["words"] for w in words(e))
            patterns: list[list[dict[str, Any]]] = []
            for expr in rule["words"]:
                if rule.get("complete"):
                    patterns.append(seq(expr))
                    continue
                patterns.append([*seq(expr), gap, {"NORM": {"IN": single}}])
                patterns += [[*seq(expr), gap, *seq(m, keep_determiners=True)] for m in multi]
                patterns.append([{"NORM": "no"}, {"NORM": "problem"}, preps, *seq(expr)])
            matcher.add(label, patterns)
        for rule in normality["abilities"]:
            label = f"{NORMAL_PREFIX}{len(normal)}"
            normal.append(tuple(rule["absent"]))
            matcher.add(label, [seq(p, keep_determiners=True) for p in rule["phrases"]])
        lexicon.learn(w for e in normality["normal_words"] for w in words(e))
        return cls(
            matcher=matcher,
            retarget={k: dict(v) for k, v in body["retarget"].items()},
            normal=normal,
            attach_back=int(body.get("attach_back", 6)),
            attach_forward=int(body.get("attach_forward", 4)),
            pain_reach=int(body.get("pain_reach", 8)),
        )

    # ------------------------------------------------------------------ reading

    def find(self, doc: Doc) -> BodyHits:
        """Locations (pain word + place), normality statements and body-part mentions."""
        from spacy.tokens import Span as SpanClass
        from spacy.util import filter_spans

        strings = doc.vocab.strings
        locs: list[Span] = []
        pains: list[int] = []
        normal: list[Span] = []
        parts: list[Span] = []
        for match_id, start, end in self.matcher(doc):
            label = strings[match_id]
            if label == "PAIN":
                pains.append(start)
            elif label.startswith("LOC|"):
                locs.append(SpanClass(doc, start, end, label=label[4:]))
            elif label.startswith("PART|"):
                parts.append(SpanClass(doc, start, end, label=label[5:]))
            else:
                normal.append(SpanClass(doc, start, end, label=label))
        hits = BodyHits(normal=filter_spans(normal))
        hits.parts = [(s.start, s.end, s.label_) for s in filter_spans(parts)]
        places = filter_spans(locs)
        chosen: dict[tuple[int, int, str], Span] = {}
        for p in sorted(set(pains)):
            best: tuple[int, int, Span] | None = None
            for place in places:
                if place.start <= p < place.end:
                    continue
                lo, hi = (p + 1, place.start) if place.start > p else (place.end, p)
                dist = hi - lo
                if dist > self.pain_reach or _broken(doc, lo, hi):
                    continue
                key = (dist, 0 if place.start > p else 1, place)
                if best is None or key[:2] < best[:2]:
                    best = key
            if best is None or best[2].label_ == _NONE:
                continue
            place = best[2]
            start, end = min(p, place.start), max(p + 1, place.end)
            chosen.setdefault((start, end, place.label_),
                              SpanClass(doc, start, end, label=place.label_))
        hits.locations = list(chosen.values())
        return hits

    def attach(self, doc: Doc, spans: list[Span], parts: list[tuple[int, int, str]],
               echoes: list[Span] | None = None) -> list[Span]:
        """Give bare words ("swollen") to the body part their clause is about.

        A bare word whose clause names no body part is kept as it is; if ``echoes`` is
        given, a copy labelled ``echo:<finding>`` for the body part last named earlier in
        the text is added to it. Extraction uses an echo only when it is negated: "My calf
        is sore. No swelling." denies calf swelling too, but "Swelling." does not assert it.
        """
        from spacy.tokens import Span as SpanClass

        out: list[Span] = []
        for span in spans:
            table = self.retarget.get(span.label_)
            if table is None or any(s < span.end and span.start < e for s, e, _ in parts):
                out.append(span)
                continue
            part = self._nearest_part(doc, span, parts)
            if part is None or part not in table:
                out.append(span)
                if part is None and echoes is not None:
                    earlier = [p for s, e, p in parts if e <= span.start]
                    target = table.get(earlier[-1]) if earlier else None
                    if target is not None:
                        echoes.append(SpanClass(doc, span.start, span.end,
                                                label=f"{ECHO_PREFIX}{target}"))
                continue
            target = table[part]
            if target is not None:
                out.append(SpanClass(doc, span.start, span.end, label=target))
        return out

    def _nearest_part(self, doc: Doc, span: Span, parts: list[tuple[int, int, str]]
                      ) -> str | None:
        sent = doc[span.start].sent
        before = [(span.start - e, part) for s, e, part in parts
                  if e <= span.start and s >= sent.start
                  and span.start - e <= self.attach_back
                  and not _broken(doc, e, span.start, hard_only=True)]
        if before:
            return min(before)[1]
        after = [(s - span.end, part) for s, e, part in parts
                 if s >= span.end and e <= sent.end and s - span.end <= self.attach_forward
                 and not _broken(doc, span.end, s, hard_only=True)]
        return min(after)[1] if after else None


def _broken(doc: Doc, lo: int, hi: int, hard_only: bool = False) -> bool:
    """Whether a clause start (or, unless ``hard_only``, a comma) lies in tokens lo..hi."""
    breaks = _HARD_BREAKS if hard_only else _PAIN_BREAKS
    return any(doc[i].norm_ in breaks or doc[i].is_sent_start and i > lo
               for i in range(lo, hi))


def normal_label(label: str) -> int | None:
    """The normality rule index of a span label, or None for other labels."""
    if not label.startswith(NORMAL_PREFIX):
        return None
    return int(label[len(NORMAL_PREFIX):])
