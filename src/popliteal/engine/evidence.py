"""Answers -> evidence: what the engine and triage actually reason over.

Why a separate step: patients answer in several shapes (yes/no, a choice, several choices, a
number) and say "don't know". The engine only reasons over yes/no findings, so every answer is
checked against the catalogue and turned into three sets (present, absent, unknown) plus the
raw numbers. Anything malformed is refused here with the finding id and value named, before
any inference runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from popliteal.knowledge import FindingKind, KnowledgeBase

UNKNOWN = "unknown"
_YES = {"yes", "y", "true", "1", "present"}
_NO = {"no", "n", "false", "0", "absent"}
_UNKNOWN = {"unknown", "dont_know", "don't know", "not sure", "unsure", "?"}


class AnswerError(ValueError):
    """An answer that does not fit its finding (wrong type, not an option, out of range)."""

    def __init__(self, finding_id: str, value: Any, message: str):
        self.finding_id = finding_id
        self.value = value
        super().__init__(f"answer for {finding_id!r}: {message} (got {value!r})")


@dataclass(frozen=True)
class Evidence:
    """Yes/no findings known present, known absent, or answered "don't know"."""

    present: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()
    unknown: frozenset[str] = frozenset()
    values: Mapping[str, Any] = field(default_factory=dict)

    def with_present(self, *ids: str) -> Evidence:
        """A copy with ``ids`` present (and no longer absent or unknown)."""
        s = frozenset(ids)
        return Evidence(self.present | s, self.absent - s, self.unknown - s, self.values)

    def state(self, finding_id: str) -> bool | None:
        if finding_id in self.present:
            return True
        if finding_id in self.absent:
            return False
        return None


def parse_answer(kb: KnowledgeBase, finding_id: str, value: Any) -> Any:
    """Check one answer and return it in canonical form.

    Canonical forms: ``True``/``False``/``"unknown"`` for yes/no; the option value for a
    choice; a sorted list of option values for multi; a float for a number.

    Raises:
        UnknownFindingError: the id is not in the catalogue (with close matches).
        AnswerError: the value does not fit the finding.
    """
    finding = kb.finding(finding_id)
    if isinstance(value, str) and value.strip().lower() in _UNKNOWN:
        return UNKNOWN
    if finding.kind is FindingKind.yes_no:
        if isinstance(value, bool):
            return value
        if isinstance(value, str | int) and str(value).strip().lower() in _YES:
            return True
        if isinstance(value, str | int) and str(value).strip().lower() in _NO:
            return False
        raise AnswerError(finding_id, value, "expected yes, no or unknown")
    options = [o.value for o in finding.options]
    if finding.kind is FindingKind.choice:
        if isinstance(value, str) and value.strip().lower() in options:
            return value.strip().lower()
        raise AnswerError(finding_id, value, f"expected one of {', '.join(options)} or unknown")
    if finding.kind is FindingKind.multi:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise AnswerError(finding_id, value, "expected a list of options")
        chosen = sorted({str(v).strip().lower() for v in items if str(v).strip()})
        bad = [v for v in chosen if v not in options]
        if bad:
            raise AnswerError(finding_id, value, f"not an option: {', '.join(bad)}; options are "
                                                 f"{', '.join(options)}")
        return chosen
    # number
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AnswerError(finding_id, value, "expected a number") from None
    assert finding.min is not None and finding.max is not None
    if math.isnan(number) or not finding.min <= number <= finding.max:
        raise AnswerError(finding_id, value, f"expected a number from {finding.min:g} to "
                                             f"{finding.max:g}")
    return number


def build_evidence(kb: KnowledgeBase, answers: Mapping[str, Any]) -> Evidence:
    """Turn checked answers into present/absent/unknown yes/no findings.

    Derived findings (a number's range, a choice's option) never override a direct yes/no
    answer to the same finding: the patient's own word wins.
    """
    return evidence_from(kb, answers, frozenset())


def evidence_from(kb: KnowledgeBase, answers: Mapping[str, Any],
                  canonical: Set[str]) -> Evidence:
    """:func:`build_evidence` where the answers to ``canonical`` are already what
    :func:`parse_answer` returns for them (it returns its own output unchanged), so are not
    parsed a second time."""
    present: set[str] = set()
    absent: set[str] = set()
    unknown: set[str] = set()
    derived_yes: set[str] = set()
    derived_no: set[str] = set()
    values: dict[str, Any] = {}
    for fid, raw in answers.items():
        value = raw if fid in canonical else parse_answer(kb, fid, raw)
        finding = kb.findings[fid]
        values[fid] = value
        if value == UNKNOWN:
            unknown.add(fid)
            continue
        if finding.kind is FindingKind.yes_no:
            (present if value else absent).add(fid)
        elif finding.kind is FindingKind.number:
            for rng in finding.ranges:
                if (rng.min is None or value >= rng.min) and (rng.max is None or value <= rng.max):
                    derived_yes.update(rng.implies)
                    derived_no.update(rng.denies)
        else:
            chosen = value if isinstance(value, list) else [value]
            for opt in finding.options:
                if opt.value in chosen:
                    derived_yes.update(opt.implies)
                    derived_no.update(opt.denies)
    direct = present | absent
    derived_yes |= _implied(kb, present | derived_yes)
    present |= derived_yes - direct
    absent |= (derived_no - derived_yes) - direct
    unknown -= present | absent
    return Evidence(frozenset(present), frozenset(absent), frozenset(unknown), values)


def _implied(kb: KnowledgeBase, present: set[str]) -> set[str]:
    """Everything ``present`` implies through the catalogue's ``implies`` (transitively)."""
    out: set[str] = set()
    frontier = list(present)
    while frontier:
        fid = frontier.pop()
        for ref in kb.findings[fid].implies:
            if ref not in out and ref not in present:
                out.add(ref)
                frontier.append(ref)
    return out
