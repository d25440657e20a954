"""Fixtures for the language tests: a small in-code knowledge base (see kb_fixture)."""

from __future__ import annotations

import pytest

from popliteal.knowledge import load_knowledge_base
from popliteal.knowledge.base import KnowledgeBase

from .kb_fixture import FINDINGS, make_kb


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return make_kb(FINDINGS, "test-language-kb")


@pytest.fixture(scope="session")
def catalogue() -> KnowledgeBase:
    """The packaged catalogue, for tests of what the real phrases give."""
    return load_knowledge_base()
