"""On the packaged knowledge base: adding any red flag to any answer set never lowers the
level (from unanswered, "don't know" or "no" to "yes")."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from popliteal.engine import build_evidence
from popliteal.knowledge import get_knowledge_base
from popliteal.triage import triage

KB = get_knowledge_base()
YES_NO = sorted(KB.binary_findings)
RED_FLAGS = sorted(KB.red_flags)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=st.dictionaries(st.sampled_from(YES_NO),
                               st.sampled_from(["yes", "no", "unknown"]), max_size=25),
       flag=st.sampled_from(RED_FLAGS), age=st.integers(0, 120),
       sex=st.sampled_from(["female", "male"]))
def test_adding_a_red_flag_never_lowers_the_level(model, answers, flag, age, sex) -> None:  # type: ignore[no-untyped-def]
    before = triage(model, age, sex, build_evidence(KB, answers)).level
    after = triage(model, age, sex, build_evidence(KB, {**answers, flag: "yes"})).level
    assert after.rank <= before.rank, (flag, answers)
