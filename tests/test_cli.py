"""The command line: spec JSON shapes, readable output, and clear errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from popliteal.cli import app

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_assess_json_has_the_spec_shape() -> None:
    r = run("assess", "--age", "67", "--sex", "female", "--answer", "lump_behind_knee=yes",
            "--answer", "lump_softer_when_bent=yes", "--answer", "calf_swelling=no", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["conditions"]) >= 5
    probs = [c["probability"] for c in data["conditions"]]
    assert probs == sorted(probs, reverse=True)
    assert data["conditions"][0]["id"] == "bakers_cyst"
    assert data["triage"]["level"] in {"emergency_now", "urgent_same_day", "doctor_soon",
                                       "physio", "self_care"}
    assert data["triage"]["reasons"]
    f = next(f for f in data["findings"] if f["id"] == "calf_swelling")
    assert f == {**f, "present": False, "source": "answer"}
    assert "not a diagnosis" in data["disclaimer"] and "995" in data["urgent_help"]


def test_assess_for_a_person_puts_triage_first() -> None:
    r = run("assess", "--age", "40", "--sex", "male", "--answer", "calf_swelling=yes",
            "--answer", "long_travel=yes")
    assert r.exit_code == 0, r.output
    assert r.stdout.index("TODAY") < r.stdout.index("Likely causes")
    assert "995" in r.stdout


def test_answers_file_and_override(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text(json.dumps({"fever": "yes", "knee_hot": "yes", "knee_swelling": "yes"}))
    r = run("assess", "--age", "50", "--sex", "male", "--answers", str(f), "--answer",
            "fever=no", "--json")
    assert r.exit_code == 0, r.output
    fever = next(x for x in json.loads(r.stdout)["findings"] if x["id"] == "fever")
    assert fever["present"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--age", "40", "--sex", "male", "--answer", "feverr=yes"], "did you mean fever"),
        (["--age", "140", "--sex", "male", "--answer", "fever=yes"], "between 0 and 120"),
        (["--age", "-1", "--sex", "male", "--answer", "fever=yes"], "between 0 and 120"),
        (["--age", "40", "--sex", "robot", "--answer", "fever=yes"], "sex must be"),
        (["--age", "40", "--sex", "male", "--answer", "fever=perhaps"], "yes, no or unknown"),
        (["--age", "40", "--sex", "male", "--answer", "fever"], "expected id=value"),
        (["--age", "40", "--sex", "male"], "give the problem"),
        (["--age", "40", "--sex", "male", "--answers", "/nonexistent.json"], "cannot read"),
    ],
)
def test_bad_input_exits_2_with_a_message(args: list[str], message: str) -> None:
    r = run("assess", *args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.output


def test_missing_argument_exits_2() -> None:
    r = run("assess", "--sex", "male")
    assert r.exit_code == 2 and "age" in r.output.lower()


def test_kb_list_json_has_spec_fields() -> None:
    r = run("kb", "list", "--json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert len(rows) >= 30
    for row in rows:
        assert row["id"] and row["name"] and row["icd10"] and row["sources"]


def test_kb_validate_and_show() -> None:
    r = run("kb", "validate")
    assert r.exit_code == 0 and "knowledge base OK" in r.stdout
    r = run("kb", "show", "deep_vein_thrombosis")
    assert r.exit_code == 0 and "sources" in r.stdout and "I80" in r.stdout
    r = run("kb", "show", "deep_vein_thrombosiss")
    assert r.exit_code == 2 and "did you mean deep_vein_thrombosis" in r.stderr


def test_kb_validate_reports_broken_folder(tmp_path: Path) -> None:
    r = run("kb", "validate", "--data-dir", str(tmp_path))
    assert r.exit_code == 1 and "spec condition has no file" in r.stderr


def test_eval_rejects_malformed_file(tmp_path: Path) -> None:
    f = tmp_path / "v.jsonl"
    f.write_text('{"id": "a", "age": 30, "sex": "female", "text": "x"}\n{not json}\n')
    r = run("eval", str(f))
    assert r.exit_code == 2 and "v.jsonl:2" in r.stderr


def test_plan_from_a_saved_result(tmp_path: Path) -> None:
    r = run("assess", "--age", "40", "--sex", "male", "--answer", "calf_swelling=yes",
            "--answer", "long_travel=yes", "--json")
    saved = tmp_path / "result.json"
    saved.write_text(r.stdout)
    p = run("plan", "--result", str(saved), "--json")
    assert p.exit_code == 0, p.output
    plan = json.loads(p.stdout)
    assert plan["level"] == "urgent_same_day" and plan["exercise_programme"] is None
    assert any("995" in step["action"] for step in plan["get_help"])


def test_plan_refuses_what_is_not_a_result(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"x": 1}')
    r = run("plan", "--result", str(bad))
    assert r.exit_code == 2 and "not an assessment result" in r.stderr


def test_physio_summary_markdown() -> None:
    r = run("assess", "--age", "40", "--sex", "male", "--answer", "calf_swelling=yes",
            "--answer", "pain_calf=yes", "--summary")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("# Physiotherapy summary")
    assert "Wells score" in r.stdout and "urgent_same_day" in r.stdout


def test_answer_overrides_the_text_and_says_so() -> None:
    r = run("assess", "--age", "35", "--sex", "female", "--text",
            "Pain behind my knee and I have a fever.", "--answer", "fever=no", "--json")
    assert r.exit_code == 0, r.output
    fever = next(f for f in json.loads(r.stdout)["findings"] if f["id"] == "fever")
    assert fever["present"] is False and fever["overrides_text"] is True
    r = run("assess", "--age", "35", "--sex", "female", "--text",
            "Pain behind my knee and I have a fever.", "--answer", "fever=no")
    assert "your answer replaced the text" in r.stdout


def test_text_findings_carry_their_words() -> None:
    r = run("assess", "--age", "35", "--sex", "female", "--text",
            "My calf is swollen after a 13 hour flight. No fever.", "--json")
    data = json.loads(r.stdout)
    text_findings = [f for f in data["findings"] if f["source"] == "text"]
    assert text_findings
    for f in text_findings:
        assert f["evidence"] and f["start"] is not None
    assert any(f["id"] == "fever" and f["present"] is False for f in text_findings)
    assert data["triage"]["level"] == "urgent_same_day"


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("?!...", "punctuation"), ("knee pain " * 600, "limit is 5000")],
)
def test_bad_text_exits_2_without_a_result(text: str, message: str) -> None:
    r = run("assess", "--age", "35", "--sex", "female", "--text", text, "--json")
    assert r.exit_code == 2 and r.stdout == ""
    assert message.lower() in r.stderr.lower()


def test_serve_shares_one_drawn_secret_with_its_workers_and_keeps_a_configured_one() -> None:
    from popliteal.cli import share_secret_with_workers

    drawn: dict[str, str] = {"POPLITEAL_SECRET_KEY": "  "}
    share_secret_with_workers(drawn)
    assert len(drawn["POPLITEAL_SECRET_KEY"]) >= 32
    first = drawn["POPLITEAL_SECRET_KEY"]
    share_secret_with_workers(drawn)  # already set: kept, so every worker reads the same
    assert drawn["POPLITEAL_SECRET_KEY"] == first
    configured = {"POPLITEAL_SECRET_KEY": "k" * 40}
    share_secret_with_workers(configured)
    assert configured == {"POPLITEAL_SECRET_KEY": "k" * 40}
