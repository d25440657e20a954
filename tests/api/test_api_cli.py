"""The service commands: users add, purge, bookings, clinics, serve's refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from popliteal.cli import app
from popliteal.store import Store

runner = CliRunner()


@pytest.fixture
def env(db_url: str) -> dict[str, str]:
    return {"POPLITEAL_DATABASE_URL": db_url}


def test_users_add_with_password_stdin(env: dict[str, str], db_url: str) -> None:
    result = runner.invoke(app, ["users", "add", "physio.lee", "--password-stdin"],
                           input="a long enough password\n", env=env)
    assert result.exit_code == 0, result.output
    store = Store.from_url(db_url)
    try:
        assert store.verify_password("physio.lee", "a long enough password") is not None
    finally:
        store.dispose()
    again = runner.invoke(app, ["users", "add", "physio.lee", "--password-stdin"],
                          input="another long password\n", env=env)
    assert again.exit_code == 2 and "already exists" in again.output
    short = runner.invoke(app, ["users", "add", "nurse.ng", "--password-stdin"],
                          input="short\n", env=env)
    assert short.exit_code == 2 and "at least 10" in short.output


def test_users_add_prompts_twice(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["users", "add", "dr.ong"],
                           input="first password!\nfirst password!\n", env=env)
    assert result.exit_code == 0, result.output


def test_purge_dry_run_then_purge(env: dict[str, str], db_url: str) -> None:
    store = Store.from_url(db_url)
    try:
        past = datetime.now(UTC) - timedelta(days=400)
        record, _ = store.create_assessment(consent=True, age=40, sex="male", text="",
                                            state={}, now=past)
        store.append_answer(record.id, "fever", False)
        store.create_assessment(consent=True, age=41, sex="male", text="", state={})
    finally:
        store.dispose()
    dry = runner.invoke(app, ["purge", "--dry-run", "--json"], env=env)
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout) == {"dry_run": True, "assessments": 1, "answers": 1,
                                      "bookings": 0, "auth_tokens": 0}
    real = runner.invoke(app, ["purge"], env=env)
    assert real.exit_code == 0 and "deleted: 1 assessments (1 answers)" in real.stdout
    after = runner.invoke(app, ["purge", "--json"], env=env)
    assert json.loads(after.stdout)["assessments"] == 0


def test_bookings_listing(env: dict[str, str], db_url: str) -> None:
    store = Store.from_url(db_url)
    try:
        store.create_booking(name="Tan Ah Kow", phone="+6591234567", branch_id="novena",
                             preferred_times=["saturday morning"], consent_to_contact=True)
    finally:
        store.dispose()
    listed = runner.invoke(app, ["bookings", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.stdout)
    assert row["phone"] == "+6591234567" and row["branch_id"] == "novena"
    assert json.loads(runner.invoke(app, ["bookings", "--json", "--handled"], env=env).stdout) == []
    table = runner.invoke(app, ["bookings", "--unhandled"], env=env)
    assert table.exit_code == 0 and "Tan Ah Kow" in table.stdout


def test_clinics_near_json_has_the_spec_fields() -> None:
    result = runner.invoke(app, ["clinics", "--near", "560123", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    for row in rows:
        assert {"id", "name", "address", "postal_code", "phone", "distance_km"} <= set(row)
    assert rows[0]["id"] == "serangoon"
    assert [r["distance_km"] for r in rows] == sorted(r["distance_km"] for r in rows)
    plain = runner.invoke(app, ["clinics"])
    assert plain.exit_code == 0 and "Novena" in plain.stdout


def test_impossible_postal_code_exits_2_with_a_message() -> None:
    result = runner.invoke(app, ["clinics", "--near", "999999", "--json"])
    assert result.exit_code == 2
    assert "not a Singapore postal code" in result.output and result.stdout == ""


def test_serve_refuses_a_placeholder_secret(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["serve", "--port", "8999"], env={
        "POPLITEAL_SECRET_KEY": "changethis", "POPLITEAL_ENV": "production",
        "POPLITEAL_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 2
    assert "POPLITEAL_SECRET_KEY" in result.output
