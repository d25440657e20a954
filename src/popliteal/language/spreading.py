"""Pain said to spread down the leg, from a place named or from somewhere above.

Why generic rules: "pain from my back down the back of my leg" and "it shoots from my lower
back down to my knee" are low back pain spreading down the leg in words no phrase lists.
And "the pain shoots down to my knee" names no origin at all, yet says the pain comes
from above the knee: pain spreading down the leg, not pain at the knee or below it (the
catalogue's "pain shooting below the knee into the foot" is pain going *past* the knee).
Where the pain was said to be just before decides where it comes from: the back of the
thigh ("I pulled my hamstring. Now the pain goes down to behind my knee") is the thigh's
own pain, read already; the knee or below is pain spreading from there, not from above.

Data: ``spreading`` in ``data/body.yaml``. The words are matched by the body rules'
matcher (see :mod:`popliteal.language.bodymap`); this module reads the matches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from popliteal.language.spans import CLAUSE_STARTS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class Spreading:
    """The spreading rules, normalised like the text."""

    #: origin group -> findings pain spreading from it gives
    findings: list[tuple[str, ...]]
    from_words: frozenset[str]
    directions: frozenset[str]
    verbs: frozenset[str]
    pain_norms: frozenset[str]
    fillers: frozenset[str]
    region_words: frozenset[str]
    reach: int = 6
    #: what pain going down with no origin named gives
    descent_findings: tuple[str, ...] = ()
    descent_directions: frozenset[str] = frozenset()
    #: words that stand for the pain as the subject of a spreading verb ("it shoots down")
    descent_subjects: frozenset[str] = frozenset()
    #: body parts which, named last before the pain, say it does not come from above
    descent_not_after: frozenset[str] = frozenset()
    #: words that may stand in the verb chain ("does not go down", "never shoots down")
    negations: frozenset[str] = frozenset()
    auxiliaries: frozenset[str] = frozenset()

    @classmethod
    def build(cls, data: dict[str, Any], norm: Callable[[str], str],
              pain_norms: Iterable[str], fillers: frozenset[str],
              region_words: frozenset[str]) -> Spreading:
        """The rules of ``data`` (the ``spreading`` section), words through ``norm``."""
        descent = data.get("descent", {})

        def norms(key: str, src: dict[str, Any] = data) -> frozenset[str]:
            return frozenset(norm(str(w)) for w in src.get(key, []))

        return cls(
            findings=[tuple(str(f) for f in g["findings"]) for g in data["origins"]],
            from_words=norms("from_words"),
            directions=norms("directions"),
            verbs=frozenset(norm(str(w) + end) for w in data["verbs"]
                            for end in ("", "s", "es", "ed", "ing")),
            pain_norms=frozenset(pain_norms),
            fillers=fillers,
            region_words=region_words,
            reach=int(data.get("reach", 6)),
            descent_findings=tuple(str(f) for f in descent.get("findings", [])),
            descent_directions=norms("directions", descent),
            descent_subjects=norms("subjects", descent),
            descent_not_after=frozenset(str(p) for p in descent.get("not_after", [])),
            negations=norms("negations", descent),
            auxiliaries=norms("auxiliaries", descent),
        )

    def find(self, doc: Doc, origins: list[Span], dests: list[Span], downs: list[Span],
             regions: dict[int, int], parts: list[tuple[int, int, str]]) -> list[Span]:
        """Spans of the findings pain spreading gives: from a named origin (``origins``,
        labelled with their group) to ``dests``, or down to one of ``downs`` from above."""
        found = self._from_origin(doc, origins, dests, regions)
        taken = {s.end for s in found}
        places = parts + [(o.start, o.end, "") for o in origins
                          if not (len(o) == 1 and o.start in regions)]
        return found + self._descent(doc, [d for d in downs if d.end not in taken], places)

    def _from_origin(self, doc: Doc, origins: list[Span], dests: list[Span],
                     regions: dict[int, int]) -> list[Span]:
        """"from my back down the back of my leg", "shoots from my lower back down to my
        knee": "from" + origin, then a direction word in the same clause, then a
        destination with only fillers, region words ("the outside of") or direction words
        between. Without "from" the origin must be followed only by pain words and a
        spreading verb ("my lower back pain shoots down into my calf"). An origin that is
        a region of another part ("from the back of my knee down to my calf") is none.
        """
        from spacy.tokens import Span as SpanClass

        out: list[Span] = []
        reach = self.reach
        for origin in origins:
            if len(origin) == 1 and origin.start in regions:
                continue
            i = origin.start - 1
            while i >= 0 and doc[i].norm_ in self.fillers:
                i -= 1
            said_from = i >= 0 and doc[i].norm_ in self.from_words
            start = i if said_from else origin.start
            way = next((j for j in range(origin.end, min(len(doc), origin.end + reach + 1))
                        if doc[j].norm_ in self.directions), None)
            if way is None or _clause_between(doc, origin.end, way):
                continue
            between = [doc[j].norm_ for j in range(origin.end, way)]
            if not said_from and not (
                    any(w in self.verbs for w in between)
                    and all(w in self.verbs or w in self.pain_norms or w in self.fillers
                            for w in between)):
                continue
            dest = next((d for d in dests if way < d.start <= way + reach), None)
            if dest is None or not self._on_the_way(doc, way + 1, dest.start):
                continue
            for finding_id in self.findings[int(origin.label_)]:
                out.append(SpanClass(doc, start, dest.end, label=finding_id))
        return out

    def _descent(self, doc: Doc, downs: list[Span], places: list[tuple[int, int, str]]
                 ) -> list[Span]:
        """"the pain shoots down to my knee", "it radiates down the back of my leg":
        a pain word (or "it") and only spreading verbs, pain words or fillers before a
        downward word, then the place with only fillers, region or direction words
        between. Nothing if the place named last before the pain is one of
        ``descent_not_after`` (the thigh's own pain, or pain spreading from the knee)."""
        from spacy.tokens import Span as SpanClass

        out: list[Span] = []
        for dest in downs:
            way = next((j for j in range(dest.start - 1, max(-1, dest.start - self.reach - 1),
                                         -1)
                        if doc[j].norm_ in self.descent_directions), None)
            if way is None or not self._on_the_way(doc, way + 1, dest.start):
                continue
            found = self._subject(doc, way)
            if found is None:
                continue
            subject, start = found
            before = [(e, p) for s, e, p in places if e <= subject]
            if before and max(before)[1] in self.descent_not_after:
                continue
            for finding_id in self.descent_findings:
                out.append(SpanClass(doc, start, dest.end, label=finding_id))
        return out

    def _subject(self, doc: Doc, way: int) -> tuple[int, int] | None:
        """The pain word (or "it" with a spreading verb: not "put it down") the
        spreading before token ``way`` is said of, and where the span starts: after a
        negation ("the pain does not go down ..."), so that ConText sees it. Auxiliaries
        and "all the way" may stand between."""
        subject, start, pain, verb = None, None, False, False
        for j in range(way - 1, max(-1, way - self.reach - 1), -1):
            norm = doc[j].norm_
            if norm in self.pain_norms or norm in self.descent_subjects:
                subject = j
                pain = pain or norm in self.pain_norms
            elif norm in self.verbs:
                verb = True
            elif norm in self.negations or norm in self.auxiliaries or norm == "way":
                if norm in self.negations and start is None:
                    start = j + 1
            elif norm not in self.fillers:
                break
        if subject is None or not (pain or verb):
            return None
        return subject, subject if start is None else start

    def _on_the_way(self, doc: Doc, lo: int, hi: int) -> bool:
        """Only "the", "all the way", "to", "the outside of" ... in tokens lo..hi: "aches
        going down stairs to my knee" is no way down the leg."""
        return all(doc[j].norm_ in self.fillers or doc[j].norm_ in self.region_words
                   or doc[j].norm_ in self.directions or doc[j].norm_ == "way"
                   for j in range(lo, hi))


def _clause_between(doc: Doc, lo: int, hi: int) -> bool:
    """Whether a clause start (or a sentence start) lies in tokens lo..hi (a comma may)."""
    return any(doc[i].norm_ in CLAUSE_STARTS or doc[i].is_sent_start and i > lo
               for i in range(lo, hi))
