"""Shared fixtures: a small hand-made knowledge base (for arithmetic checked by hand) and the
packaged one (for clinical behaviour)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from popliteal.engine import compile_model
from popliteal.knowledge import KnowledgeBase, get_knowledge_base, load_knowledge_base

MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"


@pytest.fixture(scope="session")
def mini_kb() -> KnowledgeBase:
    return load_knowledge_base(MINI_KB, require_spec_conditions=False)


@pytest.fixture()
def mini_kb_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini knowledge base, for breaking files on purpose."""
    target = tmp_path / "kb"
    shutil.copytree(MINI_KB, target)
    return target


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return get_knowledge_base()


@pytest.fixture(scope="session")
def model(kb: KnowledgeBase):  # type: ignore[no-untyped-def]
    return compile_model(kb)
