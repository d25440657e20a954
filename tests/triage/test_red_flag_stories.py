"""Stories of danger in patients' own words, each at least as urgent as the clinical
reference's level for it (tests/fixtures/red_flag_stories.jsonl).

Written on 2026-12-07 by probing the whole assessment, text to triage, with red flags said
in everyday, Singlish and misspelt words. Five were under-triaged when written (coughing up
"some" blood, "feel confused", "hit by a motorbike" with a knee "bent the wrong way", skin
"gone blotchy purple" with fever, a foot gone "floppy" after a dislocation) and were fixed
by catalogue phrases; the rest passed as written. A regression set, not a measure: its
misses were studied.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from popliteal.assessment import assess
from popliteal.knowledge import TriageLevel

STORIES = [json.loads(line) for line in (Path(__file__).resolve().parents[1] / "fixtures"
                                         / "red_flag_stories.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("story", STORIES, ids=[s["id"] for s in STORIES])
def test_a_story_of_danger_is_never_under_triaged(story: dict[str, Any]) -> None:
    result = assess(story["age"], story["sex"], story["text"])
    wanted = TriageLevel(story["at_least"])
    assert result.triage.level.rank <= wanted.rank, (story["text"], result.triage.level)
