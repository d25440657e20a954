"""Interview fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from popliteal.knowledge import KnowledgeBase, load_knowledge_base


@pytest.fixture()
def multi_kb(mini_kb_dir: Path) -> KnowledgeBase:
    """The mini knowledge base plus one multi-answer question (which other joints hurt)."""
    with (mini_kb_dir / "findings" / "f.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "- id: joints_hurting\n  kind: multi\n  label: other joints\n"
            '  question: "Which other joints hurt?"\n  group: joints\n  options:\n'
            "    - {value: hands, label: Hands}\n    - {value: hips, label: Hips}\n"
        )
    return load_knowledge_base(mini_kb_dir, require_spec_conditions=False)
