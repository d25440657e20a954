"""Where it hurts, what a bare word is about, and what the patient says is normal.

Why generic rules and not more catalogue phrases: "a sharp grab in the calf", "tightening
in the middle of my calf" and "my calf, it really aches" say the same thing with words in
any order. A pain word and a place in one clause give the place's location finding (data:
``data/body.yaml``). A bare "swollen" belongs to the body part its clause is about, so "the
ankle a little swollen" is not knee swelling. And "my back is fine", "walking is ok", "I can
walk" rule findings out (data: ``data/normality.yaml``).

Which part of which part: "the back of my knee" and "the front and back of the knee" name a
region of the knee, not the lower back, so a catalogue phrase ending on "back" does not match
there. "More on the inside" after "my calf aches" is the inner calf: a side said without its
part belongs to the part named before it. And "a tender spot in the muscle" after "my calf
is sore" is calf tenderness: tenderness goes to the place its clause (or the sentence
before) names.

Where it spreads: "pain from my back down the back of my leg" is low back pain spreading
down the leg, and "the pain shoots down to my knee" pain from above it, said in words no
phrase lists (see :mod:`popliteal.language.spreading`; data: ``spreading`` in
``data/body.yaml``).

All of these use one matcher over the normalised tokens, run once per text (a
:class:`~popliteal.language.matching.KeyedMatcher`: the same matches as one spaCy
``Matcher``, found by running only the expressions whose words the text holds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from popliteal.language.matching import Patterns
from popliteal.language.rules import FILLER_TAG, MAX_GAP, phrase_words
from popliteal.language.spans import CLAUSE_STARTS, NEGATIONS
from popliteal.language.spreading import Spreading

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
    #: token of a part word used as a region of another part ("back" in "back of the
    #: knee") -> the token where its "of ..." starts
    regions: dict[int, int] = field(default_factory=dict)


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
    #: body part -> side ("inner"/"outer") -> location finding
    side_of: dict[str, dict[str, str]] = field(default_factory=dict)
    default_side_part: str = "knee"
    side_words: frozenset[str] = frozenset()
    focus_words: frozenset[str] = frozenset()
    focus_between: frozenset[str] = frozenset()
    region_parts: frozenset[str] = frozenset()
    region_words: frozenset[str] = frozenset()
    not_a_region: frozenset[str] = frozenset()
    part_nouns: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()
    tender_reach: int = 6
    #: findings whose bare words, in a clause naming no part, belong to the part named last
    #: before them ("My knee is huge. It is swollen and tight.")
    attach_earlier: frozenset[str] = frozenset()
    #: findings whose bare words, in a clause naming no part, belong to the part named last
    #: in the same or the previous sentence ("My calf is tight. It is swollen as well.")
    attach_recent: frozenset[str] = frozenset()
    pronouns: frozenset[str] = frozenset()
    #: pain spreading down the leg (see :mod:`popliteal.language.spreading`)
    spread: Spreading | None = None
    #: normality rules of pain-free words ("not hurting"), and the words after one that
    #: make it no statement of absence ("doesn't hurt as much")
    pain_free_rules: frozenset[int] = frozenset()
    pain_free_qualifiers: frozenset[tuple[str, ...]] = frozenset()

    @classmethod
    def build(cls, nlp: Language, lexicon: Lexicon, keyed: bool = True) -> BodyRules:
        """Compile the data files' expressions with the same normalisation as phrases.

        ``keyed``: match with a :class:`~popliteal.language.matching.KeyedMatcher` (only the
        expressions whose words the text holds; over the same tokens, matches come in
        spaCy's order, which :func:`spacy.util.filter_spans` depends on), else with one
        plain spaCy ``Matcher``, the reference it is tested against.
        """
        body, normality = _data("body.yaml"), _data("normality.yaml")

        def words(expr: str) -> list[str]:
            raw = phrase_words(nlp, str(expr))
            return [lexicon.word_norm(w) for w in raw if w != ","]

        tenderness = body["tenderness"]
        spreading = body["spreading"]
        every = [w for group in body["locations"].values() for e in group for w in words(e)]
        every += [w for group in body["body_parts"].values() for e in group for w in words(e)]
        every += [w for e in body["pain_words"] for w in words(e)]
        every += [w for group in body["sides"].values() for e in group for w in words(e)]
        every += [w for e in tenderness["words"] for w in words(e)]
        every += [w for group in tenderness["places"].values() for e in group
                  for w in words(e)]
        every += [w for group in spreading["origins"] for e in group["places"] for w in words(e)]
        every += [w for e in spreading["to"] for w in words(e)]
        every += [w for e in spreading.get("descent", {}).get("to", []) for w in words(e)]
        lexicon.learn(every)
        matcher = Patterns()
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
        for side, exprs in body["sides"].items():
            matcher.add(f"SIDE|{side}", [seq(e) for e in exprs])
        matcher.add("TENDER", [seq(e) for e in tenderness["words"]])
        for fid, exprs in tenderness["places"].items():
            matcher.add(f"TPLACE|{fid}", [seq(e) for e in exprs])
        # "aches" folds to "ach" but "ache" stays "ache": take every inflected form's norm
        pains = sorted({lexicon.word_norm(w + end) for e in body["pain_words"]
                        for w in words(e) for end in ("", "s", "es", "ed", "ing")})
        matcher.add("PAIN", [[{"NORM": {"IN": pains}}]])
        for k, group in enumerate(spreading["origins"]):
            matcher.add(f"ORIGIN|{k}", [seq(e) for e in group["places"]])
        matcher.add("DEST", [seq(e) for e in spreading["to"]])
        descent_to = spreading.get("descent", {}).get("to", [])
        if descent_to:
            matcher.add("DOWN", [seq(e) for e in descent_to])

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
        pain_free: set[int] = set()
        for rule in normality["subjects"]:
            if not rule.get("pain"):
                continue
            label = f"{NORMAL_PREFIX}{len(normal)}"
            pain_free.add(len(normal))
            normal.append(tuple(rule["pain"]))
            matcher.add(label, [[*seq(expr), gap, *seq(w, keep_determiners=True)]
                                for expr in rule["words"]
                                for w in normality["pain_free_words"]])
        for rule in normality["abilities"]:
            label = f"{NORMAL_PREFIX}{len(normal)}"
            normal.append(tuple(rule["absent"]))
            matcher.add(label, [seq(p, keep_determiners=True) for p in rule["phrases"]])
        lexicon.learn(w for e in normality["normal_words"] for w in words(e))

        def norms(key: str) -> frozenset[str]:
            return frozenset(lexicon.word_norm(str(w).lower()) for w in body.get(key, []))

        region_words = norms("region_words")
        part_nouns = frozenset(
            w for group in body["body_parts"].values() for e in group for w in words(e)
            if w not in region_words and w not in lexicon.fillers and w != "behind")
        return cls(
            matcher=matcher.build(nlp.vocab, keyed, exact_ties=True),
            retarget={k: dict(v) for k, v in body["retarget"].items()},
            normal=normal,
            attach_back=int(body.get("attach_back", 6)),
            attach_forward=int(body.get("attach_forward", 4)),
            pain_reach=int(body.get("pain_reach", 8)),
            side_of={k: dict(v) for k, v in body["side_of"].items()},
            default_side_part=str(body.get("default_side_part", "knee")),
            side_words=norms("side_words"),
            focus_words=norms("focus_words"),
            focus_between=norms("focus_between") | lexicon.determiners,
            region_parts=norms("region_parts"),
            region_words=region_words,
            not_a_region=norms("not_a_region"),
            part_nouns=part_nouns,
            fillers=lexicon.fillers,
            tender_reach=int(body.get("tender_reach", 6)),
            attach_earlier=frozenset(str(f) for f in body.get("attach_earlier", [])),
            attach_recent=frozenset(str(f) for f in body.get("attach_recent", [])),
            pronouns=norms("pronouns"),
            spread=Spreading.build(spreading, lexicon.word_norm, pains, lexicon.fillers,
                                   region_words),
            pain_free_rules=frozenset(pain_free),
            pain_free_qualifiers=frozenset(
                tuple(words(str(q))) for q in normality.get("pain_free_qualifiers", [])),
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
        tender: list[Span] = []
        tender_places: list[Span] = []
        origins: list[Span] = []
        dests: list[Span] = []
        downs: list[Span] = []
        for match_id, start, end in self.matcher(doc):
            label = strings[match_id]
            if label == "PAIN":
                pains.append(start)
            elif label.startswith(("LOC|", "SIDE|")):
                locs.append(SpanClass(doc, start, end, label=label))
            elif label.startswith("PART|"):
                parts.append(SpanClass(doc, start, end, label=label[5:]))
            elif label == "TENDER":
                tender.append(SpanClass(doc, start, end, label=label))
            elif label.startswith("TPLACE|"):
                tender_places.append(SpanClass(doc, start, end, label=label[7:]))
            elif label.startswith("ORIGIN|"):
                origins.append(SpanClass(doc, start, end, label=label[7:]))
            elif label == "DEST":
                dests.append(SpanClass(doc, start, end, label=label))
            elif label == "DOWN":
                downs.append(SpanClass(doc, start, end, label=label))
            else:
                normal.append(SpanClass(doc, start, end, label=label))
        hits = BodyHits(normal=[s for s in filter_spans(normal) if not self._qualified(doc, s)])
        hits.parts = [(s.start, s.end, s.label_) for s in filter_spans(parts)]
        hits.regions = self._regions(doc)
        places = [self._place(doc, p, hits.parts) for p in filter_spans(locs)]
        # "back" in "the top and back of my calf" is no place of its own: the calf is
        places = [p for p in places if not (p.label_ == _NONE and len(p) == 1
                                            and p.start in hits.regions)]
        chosen: dict[tuple[int, int, str], Span] = {}
        for p in sorted(set(pains)):
            best: tuple[int, int, Span] | None = None
            for place in places:
                if place.start <= p < place.end:
                    continue
                lo, hi = (p + 1, place.start) if place.start > p else (place.end, p)
                dist = hi - lo
                # nor over a negation: "calf is not swollen or tender" is no calf pain,
                # and a reading holding the "not" would hide it from ConText
                if (dist > self.pain_reach or _broken(doc, lo, hi)
                        or any(doc[i].norm_ in NEGATIONS for i in range(lo, hi))):
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
        for place in places:
            focus = self._focus(doc, place, pains)
            if focus is not None:
                chosen.setdefault((focus, place.end, place.label_),
                                  SpanClass(doc, focus, place.end, label=place.label_))
        hits.locations = list(chosen.values())
        hits.locations += self._tenderness(doc, filter_spans(tender),
                                           filter_spans(tender_places))
        if self.spread is not None:
            hits.locations += self.spread.find(doc, filter_spans(origins), filter_spans(dests),
                                               filter_spans(downs), hits.regions, hits.parts)
        return hits

    # ------------------------------------------------------------------ normality

    def _qualified(self, doc: Doc, span: Span) -> bool:
        """Whether a pain-free statement is qualified ("doesn't hurt as much", "isn't
        painful when I rest"): less pain, or pain at other times, is no absence."""
        rule = normal_label(span.label_)
        if rule not in self.pain_free_rules:
            return False
        after = [t.norm_ for t in doc[span.end:span.end + 3]]
        return any(tuple(after[:len(q)]) == q for q in self.pain_free_qualifiers)

    def not_ruled_out(self, spans: list[Span], normal: list[Span]) -> list[Span]:
        """Spans that do not hold a statement ruling their own finding out.

        Why: "my back is fine and the pain ..." read as back pain (a coordinated or
        place reading stretching over the statement), or "my calf is not hurting" read as
        calf pain, holds the words that say the place is fine, where ConText cannot see
        them (a cue inside a target is no cue). The statement itself says the finding is
        absent; such a reading says nothing. A reading that only shares the subject ("pain
        in my calf" beside "calf is ok when I rest") is kept.
        """
        # holding the statement's last word ("fine", "hurting") is enough: "back is okay
        # and the ache" holds the part of "lower back is okay" that says it
        denied = [(n.end - 1, self.normal[rule]) for n in normal
                  if (rule := normal_label(n.label_)) is not None]
        return [s for s in spans if not any(
            s.start <= last < s.end and s.label_ in ids for last, ids in denied)]

    # ------------------------------------------------------------------ places

    def _place(self, doc: Doc, span: Span, parts: list[tuple[int, int, str]]) -> Span:
        """A location span labelled with its finding: a side gets the side of its part."""
        from spacy.tokens import Span as SpanClass

        kind, _, name = span.label_.partition("|")
        if kind == "LOC":
            return SpanClass(doc, span.start, span.end, label=name)
        part = self._part_of_side(doc, span, parts)
        target = self.side_of.get(part, {}).get(name) or _NONE
        return SpanClass(doc, span.start, span.end, label=target)

    def _part_of_side(self, doc: Doc, span: Span, parts: list[tuple[int, int, str]]) -> str:
        """The part a side belongs to: "... of my calf" after it, else the part named last
        before it in the same or the previous sentence, else the default (the knee)."""
        i = span.end
        if i < len(doc) and doc[i].norm_ == "of":
            after = [p for s, _, p in parts if i < s <= i + 3]
            if after:
                return after[0]
        first = _sentence_before(doc, span.start)
        before = [(e, p) for s, e, p in parts if e <= span.start and s >= first]
        return max(before)[1] if before else self.default_side_part

    def _focus(self, doc: Doc, place: Span, pains: list[int]) -> int | None:
        """Start of a focus cue narrowing ``place`` down ("more on the inside"), if the pain
        was said in the same or the previous sentence; None otherwise."""
        if place.label_ == _NONE:
            return None
        i = place.start - 1
        sent_start = doc[place.start].sent.start
        while i >= sent_start and place.start - i <= 4:
            norm = doc[i].norm_
            if norm in self.focus_words:
                first, last = _sentence_before(doc, place.start), doc[place.start].sent.end
                if any(first <= p < last and not place.start <= p < place.end
                       for p in pains):
                    return i
                return None
            if norm not in self.focus_between:
                return None
            i -= 1
        return None

    def _tenderness(self, doc: Doc, tender: list[Span], places: list[Span]) -> list[Span]:
        """Tenderness spans labelled with the tenderness finding of their place."""
        from spacy.tokens import Span as SpanClass

        out: list[Span] = []
        reach = self.tender_reach
        for t in tender:
            near: list[tuple[int, int, Span]] = []
            for place in places:
                if place.end <= t.start:
                    gap, lo, hi, after = t.start - place.end, place.end, t.start, 0
                elif place.start >= t.end:
                    gap, lo, hi, after = place.start - t.end, t.end, place.start, 1
                else:
                    continue
                if gap <= reach and not _broken(doc, lo, hi, hard_only=True):
                    near.append((gap, after, place))
            if near:
                place = min(near, key=lambda x: x[:2])[2]
            else:
                first = _sentence_before(doc, t.start)
                earlier = [p for p in places if p.end <= t.start and p.start >= first]
                if not earlier:
                    continue
                place = max(earlier, key=lambda p: p.end)
            if place.label_ != _NONE:
                out.append(SpanClass(doc, t.start, t.end, label=place.label_))
        return out

    def side_parts(self, doc: Doc, spans: list[Span], parts: list[tuple[int, int, str]]
                   ) -> list[Span]:
        """Side findings said without their part go to the part talked about.

        A span of a finding in ``side_of`` ("pain on the inner side" for the inner knee)
        that ends on a side word and names no part itself is the side of the part it
        belongs to (see :meth:`_part_of_side`): relabelled to that part's side finding, or
        dropped if that part has none ("pain on the outer side of my ankle").
        """
        from spacy.tokens import Span as SpanClass

        owner = {fid: (part, side) for part, table in self.side_of.items()
                 for side, fid in table.items()}
        out: list[Span] = []
        for span in spans:
            mine = owner.get(span.label_)
            if (mine is None or doc[span.end - 1].norm_ not in self.side_words
                    or any(s < span.end and span.start < e for s, e, _ in parts)):
                out.append(span)
                continue
            part = self._part_of_side(doc, span, parts)
            if part == mine[0]:
                out.append(span)
                continue
            target = self.side_of.get(part, {}).get(mine[1])
            if target is not None:
                out.append(SpanClass(doc, span.start, span.end, label=target))
        return out

    # ------------------------------------------------------------------ regions

    def _regions(self, doc: Doc) -> dict[int, int]:
        """Part words used as a region of another part: token -> start of its "of ..."
        (past the end of the text when it is "of it": no span holds the part it means).

        "back" in "back of my knee", "front and back of the knee", "back and sides of my
        calf", "the back of it"; not in "lower back and back of my knee" (the first is the
        lower back).
        """
        out: dict[int, int] = {}
        n = len(doc)
        for i, token in enumerate(doc):
            if token.norm_ not in self.region_parts:
                continue
            said_of = i + 1 < n and doc[i + 1].norm_ == "of"
            if i and doc[i - 1].norm_ in self.not_a_region and not said_of:
                continue
            j = i + 1
            while j < n:
                norm = doc[j].norm_
                if norm == "of":
                    k = j + 1
                    while k < n and k <= j + 3 and doc[k].norm_ in self.fillers \
                            and doc[k].norm_ not in self.pronouns:
                        k += 1
                    if k < n and doc[k].norm_ in self.part_nouns:
                        out[i] = j
                    elif k < n and doc[k].norm_ in self.pronouns:
                        # "the back of it": "it" stands for a part named before (no one
                        # says that of their own lower back), and no phrase names that
                        # part, so no span may use the word as the part (see keep_parts)
                        out[i] = n + 1
                    break
                if norm not in ("and", "or", "&", "/", ","):
                    break
                # another region in the list: "front and back", "back and inner side"
                k = j + 1
                while k < n and doc[k].norm_ in self.fillers:
                    k += 1
                start = k
                while k < n and k - start < 3 and doc[k].norm_ in self.region_words \
                        and doc[k].norm_ != token.norm_:
                    k += 1
                if k == start:
                    break
                j = k
        return out

    @staticmethod
    def keep_parts(spans: list[Span], regions: dict[int, int]) -> list[Span]:
        """Spans that do not use a region word ("back" of "back of my knee") as the part
        itself: a span holding such a word must also hold its "of ..."."""
        return [s for s in spans
                if not any(s.start <= i < s.end and s.end <= j for i, j in regions.items())]

    def attach(self, doc: Doc, spans: list[Span], parts: list[tuple[int, int, str]],
               echoes: list[Span] | None = None) -> list[Span]:
        """Give bare words ("swollen") to the body part their clause is about.

        A bare word whose clause names no body part is kept as it is; if ``echoes`` is
        given, a copy labelled ``echo:<finding>`` for the body part last named earlier in
        the text is added to it. Extraction uses an echo only when it is negated: "My calf
        is sore. No swelling." denies calf swelling too, but "Swelling." does not assert it.
        For the ``attach_recent`` findings a part named earlier in the same sentence
        ("calf: tight, hard, swollen"), or in the previous one when a pronoun stands for it
        ("My calf is tight. It is swollen as well."), takes the word, and the echo keeps
        the word as it was.
        """
        from spacy.tokens import Span as SpanClass

        out: list[Span] = []
        for span in spans:
            table = self.retarget.get(span.label_)
            if table is None or any(s < span.end and span.start < e for s, e, _ in parts):
                out.append(span)
                continue
            part = self._nearest_part(doc, span, parts)
            if part is None and span.label_ in self.attach_earlier:
                earlier = [p for s, e, p in parts if e <= span.start]
                part = earlier[-1] if earlier else None
            if part is None and span.label_ in self.attach_recent:
                recent = [p for s, e, p in parts
                          if e <= span.start and s >= self._recent_from(doc, span.start)]
                # any part of its own finding named there (the knee) leaves it as it is
                if recent and all(p in table for p in recent):
                    target = table[recent[-1]]
                    if target is not None:
                        out.append(SpanClass(doc, span.start, span.end, label=target))
                    if echoes is not None:  # "No swelling." denies it as said, too
                        echoes.append(SpanClass(doc, span.start, span.end,
                                                label=f"{ECHO_PREFIX}{span.label_}"))
                    continue
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

    def _recent_from(self, doc: Doc, i: int) -> int:
        """Where the parts a bare word at token ``i`` may refer back to start: its own
        sentence, or the one before if a pronoun ("It is swollen as well") stands before
        it in its sentence. "Some swelling." after a sentence on the calf is not the calf's.
        """
        start = doc[i].sent.start
        if any(doc[j].norm_ in self.pronouns for j in range(max(start, i - self.attach_back), i)):
            return _sentence_before(doc, i)
        return start

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


def _sentence_before(doc: Doc, i: int) -> int:
    """First token of the sentence before token ``i``'s (or of its own, if it is first)."""
    start = doc[i].sent.start
    return doc[start - 1].sent.start if start > 0 else start


def normal_label(label: str) -> int | None:
    """The normality rule index of a span label, or None for other labels."""
    if not label.startswith(NORMAL_PREFIX):
        return None
    return int(label[len(NORMAL_PREFIX):])
