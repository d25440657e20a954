"""The API's settings, read once from the environment and validated at start-up.

Why plain pydantic (as the store does): a handful of variables do not justify a dependency,
and validating them as a model makes a bad value fail when the server starts, not at the
first request. ``popliteal serve`` must work with nothing configured, so every variable has a
safe default; the one thing refused outright is a *placeholder* secret outside development
and tests (habit 6: "changethis" must never reach production).

Environment (all optional):

- ``POPLITEAL_ENV``: ``production`` (default), ``development`` or ``test``. Development drops
  HSTS and the ``Secure`` flag of the session cookie (plain http on localhost) and tolerates
  a placeholder secret.
- ``POPLITEAL_SECRET_KEY``: signs the CSRF tokens of the web forms and of cookie-authenticated
  clinician requests, and keys the hash of client addresses in the shared rate limits.
  Unset: a random key drawn at start-up, one for all the worker processes of one
  ``popliteal serve`` (see ``share_secret_with_workers`` in the CLI). Set it when several
  servers serve one clinic, or a form from one server is refused by the other and each counts
  rate limits apart. Refused outside development/test when it is a known placeholder or under 32
  characters.
- ``POPLITEAL_CORS_ORIGINS``: comma-separated origins allowed to call the API from a browser.
  Empty (default): CORS closed, only same-origin pages can read responses.
- ``POPLITEAL_RATE_ASSESSMENTS_PER_MINUTE`` (default 10), ``POPLITEAL_RATE_LOGINS_PER_MINUTE``
  (default 5) and ``POPLITEAL_RATE_BOOKINGS_PER_MINUTE`` (default 5): per client IP, per
  server process.
- ``POPLITEAL_MAX_BODY_BYTES``: request body cap (default 65536).
- The store's variables (``POPLITEAL_DATABASE_URL``, ``POPLITEAL_DATA_DIR``,
  ``POPLITEAL_RETENTION_DAYS``, ``POPLITEAL_SESSION_TTL_SECONDS``): see
  :class:`popliteal.store.StoreSettings`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from popliteal.store import StoreSettings

Environment = Literal["production", "development", "test"]
PLACEHOLDER_SECRETS = frozenset(
    {"changethis", "change-me", "changeme", "secret", "secret-key", "secretkey", "password",
     "dev", "development", "test", "example", "placeholder", "popliteal", "xxx", "todo"}
)
MIN_SECRET_LENGTH = 32


class ApiSettings(BaseModel):
    """Validated API settings; build with :meth:`from_env`, or directly in tests."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    env: Environment = "production"
    secret_key: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))
    cors_origins: tuple[str, ...] = ()
    rate_assessments_per_minute: int = Field(default=10, ge=1, le=1_000_000)
    rate_logins_per_minute: int = Field(default=5, ge=1, le=1_000_000)
    rate_bookings_per_minute: int = Field(default=5, ge=1, le=1_000_000)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, le=10 * 1024 * 1024)
    max_answers_per_assessment: int = Field(default=200, ge=10, le=10_000)
    store: StoreSettings

    @property
    def is_development(self) -> bool:
        return self.env == "development"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(o.strip().rstrip("/") for o in value.split(",") if o.strip())
        return value

    @field_validator("cors_origins")
    @classmethod
    def _no_wildcard(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            if origin == "*" or not origin.startswith(("https://", "http://")):
                raise ValueError(
                    f"CORS origin {origin!r} must be a full origin such as https://clinic.sg "
                    "('*' is refused: the API carries health data)"
                )
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> ApiSettings:
        if self.env in ("development", "test"):
            return self
        key = self.secret_key.get_secret_value()
        if key.strip().lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
            raise ValueError(
                "POPLITEAL_SECRET_KEY is a placeholder or shorter than "
                f"{MIN_SECRET_LENGTH} characters; set a random value, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))', "
                "or leave it unset for a random key per process"
            )
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ApiSettings:
        """Read the ``POPLITEAL_*`` variables (``environ`` defaults to ``os.environ``)."""
        env = os.environ if environ is None else environ
        names = {
            "env": "POPLITEAL_ENV",
            "secret_key": "POPLITEAL_SECRET_KEY",
            "cors_origins": "POPLITEAL_CORS_ORIGINS",
            "rate_assessments_per_minute": "POPLITEAL_RATE_ASSESSMENTS_PER_MINUTE",
            "rate_logins_per_minute": "POPLITEAL_RATE_LOGINS_PER_MINUTE",
            "rate_bookings_per_minute": "POPLITEAL_RATE_BOOKINGS_PER_MINUTE",
            "max_body_bytes": "POPLITEAL_MAX_BODY_BYTES",
        }
        values: dict[str, object] = {"store": StoreSettings.from_env(env)}
        for field, variable in names.items():
            raw = env.get(variable, "").strip()
            if raw:
                values[field] = raw.lower() if field == "env" else raw
        return cls.model_validate(values)
