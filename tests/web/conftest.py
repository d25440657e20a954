"""Page test fixtures: an app on a temporary SQLite database and a client for it.

The browser tests (``test_web_browser.py``) have their own fixtures there: a real server in a
thread and Debian's chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import CLINICIAN, make_settings

from popliteal.api import ApiSettings, create_app
from popliteal.store import Store


@pytest.fixture
def settings(tmp_path: Path) -> ApiSettings:
    return make_settings(f"sqlite:///{tmp_path / 'web.db'}")


@pytest.fixture
def client(settings: ApiSettings) -> Iterator[TestClient]:
    # https: the cookies are Secure outside development, and a client only returns them there
    with TestClient(create_app(settings), base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture
def store(client: TestClient) -> Store:
    app_store: Store = client.app.state.store  # type: ignore[attr-defined]
    return app_store


@pytest.fixture
def clinician(store: Store) -> tuple[str, str]:
    store.add_user(*CLINICIAN)
    return CLINICIAN
