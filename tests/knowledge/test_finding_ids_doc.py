"""docs/finding-ids.yaml, the list of finding ids the clinic's team reviews and every knowledge
file cites, names exactly the catalogue's findings with their labels, groups and red flags:
five findings added without it had left it silently behind."""

from __future__ import annotations

from pathlib import Path

import yaml

from popliteal.knowledge.base import KnowledgeBase

DOC = Path(__file__).resolve().parents[2] / "docs" / "finding-ids.yaml"


def test_the_finding_ids_document_matches_the_catalogue(kb: KnowledgeBase) -> None:
    rows = {row["id"]: row for row in yaml.safe_load(DOC.read_text(encoding="utf-8"))}
    assert sorted(set(kb.findings) - set(rows)) == [], "missing from docs/finding-ids.yaml"
    assert sorted(set(rows) - set(kb.findings)) == [], "in docs/finding-ids.yaml, not the catalogue"
    for fid, finding in kb.findings.items():
        row = rows[fid]
        shown = (row["label"], row["group"], row.get("red_flag", False),
                 row.get("kind", "yes_no"))
        assert shown == (finding.label, finding.group, finding.red_flag, finding.kind.value), fid
