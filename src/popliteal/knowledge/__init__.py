"""The clinical knowledge base: YAML data files, their schema and an all-or-nothing loader.

Public surface: :func:`load_knowledge_base` (cached as :func:`get_knowledge_base`),
:class:`KnowledgeBase`, :class:`KnowledgeError`, :class:`UnknownFindingError`, and the schema
types other packages read.
"""

from __future__ import annotations

from functools import lru_cache

from popliteal.knowledge.base import KnowledgeBase, UnknownFindingError
from popliteal.knowledge.checks import SPEC_CONDITION_IDS
from popliteal.knowledge.loader import KnowledgeError, Problem, load_knowledge_base
from popliteal.knowledge.schema import (
    Condition,
    Dosage,
    Exercise,
    Finding,
    FindingKind,
    Id,
    Remedy,
    RemedyCategory,
    RuleExpr,
    Score,
    SourceId,
    Stage,
    TriageLevel,
    TriageRule,
)


@lru_cache(maxsize=1)
def get_knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base, loaded once per process."""
    return load_knowledge_base()


__all__ = [
    "SPEC_CONDITION_IDS",
    "Condition",
    "Dosage",
    "Exercise",
    "Finding",
    "FindingKind",
    "Id",
    "KnowledgeBase",
    "KnowledgeError",
    "Problem",
    "Remedy",
    "RemedyCategory",
    "RuleExpr",
    "Score",
    "SourceId",
    "Stage",
    "TriageLevel",
    "TriageRule",
    "UnknownFindingError",
    "get_knowledge_base",
    "load_knowledge_base",
]
