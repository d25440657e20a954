"""Triage of patients' stories against the clinical reference's level, text to level.

Prints, for the stories of danger (tests/fixtures/red_flag_stories.jsonl, each with the
least urgent level the reference allows), how many are under-triaged, and for ordinary
stories (tests/fixtures/benign_stories.jsonl, each with the most urgent level that is still
reasonable), how many are over-triaged, with each miss and the reason triage gave. Both sets
were written on 2026-12-07 by probing; the danger set's misses were fixed (a regression
set), the benign set's over-triage was named, not fixed, so it measures.

    .venv/bin/python benchmarks/story_triage.py [--quiet]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from popliteal.assessment import assess
from popliteal.knowledge import TriageLevel

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def _stories(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (FIXTURES / name).read_text("utf-8").splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="counts only")
    args = parser.parse_args()
    for name, bound, worse in (("red_flag_stories.jsonl", "at_least", "under"),
                               ("benign_stories.jsonl", "at_most", "over")):
        stories = _stories(name)
        missed: list[tuple[str, str, str, str]] = []
        for story in stories:
            result = assess(story["age"], story["sex"], str(story["text"]))
            level, limit = result.triage.level, TriageLevel(str(story[bound]))
            off = level.rank > limit.rank if worse == "under" else level.rank < limit.rank
            if off:
                missed.append((str(story["id"]), level.value, limit.value,
                               result.triage.reasons[0] if result.triage.reasons else ""))
        share = 100 * len(missed) / len(stories)
        print(f"{name}: {len(stories)} stories, {worse}-triaged {len(missed)} ({share:.1f} %)")
        if not args.quiet:
            for sid, level, limit, reason in missed:
                print(f"  {sid}: {level} ({bound} {limit}): {reason[:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
