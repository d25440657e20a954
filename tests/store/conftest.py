"""Store fixtures: ``store``, a migrated :class:`popliteal.store.Store` on each database.

The database fixtures it stands on (``db_url``: a fresh, empty SQLite file or PostgreSQL
schema; ``postgres_url``; ``postgres_server_url``) live in ``tests/conftest.py``, shared with
the API tests. PostgreSQL is ``POPLITEAL_TEST_POSTGRES_URL`` (default:
postgres@127.0.0.1:5432/test). When it cannot be reached the PostgreSQL half is skipped,
except in CI (``CI=true``) where a missing database must fail the build rather than pass it
silently.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def store(db_url: str) -> Iterator[object]:
    """A migrated :class:`popliteal.store.Store` on ``db_url`` (both databases)."""
    from popliteal.store import Store

    instance = Store.from_url(db_url)
    try:
        yield instance
    finally:
        instance.dispose()
