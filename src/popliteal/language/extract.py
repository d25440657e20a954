"""Free text -> findings, each with the words that showed it.

Why this shape: every finding keeps its span (a clinician can see exactly which words made
us think so), and every sentence that produced nothing is listed rather than dropped, so
nothing the patient wrote disappears silently.

What context does (the clinical judgements live in ``data/modifier_policy.yaml``):
planned -> not a finding for an operation booked or possibly needed, else ignored;
hypothetical -> not a finding; family -> the family counterpart (a mother's clot is our
risk factor) or nothing; historical -> the history counterpart (an old injury is not today's
injury) or nothing for injury/onset findings, else kept and marked; negated -> absent;
uncertain -> present and marked (safety first: a red flag said uncertainly still counts).
A time said with a mention may make it a recent finding ("knee surgery six weeks ago" is
recent surgery too) or history (see ``timed`` in the policy file and :func:`_timed`).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from popliteal.language.bodymap import ECHO_PREFIX, normal_label
from popliteal.language.clauses import has_clause_break
from popliteal.language.context import MODIFIER_NAMES, PLANNED
from popliteal.language.errors import validate_text
from popliteal.language.lexicon import normalise_text
from popliteal.language.numbers import (
    FEVER_C,
    LOW_GRADE_C,
    NumberMention,
    age,
    extract_numbers,
    not_onset_times,
    times_ago,
)
from popliteal.language.spans import CLAUSE_STARTS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from popliteal.knowledge import KnowledgeBase
    from popliteal.language.pipeline import LanguagePipeline


class TextFinding(BaseModel):
    """One finding read from the text, with the patient's words that showed it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    present: bool
    value: float | str | None = None
    evidence: str = Field(description="the patient's words: text[start:end]")
    start: int
    end: int
    modifiers: list[str] = Field(
        default_factory=list,
        description="negated, historical, family, hypothetical, uncertain",
    )
    implied_by: str | None = Field(
        default=None, description="the number/choice finding whose value established this one"
    )


class Extraction(BaseModel):
    """Everything read from one text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    findings: list[TextFinding]
    unparsed_sentences: list[str] = Field(
        default_factory=list, description="sentences that yielded no finding"
    )
    age: int | None = Field(default=None, description="age if the text states it")

    def get(self, finding_id: str) -> TextFinding | None:
        """The finding ``finding_id`` if the text mentioned it."""
        return next((f for f in self.findings if f.id == finding_id), None)


@dataclass(frozen=True)
class _Candidate:
    finding: TextFinding
    sentence: int
    #: an absence read from a normality statement ("walking is ok"): any direct mention of
    #: the finding as present outweighs it
    weak: bool = False


_CACHE: OrderedDict[tuple[str, str], Extraction] = OrderedDict()
_CACHE_SIZE = 256
_CACHE_LOCK = threading.Lock()


def extract_findings(text: str, kb: KnowledgeBase) -> Extraction:
    """Read findings from ``text`` using the phrases of ``kb``'s findings catalogue.

    Results are cached in memory per (knowledge version, text), at most ``_CACHE_SIZE`` of
    them: an interview re-reads the same story on every answer (and over HTTP on every
    request), and the reading is a pure function of the two. Nothing is written anywhere.

    Raises:
        LanguageInputError: empty text, only punctuation/whitespace, or too long.
    """
    validate_text(text)
    key = (kb.content_hash, text)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    result = _extract(text, kb)
    with _CACHE_LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def clear_cache() -> None:
    """Forget every cached reading (benchmarks use it to time real work)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _extract(text: str, kb: KnowledgeBase) -> Extraction:
    from popliteal.language.pipeline import get_pipeline

    pipe = get_pipeline(kb)
    clean = normalise_text(text)
    return read_doc(text, clean, pipe.process(clean), kb, pipe)


def read_doc(text: str, clean: str, doc: Doc, kb: KnowledgeBase, pipe: LanguagePipeline
             ) -> Extraction:
    """The findings of ``text``, from ``doc``: ``pipe.process(clean)``, ``clean`` being
    ``normalise_text(text)``. Separate so that a test can look at the doc it read too."""
    sentences = list(doc.sents)
    # each token's sentence, worked out once (``Token.sent`` searches for it on every call)
    token_sentence = [i for i, s in enumerate(sentences) for _ in range(len(s))]

    def sentence_of(token_i: int) -> int:
        return token_sentence[token_i]

    def sentence_at_char(char: int) -> int:
        span = doc.char_span(char, char + 1, alignment_mode="expand")
        return sentence_of(span.start) if span is not None and len(span) else 0

    candidates: list[_Candidate] = []
    patient = patient_relative(clean)
    said: list[tuple[Span, _Candidate | None]] = []
    for ent in pipe.targets(doc):
        if ent.label_.startswith(ECHO_PREFIX):
            echo = _from_echo(ent, text, kb, pipe, patient)
            if echo is not None:
                candidates.append(_Candidate(echo, sentence_of(ent.start), weak=True))
            continue
        rule = normal_label(ent.label_)
        if rule is not None:
            candidates += [_Candidate(f, sentence_of(ent.start), weak=True)
                           for f in _from_normal(ent, rule, text, kb, pipe, patient)]
            continue
        finding = None if _said_in_present(ent, pipe) else _from_target(ent, text, kb, pipe,
                                                                           patient)
        candidate = None if finding is None else _Candidate(finding, sentence_of(ent.start))
        said.append((ent, candidate))
        if candidate is not None:
            candidates.append(candidate)
    candidates, when = _timed(clean, text, said, candidates, kb)
    # "12 weeks" in "12 weeks pregnant" is no duration of the pain
    along = not_onset_times(clean)
    onset = set(_policy().get("timed", {}).get("not_onset_groups", []))
    candidates = [c for c in candidates if not (
        kb.findings[c.finding.id].group in onset
        and any(a <= c.finding.start and c.finding.end <= b for a, b in along))]
    for mention in extract_numbers(clean, when + along):
        for finding in _from_number(mention, text, kb):
            candidates.append(_Candidate(finding, sentence_at_char(mention.start)))

    stated_age = age(clean)
    used = {c.sentence for c in candidates}
    if stated_age is not None:
        used.add(sentence_at_char(stated_age.start))
    unparsed = [s.text.strip() for i, s in enumerate(sentences)
                if i not in used and re.search(r"\w", s.text)]
    return Extraction(
        findings=_merge(candidates, kb),
        unparsed_sentences=unparsed,
        age=int(stated_age.value) if stated_age is not None else None,
    )


# ------------------------------------------------------------------------ targets


_RELATIVES = {
    "mum": "mother", "mom": "mother", "mother": "mother", "mummy": "mother", "mommy": "mother",
    "ma": "mother", "dad": "father", "father": "father", "daddy": "father", "papa": "father",
    "husband": "husband", "wife": "wife", "son": "son", "daughter": "daughter",
    "brother": "brother", "sister": "sister", "grandma": "grandmother",
    "grandmother": "grandmother", "grandpa": "grandfather", "grandfather": "grandfather",
    "aunt": "aunt", "aunty": "aunt", "auntie": "aunt", "uncle": "uncle", "boy": "son",
    "girl": "daughter", "kid": "child", "child": "child", "partner": "partner",
}
_INTRO = re.compile(
    r"^\W*(?:hi|hello|dear \w+)?\W*(?:for\s+)?(?:my|our)\s+"
    r"(?:(?:\d+|\w+)[\s-]*(?:years?|yrs?|months?)[\s-]*old\s+"
    r"|elderly\s+|old\s+|young\s+|teenage\s+|little\s+|older\s+|younger\s+)?"
    r"(?P<who>[a-z]+)\b", re.I)
_SELF = re.compile(r"\b(?:my|i)\s+(?:own\s+)?(?:knee|knees|leg|legs|calf|calves|thigh|back|"
                   r"foot|ankle|have|had|feel|felt|hurt|can't|cannot|injured|twisted|fell)\b",
                   re.I)

#: The parts of a leg a carer names as the relative's own (the openings below).
_LEG_PART = r"(?:knee|knees|leg|legs|calf|calves|thigh|thighs|foot|feet|ankle|ankles|shin|toes?)\b"

#: "My dad's foot ...", "my grandma knee ...", "mum's calf ...": the writer opens with the
#: relative's own body.
_POSSESSIVE_INTRO = re.compile(
    r"^\W*(?:(?:my|our)\s+(?P<who>[a-z]+)\s*(?:'s|’s|s)?|(?P<bare>[a-z]+)\s*(?:'s|’s|s))\s+"
    r"(?:(?:left|right|whole|both)\s+)?" + _LEG_PART, re.I)

#: "My mother has a swollen red calf", "My dad has a cold white foot": the relative, in the
#: present tense, with a leg of their own, is the patient ("My dad had a DVT", "My mum has
#: breast cancer", "My dad got a clot after a long flight" are family history).
_RELATIVE_NOW = re.compile(
    r"\s+(?:has|have|got|is|keeps|can't|cannot|complains|feels|says)\b[^.!?]{0,40}?\b"
    + _LEG_PART, re.I)

_THIRD = re.compile(
    r"\b(?:his|her)\s+(?:\w+\s+)?(?:knee|knees|leg|legs|calf|calves|thigh|foot|ankle|shin)\b|"
    r"\b(?:he|she)\s+(?:has|have|can't|cannot|can|couldn't|fell|twisted|complains|says|said|"
    r"feels|felt|hurt|limps|is limping|keeps|woke|started|got|injured|landed|heard)\b", re.I)


def patient_relative(text: str) -> str | None:
    """The relative the text is about, when someone writes for them ("My father, 72, ...").

    Why: a parent or child writing for the patient names them in the first sentence and
    then describes *their* symptoms; those are the patient's findings, not family history.
    An opening on the relative's own body ("My dad's foot suddenly went white") says so at
    once. The writer is the patient as soon as they speak of their own body ("my knee", "I
    have").
    """
    first = re.split(r"(?<=[.!?])\s+|\n", text.strip(), maxsplit=1)[0]
    owned = _POSSESSIVE_INTRO.match(first)
    if owned is not None:
        who = _RELATIVES.get((owned.group("who") or owned.group("bare")).lower())
        if who is not None:
            return None if _SELF.search(text) else who
    m = _INTRO.match(first)
    if m is None:
        return None
    who = _RELATIVES.get(m.group("who").lower())
    if who is None or _SELF.search(text):
        return None
    aged = re.search(r"\d", m.group()) or re.match(r"\s*,?\s*\(?\d{1,3}\b", first[m.end():])
    if aged or _THIRD.search(text) or _RELATIVE_NOW.match(first[m.end():]):
        return who
    return None


def _modifiers(ent: Span, pipe: LanguagePipeline, patient: str | None = None) -> set[str]:
    """Modifier names for ``ent``, ignoring modifiers farther than their reach, and those
    whose clause ``ent`` runs on out of (see :func:`_runs_past`).

    A family cue naming the patient (see :func:`patient_relative`) is not family history.
    """
    out: set[str] = set()
    for mod in ent._.modifiers:
        name = MODIFIER_NAMES.get(mod.category.upper())
        if name is None:
            continue
        m_start, m_end = mod.modifier_span
        if name == "family" and patient is not None and any(
                _RELATIVES.get(t.lower_) == patient for t in ent.doc[m_start:m_end]):
            continue
        if _runs_past(ent, mod.scope_span, before=m_end <= ent.start,
                      after=ent.end <= m_start):
            continue
        if name == "negated" and m_end <= ent.start and (
                _own_clause(ent, m_end) or _new_subject(ent, m_start, m_end)):
            continue
        gap = ent.start - m_end if m_end <= ent.start else m_start - ent.end
        if gap <= pipe.context.reach(mod.category.upper(), mod.rule.literal):
            out.add(name)
    return out


#: Verbs that make what follows a comma a clause of its own ("..., calf is swollen").
_CLAUSE_VERBS = frozenset("is are was were feels felt looks looked seems seemed gets got "
                          "became becomes turned has have".split())


def _own_clause(ent: Span, cue_end: int) -> bool:
    """Whether ``ent`` is said in a clause of its own, after a comma or semicolon that follows
    the cue: "knee not swollen, calf is swollen and red" denies the knee, not the calf. A
    list goes on denying ("no fever, chills or sweats": no verb after the comma)."""
    doc = ent.doc
    breaks = [i for i in range(cue_end, ent.start) if doc[i].text in (",", ";")]
    return bool(breaks) and any(doc[i].lower_ in _CLAUSE_VERBS
                                for i in range(breaks[-1] + 1, ent.end))


#: Negation words that deny a noun, not a verb ("no injury", "without trauma").
_NOUN_NEGATORS = frozenset("no without nil zero w/o".split())
#: Words that begin a clause's subject ("my calf", "the knee").
_SUBJECT_STARTS = frozenset("my the his her our".split())


def _new_subject(ent: Span, cue_start: int, cue_end: int) -> bool:
    """Whether ``ent`` is said in a new clause with a subject and verb of its own, after the
    noun a "no"/"without" denies, with no comma between: "without any injury my calf became
    swollen and red" denies the injury, not the calf. A verb must follow the subject within
    ``ent`` ("no swelling in my calf" has none); "not" is left out, as "I don't think my calf
    is swollen" is still denied."""
    doc = ent.doc
    if doc[cue_start].lower_ not in _NOUN_NEGATORS:
        return False
    for i in range(cue_end + 1, ent.end):
        if doc[i].lower_ in _SUBJECT_STARTS:
            return any(doc[k].lower_ in _CLAUSE_VERBS for k in range(max(i, ent.start), ent.end))
    return False


def _runs_past(ent: Span, scope: tuple[int, int], *, before: bool, after: bool) -> bool:
    """Whether ``ent`` runs on past the end of a cue's scope into another clause: a target
    matched across a clause break ("when I was younger I injured my knee, and now it is
    swollen": "knee ... swollen") says its finding in the clause the cue does not reach. A
    scope cut short otherwise (by its own length) is no reason: "I think the pain might
    shoot down to my knee" stays uncertain."""
    scope_start, scope_end = scope
    if before and ent.end > scope_end:
        return has_clause_break(ent.doc[max(scope_end, ent.start):ent.end].text)
    if after and ent.start < scope_start:
        return has_clause_break(ent.doc[ent.start:min(scope_start, ent.end)].text)
    return False


def _from_normal(ent: Span, rule: int, text: str, kb: KnowledgeBase, pipe: LanguagePipeline,
                 patient: str | None) -> list[TextFinding]:
    """Absent findings from a normality statement; nothing if the statement is qualified."""
    if _modifiers(ent, pipe, patient) - {PLANNED} or pipe.body is None:
        return []
    start, end = ent.start_char, ent.end_char
    return [TextFinding(id=fid, present=False, evidence=text[start:end], start=start, end=end)
            for fid in pipe.body.normal[rule] if fid in kb.findings]


def _from_echo(ent: Span, text: str, kb: KnowledgeBase, pipe: LanguagePipeline,
               patient: str | None) -> TextFinding | None:
    """A negated bare word ("no swelling") also denies it for the body part named before."""
    finding_id = ent.label_[len(ECHO_PREFIX):]
    mods = _modifiers(ent, pipe, patient) - {PLANNED}
    if mods != {"negated"} or finding_id not in kb.findings:
        return None
    return TextFinding(id=finding_id, present=False, evidence=text[ent.start_char:ent.end_char],
                       start=ent.start_char, end=ent.end_char, modifiers=["negated"])


def _from_target(ent: Span, text: str, kb: KnowledgeBase, pipe: LanguagePipeline,
                 patient: str | None = None) -> TextFinding | None:
    finding_id = ent.label_
    if finding_id not in kb.findings:
        return None
    mods = _modifiers(ent, pipe, patient)
    policy = _policy()
    if PLANNED in mods and finding_id in policy.get("planned", {}).get("drop_ids", []):
        return None  # booked, planned or possibly needed: it has not happened
    mods.discard(PLANNED)
    if "hypothetical" in mods:
        return None
    if "family" not in mods and _relatives_circumstance(ent, patient, policy["family"]):
        mods.add("family")
    if "family" in mods:
        mapped = policy["family"]["counterparts"].get(finding_id)
        if mapped is None or mapped not in kb.findings:
            return None
        finding_id = mapped
        mods.discard("historical")
    finding_id = _tensed_id(finding_id, ent, policy["historical"].get("tense", {}), kb)
    if "historical" in mods:
        mapped = _historical_id(finding_id, kb, ent)
        if mapped is None:
            return None
        finding_id = mapped
    start, end = ent.start_char, ent.end_char
    return TextFinding(
        id=finding_id,
        present="negated" not in mods,
        evidence=text[start:end],
        start=start,
        end=end,
        modifiers=sorted(mods),
    )


def _relatives_circumstance(ent: Span, patient: str | None, family: dict[str, Any]) -> bool:
    """Whether ``ent``, a circumstance such as a long flight or the pill, is told of a
    relative named in its sentence (``circumstances`` in the policy's ``family``): after
    the relative's words with no "I"/"my" or new clause between ("My dad got a clot after a
    long flight"), or before them in a clause about "she"/"he" ("When she was pregnant, my
    mum had a DVT"). Why: medSpaCy's family cue ends at "after", "while" and the comma."""
    rule = family.get("circumstances")
    if not rule or ent.label_ not in rule["ids"]:
        return False
    doc, sent = ent.doc, ent.sent
    relatives = set(rule["relatives"])
    self_words, third = set(rule["self_words"]), set(rule["third_person"])
    stops = set(rule["clause_words"])

    def is_self(i: int) -> bool:
        tok = doc[i].lower_
        return tok in self_words and not (
            tok == "my" and i + 1 < len(doc) and doc[i + 1].lower_ in relatives)

    for i in range(sent.start, sent.end):
        if doc[i].lower_ not in relatives or _RELATIVES.get(doc[i].lower_) == patient \
                and patient is not None:
            continue
        if i < ent.start:
            between = range(i + 1, ent.end)
            if not any(is_self(k) or doc[k].lower_ in stops for k in between):
                return True
        elif i >= ent.end:
            pronoun = next((k for k in range(sent.start, ent.end) if doc[k].lower_ in third),
                           None)
            if pronoun is not None and not any(is_self(k) for k in range(pronoun, i)):
                return True
    return False


def _tensed_id(finding_id: str, ent: Span, tense: dict[str, Any], kb: KnowledgeBase) -> str:
    """The finding a mention is read as by the tense its words were written in: "I had
    cancer" is history, "I have breast cancer" is not (see modifier_policy.yaml, tense)."""
    words = {t.lower_ for t in ent}
    past = bool(words & set(tense.get("past_words", [])))
    if past:
        mapped = tense.get("past", {}).get(finding_id)
    elif words & set(tense.get("present_words", [])):
        mapped = tense.get("present", {}).get(finding_id)
    else:
        mapped = None
    return str(mapped) if mapped is not None and mapped in kb.findings else finding_id


def _historical_id(finding_id: str, kb: KnowledgeBase, ent: Span) -> str | None:
    """The finding a mention ``ent`` of ``finding_id`` in the past is read as; None if dropped.

    A counterpart of another finding listed in ``counterpart_part`` is dropped when the
    mention's sentence names another part of the body and not its own: "hip replacement 5
    years ago" is no previous knee operation.
    """
    hist = _policy()["historical"]
    mapped = hist["counterparts"].get(finding_id)
    if mapped is not None and mapped in kb.findings:
        part = hist.get("counterpart_part", {}).get(mapped)
        if part and mapped != finding_id:
            words = {t.lower_ for t in ent.sent}
            if words & set(part["elsewhere"]) and not words & set(part["part"]):
                return None
        return str(mapped)
    if kb.findings[finding_id].group in hist["drop_groups"] or finding_id in hist["drop_ids"]:
        return None
    return finding_id


# ------------------------------------------------------------------------ times


def _timed(clean: str, text: str, said: list[tuple[Span, _Candidate | None]],
           candidates: list[_Candidate], kb: KnowledgeBase
           ) -> tuple[list[_Candidate], tuple[tuple[int, int], ...]]:
    """Candidates after reading the times said with mentions, and those times' characters.

    Why: "ACL surgery six weeks ago" names a knee operation, and its time makes it recent
    surgery as well (a clot risk factor within 12 weeks), which no phrase can say for every
    operation and every time. For each finding in the policy's ``timed`` table, a mention
    of one of its ``said_with`` findings, present and not already history, with a time in
    its clause (see :func:`_time_of`): within ``within_days`` gives the finding too; beyond
    them, a mention of the finding itself is history ("an operation six months ago"). The
    times found say when the operation was, not when the pain began: onset findings read
    inside them are dropped, and they are returned for the onset number to skip.
    """
    policy = _policy().get("timed")
    if not policy:
        return candidates, ()
    times = times_ago(clean)
    out = list(candidates)
    when: list[tuple[int, int]] = []
    for target_id, rule in policy["findings"].items():
        if target_id not in kb.findings:
            continue
        for ent, candidate in said:
            if ent.label_ not in rule["said_with"]:
                continue
            mention = _time_of(ent, times, int(policy["max_gap"]), int(policy["comma_gap"]))
            if mention is None:
                continue
            when.append((mention.start, mention.end))
            if candidate is None:
                continue
            finding = candidate.finding
            if not finding.present or set(finding.modifiers) - {"uncertain"}:
                continue
            start, end = min(ent.start_char, mention.start), max(ent.end_char, mention.end)
            if float(mention.value) <= float(rule["within_days"]):
                out.append(_Candidate(TextFinding(
                    id=target_id, present=True, value=None, evidence=text[start:end],
                    start=start, end=end, modifiers=list(finding.modifiers)),
                    candidate.sentence))
            elif finding.id == target_id:
                out.remove(candidate)
                mapped = _historical_id(target_id, kb, ent)
                if mapped is not None:
                    out.append(_Candidate(TextFinding(
                        id=mapped, present=True, evidence=text[start:end], start=start,
                        end=end, modifiers=sorted({*finding.modifiers, "historical"})),
                        candidate.sentence))
    # "six months" in "an operation six months ago" is no duration of the pain either
    onset = set(policy.get("not_onset_groups", []))
    out = [c for c in out if not (
        kb.findings[c.finding.id].group in onset and c.finding.implied_by is None
        and any(a <= c.finding.start and c.finding.end <= b for a, b in when))]
    return out, tuple(when)


def _time_of(ent: Span, times: list[NumberMention], max_gap: int, comma_gap: int
             ) -> NumberMention | None:
    """The time said with ``ent``: the nearest one in its clause (after it on ties).

    Same sentence, at most ``max_gap`` tokens between, no clause start or "and"/"or"
    between ("knee surgery and the pain started two weeks ago" says nothing of when the
    surgery was), and a comma between only right after a time said first ("Two months
    ago, I had ...") or if at most ``comma_gap`` tokens apart ("knee surgery, the pain
    started two weeks ago" is two clauses).
    """
    doc = ent.doc
    best: tuple[int, int, NumberMention] | None = None
    for mention in times:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span) or span.sent.start != ent.sent.start:
            continue
        if span.end <= ent.start:
            lo, hi, side = span.end, ent.start, 1
        elif span.start >= ent.end:
            lo, hi, side = ent.end, span.start, 0
        else:
            lo, hi, side = 0, 0, 0
        between = doc[lo:hi]
        if hi - lo > max_gap or any(t.norm_ in CLAUSE_STARTS or t.norm_ in _AND
                                    for t in between):
            continue
        commas = [t.i for t in between if t.text == ","]
        fronted = side == 1 and commas == [lo]  # "Three weeks ago, I had ..."
        if commas and not fronted and hi - lo > comma_gap:
            continue
        if best is None or (hi - lo, side) < best[:2]:
            best = (hi - lo, side, mention)
    return None if best is None else best[2]


_AND = frozenset({"and", "or", "&", "plus"})


def _said_in_present(ent: Span, pipe: LanguagePipeline) -> bool:
    """A past event's phrase matched on its verb in the present: "stairs hurts my knee",
    "my knee twists" (the policy's ``present_tense``), or an injury's mechanism said as the
    pain's trigger, "it hurts when I land" (``trigger_not_event``)."""
    policy = _policy()
    forms: list[str] = (policy.get("present_tense") or {}).get(ent.label_) or []
    if any(token.lower_ in forms for token in ent):
        return True
    rule: dict[str, list[str]] = policy.get("trigger_not_event") or {}
    if ent.label_ not in rule.get("findings", ()) or ent.start < 2:
        return False
    doc = ent.doc
    first = ent[0].lower_
    past = first.endswith("ed") or first in pipe.lexicon.irregular
    return (not past and doc[ent.start - 1].lower_ in rule.get("subjects", ())
            and doc[ent.start - 2].lower_ in rule.get("triggers", ()))


@lru_cache(maxsize=1)
def _policy() -> dict[str, Any]:
    path = resources.files("popliteal.language") / "data" / "modifier_policy.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


# ------------------------------------------------------------------------ numbers


def _from_temperature(mention: NumberMention, text: str, kb: KnowledgeBase
                      ) -> list[TextFinding]:
    """A measured temperature as ``fever``: present from 38.0 C, present but uncertain for a
    low-grade 37.5-37.9 C (safety first: with a hot joint it matters), absent below."""
    if "fever" not in kb.findings or not isinstance(mention.value, (int, float)):
        return []
    celsius = float(mention.value)
    evidence, start, end = text[mention.start:mention.end], mention.start, mention.end
    if celsius >= FEVER_C:
        return [TextFinding(id="fever", present=True, value=celsius, evidence=evidence,
                            start=start, end=end)]
    if celsius >= LOW_GRADE_C:
        return [TextFinding(id="fever", present=True, value=celsius, evidence=evidence,
                            start=start, end=end, modifiers=["uncertain"])]
    return [TextFinding(id="fever", present=False, value=celsius, evidence=evidence,
                        start=start, end=end)]


def _from_number(mention: NumberMention, text: str, kb: KnowledgeBase) -> list[TextFinding]:
    """The number finding itself and the yes/no findings its range or option establishes."""
    if mention.finding_id == "temperature":
        return _from_temperature(mention, text, kb)
    finding = kb.findings.get(mention.finding_id)
    if finding is None:
        return []
    value = mention.value
    implies: list[str] = []
    denies: list[str] = []
    if isinstance(value, (int, float)):
        value = float(value)
        for rng in finding.ranges:
            if (rng.min is None or value >= rng.min) and (rng.max is None or value <= rng.max):
                implies, denies = list(rng.implies), list(rng.denies)
                break
    else:
        option = next((o for o in finding.options if o.value == value), None)
        if option is None:
            option = next((o for o in finding.options if value in o.value), None)
        if option is not None:
            value = option.value
            implies, denies = list(option.implies), list(option.denies)
    evidence, start, end = text[mention.start:mention.end], mention.start, mention.end
    out = [TextFinding(id=finding.id, present=True, value=value, evidence=evidence,
                       start=start, end=end)]
    out += [TextFinding(id=i, present=True, implied_by=finding.id, evidence=evidence,
                        start=start, end=end) for i in implies if i in kb.findings]
    out += [TextFinding(id=d, present=False, implied_by=finding.id, evidence=evidence,
                        start=start, end=end) for d in denies if d in kb.findings]
    return out


# ------------------------------------------------------------------------ merging


def _merge(found: list[_Candidate], kb: KnowledgeBase) -> list[TextFinding]:
    """One entry per finding id.

    Present and absent both said: a red flag counts as present (safety first), and so
    does anything only ruled out by a normality statement ("walking is ok ... I limp");
    otherwise the later mention wins (people correct themselves: "no swelling... now it is
    swollen"). Among agreeing mentions the most certain, direct one is kept (not
    uncertain, not implied by a number, then the longest span).
    """
    by_id: dict[str, list[TextFinding]] = {}
    weak: dict[str, bool] = {}
    for c in found:
        by_id.setdefault(c.finding.id, []).append(c.finding)
        if not c.finding.present:
            weak[c.finding.id] = weak.get(c.finding.id, True) and c.weak
    out: list[TextFinding] = []
    for finding_id, mentions in by_id.items():
        red_flag = kb.findings[finding_id].red_flag or weak.get(finding_id, False)
        if red_flag and any(m.present for m in mentions):
            pool = [m for m in mentions if m.present]
        else:
            last = max(mentions, key=lambda m: m.start)
            pool = [m for m in mentions if m.present == last.present]
        best = min(pool, key=lambda m: ("uncertain" in m.modifiers, m.implied_by is not None,
                                        m.value is None and any(o.value is not None
                                                                for o in pool),
                                        -(m.end - m.start), m.start))
        out.append(best)
    return sorted(out, key=lambda f: (f.start, f.id))
