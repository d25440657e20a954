"""Free text -> findings, each with the words that showed it.

Why this shape: every finding keeps its span (a clinician can see exactly which words made
us think so), and every sentence that produced nothing is listed rather than dropped, so
nothing the patient wrote disappears silently.

What context does (the clinical judgements live in ``data/modifier_policy.yaml``):
hypothetical -> not a finding; family -> the family counterpart (a mother's clot is our
risk factor) or nothing; historical -> the history counterpart (an old injury is not today's
injury) or nothing for injury/onset findings, else kept and marked; negated -> absent;
uncertain -> present and marked (safety first: a red flag said uncertainly still counts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from popliteal.language.context import MODIFIER_NAMES
from popliteal.language.errors import validate_text
from popliteal.language.lexicon import normalise_text
from popliteal.language.numbers import NumberMention, age, extract_numbers

if TYPE_CHECKING:
    from spacy.tokens import Span

    from popliteal.knowledge.base import KnowledgeBase
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


def extract_findings(text: str, kb: KnowledgeBase) -> Extraction:
    """Read findings from ``text`` using the phrases of ``kb``'s findings catalogue.

    Raises:
        LanguageInputError: empty text, only punctuation/whitespace, or too long.
    """
    validate_text(text)
    from popliteal.language.pipeline import get_pipeline

    pipe = get_pipeline(kb)
    clean = normalise_text(text)
    doc = pipe.process(clean)
    sentences = list(doc.sents)
    sent_index = {s.start: i for i, s in enumerate(sentences)}

    def sentence_of(token_i: int) -> int:
        return sent_index[doc[token_i].sent.start]

    def sentence_at_char(char: int) -> int:
        span = doc.char_span(char, char + 1, alignment_mode="expand")
        return sentence_of(span.start) if span is not None and len(span) else 0

    candidates: list[_Candidate] = []
    for ent in doc.ents:
        finding = _from_target(ent, text, kb, pipe)
        if finding is not None:
            candidates.append(_Candidate(finding, sentence_of(ent.start)))
    for mention in extract_numbers(clean):
        for finding in _from_number(mention, text, kb):
            candidates.append(_Candidate(finding, sentence_at_char(mention.start)))

    stated_age = age(clean)
    used = {c.sentence for c in candidates}
    if stated_age is not None:
        used.add(sentence_at_char(stated_age.start))
    unparsed = [s.text.strip() for i, s in enumerate(sentences)
                if i not in used and re.search(r"\w", s.text)]
    return Extraction(
        findings=_merge([c.finding for c in candidates], kb),
        unparsed_sentences=unparsed,
        age=int(stated_age.value) if stated_age is not None else None,
    )


# ------------------------------------------------------------------------ targets


def _modifiers(ent: Span, pipe: LanguagePipeline) -> set[str]:
    """Modifier names for ``ent``, ignoring modifiers farther than their reach."""
    out: set[str] = set()
    for mod in ent._.modifiers:
        name = MODIFIER_NAMES.get(mod.category.upper())
        if name is None:
            continue
        m_start, m_end = mod.modifier_span
        gap = ent.start - m_end if m_end <= ent.start else m_start - ent.end
        if gap <= pipe.context.reach(mod.category.upper(), mod.rule.literal):
            out.add(name)
    return out


def _from_target(ent: Span, text: str, kb: KnowledgeBase, pipe: LanguagePipeline
                 ) -> TextFinding | None:
    finding_id = ent.label_
    if finding_id not in kb.findings:
        return None
    mods = _modifiers(ent, pipe)
    policy = _policy()
    if "hypothetical" in mods:
        return None
    if "family" in mods:
        mapped = policy["family"]["counterparts"].get(finding_id)
        if mapped is None or mapped not in kb.findings:
            return None
        finding_id = mapped
        mods.discard("historical")
    if "historical" in mods:
        hist = policy["historical"]
        mapped = hist["counterparts"].get(finding_id)
        if mapped is not None and mapped in kb.findings:
            finding_id = mapped
        elif (kb.findings[finding_id].group in hist["drop_groups"]
              or finding_id in hist["drop_ids"]):
            return None
    start, end = ent.start_char, ent.end_char
    return TextFinding(
        id=finding_id,
        present="negated" not in mods,
        evidence=text[start:end],
        start=start,
        end=end,
        modifiers=sorted(mods),
    )


@lru_cache(maxsize=1)
def _policy() -> dict[str, Any]:
    path = resources.files("popliteal.language") / "data" / "modifier_policy.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


# ------------------------------------------------------------------------ numbers


def _from_number(mention: NumberMention, text: str, kb: KnowledgeBase) -> list[TextFinding]:
    """The number finding itself and the yes/no findings its range or option establishes."""
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


def _merge(found: list[TextFinding], kb: KnowledgeBase) -> list[TextFinding]:
    """One entry per finding id.

    Present and absent both said: a red flag counts as present (safety first); otherwise
    the later mention wins (people correct themselves: "no swelling... now it is swollen").
    Among agreeing mentions the most certain, direct one is kept (not uncertain, not
    implied by a number, then the longest span).
    """
    by_id: dict[str, list[TextFinding]] = {}
    for f in found:
        by_id.setdefault(f.id, []).append(f)
    out: list[TextFinding] = []
    for finding_id, mentions in by_id.items():
        red_flag = kb.findings[finding_id].red_flag
        if red_flag and any(m.present for m in mentions):
            pool = [m for m in mentions if m.present]
        else:
            last = max(mentions, key=lambda m: m.start)
            pool = [m for m in mentions if m.present == last.present]
        best = min(pool, key=lambda m: ("uncertain" in m.modifiers, m.implied_by is not None,
                                        -(m.end - m.start), m.start))
        out.append(best)
    return sorted(out, key=lambda f: (f.start, f.id))
