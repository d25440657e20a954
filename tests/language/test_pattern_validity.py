"""Every token pattern the pipeline matches with is one spaCy accepts.

The keyed matchers add the generated patterns without spaCy's per-pattern check (it was two
thirds of the pipeline's build, paid at every start); this test runs that same check, spaCy's
``validate_token_pattern``, over every one of them, for the packaged catalogue.
"""

from __future__ import annotations

from spacy.schemas import validate_token_pattern

from popliteal.knowledge import get_knowledge_base
from popliteal.language.matching import KeyedMatcher, KeyedTargetMatcher
from popliteal.language.pipeline import get_pipeline


def keyed_matchers() -> list[KeyedMatcher]:
    pipe = get_pipeline(get_knowledge_base())
    targets = pipe._steps[1]  # noqa: SLF001 - the test looks inside on purpose
    assert isinstance(targets, KeyedTargetMatcher)
    found = [targets._keyed, pipe.history]  # noqa: SLF001
    assert pipe.body is not None
    found.append(pipe.body.matcher)
    assert all(isinstance(m, KeyedMatcher) for m in found)
    return found  # type: ignore[return-value]


def test_every_generated_pattern_passes_spacys_own_check() -> None:
    patterns = [(key, pattern) for matcher in keyed_matchers() for key, pattern in matcher.patterns]
    assert len(patterns) > 3000  # the catalogue's target rules, body rules and history cues
    invalid = [(key, errors) for key, pattern in patterns
               if (errors := validate_token_pattern(pattern))]
    assert invalid == []


def test_a_malformed_pattern_is_caught_by_that_check() -> None:
    assert validate_token_pattern([{"NORM": "knee", "OP": "?!"}])
