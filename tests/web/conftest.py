"""Page test fixtures: an app on a temporary SQLite database and a client for it.

The browser tests (``test_web_browser.py``) have their own fixtures there: a real server in a
thread and Debian's chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from web_helpers import CLINICIAN, make_settings

# The fixtures "client" and "store", shared with tests/api: pytest registers them here.
from app_fixtures import app_client, app_store  # noqa: F401
from popliteal.api import ApiSettings
from popliteal.store import Store


@pytest.fixture
def settings(tmp_path: Path) -> ApiSettings:
    return make_settings(f"sqlite:///{tmp_path / 'web.db'}")


@pytest.fixture
def clinician(store: Store) -> tuple[str, str]:
    store.add_user(*CLINICIAN)
    return CLINICIAN
