"""Inputs that cannot be read get a clear error, never an empty (reassuring-looking) result."""

from __future__ import annotations

import pytest

from popliteal.knowledge.base import KnowledgeBase
from popliteal.language import MAX_TEXT_CHARS, LanguageInputError, extract_findings


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n"])
def test_empty_text_is_an_error(kb: KnowledgeBase, text: str) -> None:
    with pytest.raises(LanguageInputError, match="empty"):
        extract_findings(text, kb)


@pytest.mark.parametrize("text", ["...", "?!?! --", "  ;;;  ", "***\n..."])
def test_only_punctuation_is_an_error(kb: KnowledgeBase, text: str) -> None:
    with pytest.raises(LanguageInputError, match="no words"):
        extract_findings(text, kb)


def test_text_over_the_limit_is_an_error(kb: KnowledgeBase) -> None:
    text = "my knee hurts. " * (MAX_TEXT_CHARS // 10)
    assert len(text) > MAX_TEXT_CHARS
    with pytest.raises(LanguageInputError, match=str(MAX_TEXT_CHARS)):
        extract_findings(text, kb)


def test_text_at_the_limit_is_read(kb: KnowledgeBase) -> None:
    text = ("no fever. " * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS]
    result = extract_findings(text, kb)
    assert result.get("fever") is not None


def test_error_is_a_value_error(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError):
        extract_findings("", kb)


def test_non_string_is_an_error(kb: KnowledgeBase) -> None:
    with pytest.raises(LanguageInputError, match="string"):
        extract_findings(None, kb)  # type: ignore[arg-type]
