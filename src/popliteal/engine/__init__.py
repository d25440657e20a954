"""The diagnostic engine: the knowledge base compiled to arrays, and naive-Bayes inference.

Public surface: :func:`compile_model`, :class:`CompiledModel`, :func:`rank`,
:func:`posterior`, :class:`Ranking`, :class:`Evidence`, :func:`build_evidence`,
:func:`parse_answer`, :class:`AnswerError`.
"""

from popliteal.engine.evidence import UNKNOWN, AnswerError, Evidence, build_evidence, parse_answer
from popliteal.engine.inference import Explanation, Ranking, log_scores, normalise, posterior, rank
from popliteal.engine.model import CompiledModel, FloatArray, compile_model

__all__ = [
    "UNKNOWN",
    "AnswerError",
    "CompiledModel",
    "Evidence",
    "Explanation",
    "FloatArray",
    "Ranking",
    "build_evidence",
    "compile_model",
    "log_scores",
    "normalise",
    "parse_answer",
    "posterior",
    "rank",
]
