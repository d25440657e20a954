"""Regression floors on the dev vignettes (tests/fixtures/dev_vignettes.jsonl).

The 51 dev vignettes (45 first, 6 added for the accuracy work) were written from the clinical
reference (sections A, B, C), not from the public set, to measure how the reader and the
model generalise to unseen wording. The floors sit just below the figures reached when they
were written; a change that lowers them is a regression to look at, not a number to re-tune.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from popliteal.assessment import assess
from popliteal.evaluation import evaluate, read_vignettes

DEV = Path(__file__).parent / "fixtures" / "dev_vignettes.jsonl"


@pytest.fixture(scope="module")
def summary() -> dict[str, Any]:
    vignettes = read_vignettes(DEV)
    result = evaluate(vignettes, lambda v: assess(v.age, v.sex, v.text, with_care=False))
    return result["summary"]


def test_dev_set_is_whole() -> None:
    vignettes = read_vignettes(DEV)
    assert len(vignettes) == 51
    assert len({v.gold for v in vignettes}) == 30


def test_no_errors_and_no_under_triaged_emergencies(summary: dict[str, Any]) -> None:
    assert summary["errors"] == 0
    assert summary["under_triaged_emergencies"] == 0


def test_ranking_floors(summary: dict[str, Any]) -> None:
    assert summary["top1"] >= 0.91
    assert summary["top3"] >= 0.97
    assert summary["top3_acceptable"] >= 0.97


def test_triage_floors(summary: dict[str, Any]) -> None:
    assert summary["triage_ok"] >= 0.95
    assert summary["over_triage"] <= 0.05
