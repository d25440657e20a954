"""The per-process interview cache never changes what a patient is asked or told.

Every request's answer is compared with what a process without the cache would give: the
interview rebuilt from the database's log. Other processes are played by writing to the
store directly (bypassing this process's cache), so the cache is sometimes behind the log.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from api_helpers import pick_answer

from popliteal.api import interviews
from popliteal.api.errors import ApiError
from popliteal.api.schemas import AssessmentIn
from popliteal.engine import parse_answer
from popliteal.knowledge import get_knowledge_base
from popliteal.store import Store, hash_token

TEXTS = ["Pain behind my knee when I bend it, for 3 weeks.",
         "My calf is swollen and sore after a long flight.",
         "Twisted my knee at football, it clicks and locks.",
         ""]


def rebuilt_view(store: Store, token: str) -> dict[str, Any]:
    """The state fields as a process that never saw this interview would give them."""
    opened = store.open_assessment(token, record_access=False)
    assert opened is not None
    record, log = opened
    built = interviews.Built.of(log[-1].seq if log else 0,
                                interviews.rebuild(record.state, log, get_knowledge_base()))
    return interviews.view(built, record.expires_at)


def dumped(fields: dict[str, Any]) -> dict[str, Any]:
    """Comparable: questions and answers as plain data."""
    out = dict(fields)
    if out["next_question"] is not None:
        out["next_question"] = out["next_question"].model_dump()
    out["answers"] = [a.model_dump() for a in out["answers"]]
    return out


def other_process_answers(store: Store, token: str, rng: random.Random) -> None:
    """Another server process answers (or goes back): this process's cache falls behind."""
    fields = rebuilt_view(store, token)
    question = fields["next_question"]
    if question is not None and rng.random() < 0.7:
        value = parse_answer(get_knowledge_base(), question.id,
                             pick_answer(question.model_dump()))
        store.append_answer_by_token(token, question.id, value)
    elif fields["answers"]:
        store.append_answer_by_token(token, interviews.BACK, "back")


@pytest.mark.parametrize("seed", range(6))
def test_cached_answers_equal_a_rebuild_from_the_log(store: Store, seed: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    paths = {"cached": 0, "log read": 0}
    append = store.append_answer_by_token

    def counting(*args: Any, **kwargs: Any) -> Any:
        appended = append(*args, **kwargs)
        if appended is not None and kwargs.get("check") is not None:  # the API's calls only
            paths["cached" if appended.log is None else "log read"] += 1
        return appended

    monkeypatch.setattr(store, "append_answer_by_token", counting)
    body = AssessmentIn(age=rng.randint(16, 85), sex=rng.choice(["female", "male"]),
                        text=TEXTS[seed % len(TEXTS)], consent=True)
    fields, token = interviews.start(store, body)
    assert dumped(fields) == dumped(rebuilt_view(store, token))
    for _ in range(25):
        roll = rng.random()
        if roll < 0.15:
            other_process_answers(store, token, rng)
            continue
        current = rebuilt_view(store, token)
        try:
            if roll < 0.3:
                seq, fields = interviews.back(store, token, None, limit=60)
            elif roll < 0.4 and current["answers"]:  # change an earlier answer
                earlier = rng.choice(current["answers"])
                finding = get_knowledge_base().findings[earlier.id]
                value = rng.choice([o.value for o in finding.options] or ["yes", "no"])
                seq, fields = interviews.answer(store, token, earlier.id, value, None, limit=60)
            elif current["next_question"] is not None:
                question = current["next_question"].model_dump()
                seq, fields = interviews.answer(store, token, question["id"],
                                                pick_answer(question), None, limit=60)
            else:
                continue
        except ApiError as error:
            assert error.code in ("nothing_to_undo", "too_many_answers")
            continue
        assert dumped(fields) == dumped(rebuilt_view(store, token)), f"seed {seed}"
        assert seq == store.list_answers(store.open_assessment(token)[0].id)[-1].seq
        loaded = interviews.load(store, token, audit=False)
        assert loaded.built.seq == seq
    assert paths["cached"] > 0 and paths["log read"] > 0, paths  # both paths were compared


def test_a_cache_behind_the_log_is_not_used_for_refusals(store: Store) -> None:
    """The cache says there is nothing to undo; the log (another process) says there is."""
    _, token = interviews.start(store, AssessmentIn(age=40, sex="male", text="", consent=True))
    cached = interviews.CACHE.get(hash_token(token))
    assert cached is not None and cached.seq == 0
    store.append_answer_by_token(token, "fever", False)  # another process
    seq, fields = interviews.back(store, token, None, limit=60)
    assert seq == 2 and fields["answers"] == []
    assert dumped(fields) == dumped(rebuilt_view(store, token))


def test_the_cache_is_bounded_and_keeps_newer_entries() -> None:
    cache = interviews.InterviewCache(size=2)
    store_less = object()
    built = [interviews.Built(seq, store_less, None) for seq in range(4)]  # type: ignore[arg-type]
    cache.put("a", built[2])
    cache.put("a", built[1])  # an older answer finishing late does not go back in time
    assert cache.get("a") is built[2]
    cache.put("b", built[0])
    cache.put("c", built[0])
    assert cache.get("a") is None and cache.get("c") is built[0]  # least recently used left


def test_a_result_encoded_once_is_the_same_result_and_cached_with_its_seq(store: Store) -> None:
    fields, token = interviews.start(
        store, AssessmentIn(age=61, sex="female", text=TEXTS[1], consent=True))
    question = fields["next_question"]
    interviews.answer(store, token, question.id, pick_answer(question.model_dump()), None,
                      limit=60)
    loaded = interviews.load(store, token, audit=False)
    fresh = interviews.result_json(store, loaded)
    reloaded = interviews.load(store, token, audit=False)
    assert reloaded.record.result == {**json.loads(fresh), "answers_seq": 1}
    assert reloaded.record.triage_level == json.loads(fresh)["triage"]["level"]
    assert json.loads(interviews.result_json(store, reloaded)) == json.loads(fresh)  # cached
    assert interviews.result(store, reloaded) == json.loads(fresh)
    # the compiled serialiser's text says what the plain dict dump says, extra fields included
    assert json.loads(fresh) == interviews._computed_result(loaded)
    assert reloaded.record.top_condition == json.loads(fresh)["conditions"][0]["id"]


def test_deleting_an_assessment_forgets_its_cached_interview(store: Store) -> None:
    _, token = interviews.start(store, AssessmentIn(age=40, sex="male", text=TEXTS[0],
                                                    consent=True))
    assert interviews.CACHE.get(hash_token(token)) is not None
    assert interviews.delete(store, token)
    assert interviews.CACHE.get(hash_token(token)) is None
    assert not interviews.delete(store, token)
