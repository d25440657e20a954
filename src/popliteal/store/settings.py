"""Where the data lives and how long it is kept, read once from the environment.

Why plain pydantic and not pydantic-settings: pydantic-settings is not a dependency of the
package, and three environment variables do not justify one. ``StoreSettings.from_env`` reads
them; the model validates them, so a bad value fails at start-up, not at the first request.

Environment:

- ``POPLITEAL_DATABASE_URL``: a SQLAlchemy URL (``postgresql+psycopg2://...`` in production
  with several server processes). Default: a SQLite file ``popliteal.db`` in the data dir.
- ``POPLITEAL_DATA_DIR``: the directory of that SQLite file. Default ``./var``.
- ``POPLITEAL_RETENTION_DAYS``: how long an assessment (and a booking) is kept before
  ``popliteal purge`` deletes it (PDPA's retention limitation obligation). Default 180.
- ``POPLITEAL_SESSION_TTL_SECONDS``: lifetime of a clinician's login token. Default 8 hours.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_DATA_DIR = Path("var")
DEFAULT_RETENTION_DAYS = 180
DEFAULT_SESSION_TTL_SECONDS = 8 * 60 * 60


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file, absolute so a changed cwd cannot move the data."""
    return f"sqlite:///{path.expanduser().resolve()}"


class StoreSettings(BaseModel):
    """Validated persistence settings; build with :meth:`from_env` or directly in tests."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str = Field(min_length=1)
    retention_days: int = Field(default=DEFAULT_RETENTION_DAYS, ge=1, le=3650)
    session_ttl_seconds: int = Field(default=DEFAULT_SESSION_TTL_SECONDS, ge=60, le=30 * 86400)

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.retention_days)

    @property
    def session_ttl(self) -> timedelta:
        return timedelta(seconds=self.session_ttl_seconds)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> StoreSettings:
        """Read the ``POPLITEAL_*`` variables (``environ`` defaults to ``os.environ``)."""
        env = os.environ if environ is None else environ
        url = env.get("POPLITEAL_DATABASE_URL", "").strip()
        if not url:
            data_dir = Path(env.get("POPLITEAL_DATA_DIR", "").strip() or DEFAULT_DATA_DIR)
            url = sqlite_url(data_dir / "popliteal.db")
        values: dict[str, object] = {"database_url": url}
        if env.get("POPLITEAL_RETENTION_DAYS", "").strip():
            values["retention_days"] = env["POPLITEAL_RETENTION_DAYS"].strip()
        if env.get("POPLITEAL_SESSION_TTL_SECONDS", "").strip():
            values["session_ttl_seconds"] = env["POPLITEAL_SESSION_TTL_SECONDS"].strip()
        return cls.model_validate(values)
