"""Fixtures shared by the API and page tests: a client of the app and the store it uses.

Both tests/api/conftest.py and tests/web/conftest.py import them, so pytest registers them for
those two directories only; each directory supplies its own ``settings`` (API: every database;
pages: SQLite) and ``clinician``. They stay out of tests/conftest.py, which would offer an
app-backed ``store`` to every directory, next to tests/store's own bare one.
The functions are named apart from their fixtures (``name=``) so that a conftest importing
them can still take ``client`` and ``store`` as parameters without shadowing the import.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from popliteal.api import ApiSettings, create_app
from popliteal.store import Store


@pytest.fixture(name="client")
def app_client(settings: ApiSettings) -> Iterator[TestClient]:
    # https: the cookies are Secure outside development, and a client only returns them there
    with TestClient(create_app(settings), base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture(name="store")
def app_store(client: TestClient) -> Store:
    """The very store the app uses."""
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store
