"""``popliteal interview``: --jsonl through the CLI, --save/--resume, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from popliteal.cli import app
from popliteal.interview import Interview

runner = CliRunner()


def lines(output: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in output.splitlines() if x.strip()]


def test_jsonl_runs_the_protocol() -> None:
    first = Interview.start(54, "female").next_question()
    assert first is not None
    r = runner.invoke(app, ["interview", "--age", "54", "--sex", "female", "--jsonl"],
                      input=f'{{"id": "{first.id}", "answer": "no"}}\nnonsense\n')
    assert r.exit_code == 0, r.output
    got = lines(r.stdout)
    assert [m["type"] for m in got] == ["question", "question", "error", "question", "result"]
    assert got[0]["id"] == first.id
    assert got[-1]["questions_asked"] == 1 and len(got[-1]["conditions"]) >= 5


def test_jsonl_max_questions() -> None:
    r = runner.invoke(app, ["interview", "--age", "40", "--sex", "male", "--jsonl",
                            "--max-questions", "2"],
                      input="\n".join(['{"id": "%s", "answer": "unknown"}'] * 0))
    assert r.exit_code == 0, r.output
    assert lines(r.stdout)[0]["max_questions"] == 2


def test_without_a_terminal_and_without_jsonl_is_a_clear_error() -> None:
    r = runner.invoke(app, ["interview", "--age", "54", "--sex", "female"], input="")
    assert r.exit_code == 2
    assert "--jsonl" in r.stderr


def test_bad_age_and_sex_exit_2() -> None:
    for args in (["--age", "300", "--sex", "female"], ["--age", "30", "--sex", "x"],
                 ["--sex", "female"]):
        r = runner.invoke(app, ["interview", *args, "--jsonl"], input="")
        assert r.exit_code == 2, args
        assert "error" in r.stderr and "Traceback" not in r.output


def test_save_then_resume(tmp_path: Path) -> None:
    saved = tmp_path / "iv.json"
    first = Interview.start(61, "male").next_question()
    assert first is not None
    r = runner.invoke(app, ["interview", "--age", "61", "--sex", "male", "--jsonl", "--save",
                            str(saved)], input=f'{{"id": "{first.id}", "answer": "yes"}}\n')
    assert r.exit_code == 0, r.output
    state = json.loads(saved.read_text())
    assert state["answers"] == [{"id": first.id, "answer": True}]
    second_expected = lines(r.stdout)[1]
    r = runner.invoke(app, ["interview", "--resume", str(saved), "--jsonl"], input="")
    assert r.exit_code == 0, r.output
    resumed = lines(r.stdout)
    assert resumed[0] == second_expected
    assert resumed[-1]["questions_asked"] == 1


def test_resume_errors_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    r = runner.invoke(app, ["interview", "--resume", str(bad), "--jsonl"], input="")
    assert r.exit_code == 2 and "not a saved interview" in r.stderr
    r = runner.invoke(app, ["interview", "--resume", str(tmp_path / "missing.json"), "--jsonl"],
                      input="")
    assert r.exit_code == 2
    unknown = tmp_path / "unknown.json"
    state = json.loads(Interview.start(30, "male").to_json())
    state["answers"] = [{"id": "no_such_finding", "answer": "yes"}]
    unknown.write_text(json.dumps(state))
    r = runner.invoke(app, ["interview", "--resume", str(unknown), "--jsonl"], input="")
    assert r.exit_code == 2 and "no_such_finding" in r.stderr
    good = tmp_path / "good.json"
    good.write_text(Interview.start(30, "male").to_json())
    r = runner.invoke(app, ["interview", "--resume", str(good), "--age", "30", "--jsonl"],
                      input="")
    assert r.exit_code == 2 and "--resume" in r.stderr
