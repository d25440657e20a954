"""The migration builds exactly the ORM's schema, and SQLite runs with the promised pragmas."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import popliteal.store.db as db
from popliteal.store import make_engine, migrate
from popliteal.store.models import Base

TABLES = {"assessments", "answers", "bookings", "users", "auth_tokens", "audit_log"}


def test_migration_matches_metadata(db_url: str) -> None:
    migrate(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            assert TABLES <= set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_compare_metadata_can_fail(db_url: str) -> None:
    """Guard for the test above: an empty database differs from the metadata."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()


def test_migrate_is_idempotent_and_downgrade_removes_everything(db_url: str) -> None:
    migrate(db_url)
    migrate(db_url)
    db.downgrade(db_url)
    engine = make_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    migrate(db_url)
    engine = make_engine(db_url)
    try:
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_alembic_files_are_found_beside_the_package() -> None:
    """migrate() must not depend on the working directory (wheels, other cwd)."""
    assert db.ALEMBIC_INI.is_file()
    assert (db.MIGRATIONS_DIR / "env.py").is_file()
    assert list((db.MIGRATIONS_DIR / "versions").glob("0001_*.py"))
    assert db.ALEMBIC_INI.parent == Path(db.__file__).resolve().parent


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'p.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == db.BUSY_TIMEOUT_MS
    finally:
        engine.dispose()
    assert (tmp_path / "nested" / "p.db").exists()


def test_unsupported_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        make_engine("mysql://localhost/x")
