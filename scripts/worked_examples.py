"""Print the worked examples table: one textbook case for each condition the article names.

The cases come from tests/engine/textbook_cases.yaml (built from the clinical reference, not
from the vignettes). The README holds this script's output between markers, and
tests/test_readme.py fails when the two differ, so the table cannot rot.
Run: .venv/bin/python scripts/worked_examples.py
"""

from __future__ import annotations

from pathlib import Path

import yaml

from popliteal.assessment import assess
from popliteal.knowledge import get_knowledge_base

CASES = Path(__file__).resolve().parents[1] / "tests" / "engine" / "textbook_cases.yaml"


def table() -> str:
    kb = get_knowledge_base()
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    seen: set[str] = set()
    rows = ["| condition (article) | age, sex | answers | top three | triage |",
            "| --- | --- | --- | --- | --- |"]
    for case in cases:
        cid = case["expected"]
        if cid in seen or not kb.conditions[cid].in_article:
            continue
        seen.add(cid)
        result = assess(case["age"], case["sex"], answers=case["answers"], kb=kb, with_care=False)
        answers = ", ".join(f"{k}={'yes' if v is True else 'no' if v is False else v}"
                            for k, v in case["answers"].items())
        top = ", ".join(f"{c.id} {c.probability:.0%}" for c in result.conditions[:3])
        rows.append(f"| {cid} | {case['age']} {case['sex']} | {answers} | {top} | "
                    f"{result.triage.level.value} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(table(), end="")
