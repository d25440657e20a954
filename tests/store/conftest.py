"""Database fixtures: every test that asks for ``db_url`` runs on SQLite and on PostgreSQL.

Self-contained on purpose (no imports from other test modules) so it can move unchanged to
tests/conftest.py and serve the API tests too.

- ``db_url``: the URL of a fresh, empty database (no tables): a SQLite file in ``tmp_path``,
  or a new PostgreSQL schema (selected through ``search_path``) dropped after the test.
- PostgreSQL is ``POPLITEAL_TEST_POSTGRES_URL`` (default: postgres@127.0.0.1:5432/test). When
  it cannot be reached the PostgreSQL half is skipped, except in CI (``CI=true``) where a
  missing database must fail the build rather than pass it silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_TEST_POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The test PostgreSQL server's URL, after checking that it answers."""
    url = os.environ.get("POPLITEAL_TEST_POSTGRES_URL") or DEFAULT_TEST_POSTGRES_URL
    shown = make_url(url).render_as_string(hide_password=True)
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means "not reachable"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        message = f"PostgreSQL not reachable at {shown}: {reason}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A URL whose connections see only a new, empty schema; the schema is dropped after."""
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(postgres_server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'popliteal.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[object]:
    """A migrated :class:`popliteal.store.Store` on ``db_url`` (both databases)."""
    from popliteal.store import Store

    instance = Store.from_url(db_url)
    try:
        yield instance
    finally:
        instance.dispose()
