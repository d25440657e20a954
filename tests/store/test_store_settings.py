"""Settings from the environment, and the package's public surface."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

import popliteal.store
from popliteal.store import StoreSettings


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = StoreSettings.from_env({})
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'var' / 'popliteal.db'}"
    assert settings.retention == timedelta(days=180)
    assert settings.session_ttl == timedelta(hours=8)


def test_environment_overrides(tmp_path: Path) -> None:
    settings = StoreSettings.from_env(
        {
            "POPLITEAL_DATA_DIR": str(tmp_path / "data"),
            "POPLITEAL_RETENTION_DAYS": "30",
            "POPLITEAL_SESSION_TTL_SECONDS": "3600",
        }
    )
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'popliteal.db'}"
    assert settings.retention_days == 30 and settings.session_ttl_seconds == 3600
    url = "postgresql+psycopg2://popliteal@db/popliteal"
    assert StoreSettings.from_env({"POPLITEAL_DATABASE_URL": url}).database_url == url


@pytest.mark.parametrize("days", ["0", "-5", "many", "100000"])
def test_bad_retention_fails_at_start_up(days: str) -> None:
    with pytest.raises(ValidationError):
        StoreSettings.from_env({"POPLITEAL_RETENTION_DAYS": days})


def test_public_surface() -> None:
    exported = set(popliteal.store.__all__)
    assert {"Store", "StoreSettings", "migrate", "make_engine", "ConsentRequired"} <= exported
    assert all(hasattr(popliteal.store, name) for name in exported)
    assert len(exported) == len(popliteal.store.__all__)
