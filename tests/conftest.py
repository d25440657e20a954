"""Shared fixtures: a small hand-made knowledge base (for arithmetic checked by hand) and the
packaged one (for clinical behaviour)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from popliteal.engine import compile_model
from popliteal.knowledge import KnowledgeBase, get_knowledge_base, load_knowledge_base

MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"


@pytest.fixture(scope="session")
def mini_kb() -> KnowledgeBase:
    return load_knowledge_base(MINI_KB, require_spec_conditions=False)


@pytest.fixture()
def mini_kb_dir(tmp_path: Path) -> Path:
    """A writable copy of the mini knowledge base, for breaking files on purpose."""
    target = tmp_path / "kb"
    shutil.copytree(MINI_KB, target)
    return target


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return get_knowledge_base()


@pytest.fixture(scope="session")
def model(kb: KnowledgeBase):  # type: ignore[no-untyped-def]
    return compile_model(kb)


# ---------------------------------------------------------------------------- databases
# Every test that asks for ``db_url`` runs on SQLite and on PostgreSQL (shared by the store
# and API tests; tests/store/conftest.py adds ``store`` on top). PostgreSQL is
# POPLITEAL_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432/test); unreachable, its half
# is skipped with the reason, except in CI (CI=true), where it fails.

DEFAULT_TEST_POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The test PostgreSQL server's URL, after checking that it answers."""
    import os

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

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
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

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
