"""Alembic environment: migrate the engine ``popliteal.store.db.migrate`` hands over.

Why an engine and not a URL in alembic.ini: the engine carries our SQLite pragmas (WAL,
foreign keys) and tests point it at throwaway databases. Run by hand (``alembic -c
.../alembic.ini upgrade head``), the URL comes from ``sqlalchemy.url`` if set, else from
``StoreSettings.from_env()`` (POPLITEAL_DATABASE_URL or the default SQLite file).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from popliteal.store.db import make_engine
from popliteal.store.models import Base
from popliteal.store.settings import StoreSettings

config = context.config
target_metadata = Base.metadata


def _engine() -> tuple[Engine, bool]:
    given = config.attributes.get("engine")
    if isinstance(given, Engine):
        return given, False
    url = config.get_main_option("sqlalchemy.url") or StoreSettings.from_env().database_url
    return make_engine(url), True


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or StoreSettings.from_env().database_url
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine, owned = _engine()
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                compare_type=True,
                # SQLite cannot ALTER most things; batch mode copies the table instead.
                render_as_batch=connection.dialect.name == "sqlite",
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
