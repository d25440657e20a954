"""Engines, sessions and schema migration for SQLite and PostgreSQL.

Why these SQLite settings (applied to every new connection):

- ``journal_mode=WAL``: readers never block the writer, so the web server can serve pages
  while an answer is being written, and several processes can share one file.
- ``synchronous=FULL``: with WAL, ``NORMAL`` already survives ``kill -9`` of the process (the
  WAL is in the OS page cache), but a power cut or OS crash can lose the last commits. We tell
  a patient "answer saved" only after COMMIT returns, so that promise must hold whatever dies;
  FULL fsyncs the WAL at every commit. One answer a few seconds apart makes the cost invisible.
  (The patient's hot-path writes, :class:`popliteal.store.driver.PatientStatements`, keep the
  same promise another way: they commit with ``NORMAL`` and flush the WAL themselves after
  letting go of the write lock, before they return.)
- ``foreign_keys=ON``: SQLite ignores foreign keys unless asked, and both ON DELETE CASCADE
  (answers of a deleted assessment) and ON DELETE SET NULL (bookings) depend on them.
- ``busy_timeout``: a second process waits for the write lock instead of failing at once.

PostgreSQL gets ``pool_pre_ping`` so a server restart or an idle-connection timeout costs one
reconnect, not a failed request. Both engines use ``hide_parameters``: a database error's
message then shows the SQL but not the values, so a logged traceback cannot carry a patient's
words, name or phone number.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 30_000
#: Every SQLite connection's setting (see above); the driver restores it after a transaction
#: that commits without waiting for the disk.
SQLITE_SYNCHRONOUS = "PRAGMA synchronous=FULL"
PACKAGE_DIR = Path(__file__).resolve().parent
ALEMBIC_INI = PACKAGE_DIR / "alembic.ini"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(SQLITE_SYNCHRONOUS)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def make_engine(url: str | URL, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with the settings above; creates a SQLite file's directory."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            echo=echo,
            hide_parameters=True,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    if backend == "postgresql":
        return create_engine(parsed, echo=echo, hide_parameters=True, pool_pre_ping=True)
    raise ValueError(f"unsupported database backend {backend!r}: use sqlite or postgresql")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so records can be built afterwards."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit when the block ends normally, roll back on any exception."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine | None = None) -> Any:
    """The packaged Alembic configuration, located from this file so an installed wheel works.

    When ``engine`` is given, env.py migrates through it (keeping our SQLite pragmas).
    """
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


# Any fixed 64-bit number, the same in every process: PostgreSQL's advisory lock key for migrations.
MIGRATION_LOCK_KEY = 0x706F706C69746561  # "poplitea"


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """An exclusive ``flock`` on ``<database file>.migrate-lock`` while migrating.

    SQLite's own write lock does not serialise migrations: the driver runs DDL outside a
    transaction, so two processes both find no ``alembic_version`` table and both try to
    create it (seen with ``popliteal serve --workers 2`` on a new file). In-memory databases
    belong to one process and need no lock; where ``fcntl`` is missing (Windows) there is none.
    """
    database = engine.url.database or ""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        fcntl = None  # type: ignore[assignment]
    if fcntl is None or not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    with open(f"{database}.migrate-lock", "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)  # waits for the other process's migration
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Serialise migrations across processes.

    Several server processes started at once (``popliteal serve --workers 4``, two hosts)
    would otherwise race to create the same tables and all but one fail at start-up.
    PostgreSQL: an advisory lock. SQLite: a file lock beside the database.
    """
    if engine.dialect.name == "sqlite":
        with _sqlite_file_lock(engine):
            yield
        return
    if engine.dialect.name != "postgresql":
        yield
        return
    from sqlalchemy import text

    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                               {"key": MIGRATION_LOCK_KEY})
            connection.commit()


def migrate(url_or_engine: str | URL | Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (default: the newest schema). Idempotent, and safe
    when several processes start at once (PostgreSQL: an advisory lock)."""
    from alembic import command

    engine = url_or_engine if isinstance(url_or_engine, Engine) else make_engine(url_or_engine)
    try:
        with _migration_lock(engine):
            command.upgrade(alembic_config(engine), revision)
    finally:
        if engine is not url_or_engine:
            engine.dispose()


def downgrade(url_or_engine: str | URL | Engine, revision: str = "base") -> None:
    """Downgrade to ``revision`` (default: no tables); for tests and emergencies."""
    from alembic import command

    engine = url_or_engine if isinstance(url_or_engine, Engine) else make_engine(url_or_engine)
    try:
        command.downgrade(alembic_config(engine), revision)
    finally:
        if engine is not url_or_engine:
            engine.dispose()
