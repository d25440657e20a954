"""Free text -> findings (present/absent) with the words that showed them.

Public surface: :func:`extract_findings`, :class:`Extraction`, :class:`TextFinding`,
:class:`LanguageInputError`, :data:`MAX_TEXT_CHARS`. spaCy and medSpaCy are imported only
when the first text is read, so ``import popliteal`` stays fast.
"""

from __future__ import annotations

from popliteal.language.errors import MAX_TEXT_CHARS, LanguageInputError
from popliteal.language.extract import Extraction, TextFinding, clear_cache, extract_findings

__all__ = [
    "MAX_TEXT_CHARS",
    "Extraction",
    "LanguageInputError",
    "TextFinding",
    "clear_cache",
    "extract_findings",
]
