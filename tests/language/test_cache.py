"""The extraction cache returns the same reading and stays bounded."""

from __future__ import annotations

from popliteal.knowledge import get_knowledge_base
from popliteal.language import extract, extract_findings


def test_cached_reading_is_identical_and_bounded() -> None:
    kb = get_knowledge_base()
    first = extract_findings("My calf is swollen after a long flight.", kb)
    assert extract_findings("My calf is swollen after a long flight.", kb) is first
    for i in range(extract._CACHE_SIZE + 10):
        extract_findings(f"Pain behind my knee for {i + 1} days.", kb)
    assert len(extract._CACHE) <= extract._CACHE_SIZE
