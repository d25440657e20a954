"""The diagnostic engine: the knowledge base compiled to arrays, and naive-Bayes inference.

Public surface: :func:`compile_model`, :class:`CompiledModel`, :func:`rank`,
:func:`posterior`, :class:`Ranking`, :class:`Evidence`, :func:`build_evidence`,
:func:`parse_answer`, :class:`AnswerError`; for callers that build their own view of a
ranking (``popliteal.assessment``): :func:`rank_arrays`, :func:`observed_answers`,
:func:`patient_prior` / :class:`PatientPrior` and :func:`evidence_from`.
"""

from popliteal.engine.evidence import (
    UNKNOWN,
    AnswerError,
    Evidence,
    build_evidence,
    evidence_from,
    parse_answer,
)
from popliteal.engine.inference import (
    Explanation,
    PatientPrior,
    Ranking,
    log_scores,
    normalise,
    observed_answers,
    patient_prior,
    posterior,
    rank,
    rank_arrays,
)
from popliteal.engine.model import CompiledModel, FloatArray, compile_model

__all__ = [
    "UNKNOWN",
    "AnswerError",
    "CompiledModel",
    "Evidence",
    "Explanation",
    "FloatArray",
    "PatientPrior",
    "Ranking",
    "build_evidence",
    "compile_model",
    "evidence_from",
    "log_scores",
    "normalise",
    "observed_answers",
    "parse_answer",
    "patient_prior",
    "posterior",
    "rank",
    "rank_arrays",
]
