"""Safety-first triage: deterministic rules from knowledge/data/triage/*.yaml, scores such as
Wells and Ottawa, and escalation by probability that can only add urgency.

Public surface: :func:`triage`, :class:`TriageFacts`, :func:`holds`, :func:`compute_score`,
:func:`level_from_ranking`, :class:`CompiledExpr` (a rule condition as sets, for callers
that evaluate rules many times).
"""

from popliteal.triage.decide import triage
from popliteal.triage.escalation import DEFAULT_THRESHOLD, level_from_ranking
from popliteal.triage.rules import CompiledExpr, TriageFacts, compute_score, holds, rule_inputs

__all__ = [
    "DEFAULT_THRESHOLD",
    "CompiledExpr",
    "TriageFacts",
    "compute_score",
    "holds",
    "level_from_ranking",
    "rule_inputs",
    "triage",
]
