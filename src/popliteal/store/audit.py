"""The audit log: who opened, changed or deleted what, and when (PDPA accountability).

Why the vocabularies are closed and ``object_id`` is an integer: an audit log is kept longer
than the data it describes and is read by more people, so it must never hold personal data or
free text. Accepting only fixed words and numeric ids makes that a property of the code, not a
hope about the callers. Tokens never appear: a patient is recorded as ``patient-token``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Final, Literal, cast

from sqlalchemy import Connection, Table, insert, select
from sqlalchemy.orm import Session

from popliteal.store.errors import InvalidInput
from popliteal.store.models import AuditEntry, utcnow

AuditAction = Literal[
    "create", "open", "answer", "update", "delete", "list", "login", "logout", "purge", "handle"
]
ObjectType = Literal["assessment", "booking", "user"]

ACTIONS: Final = frozenset(AuditAction.__args__)  # type: ignore[attr-defined]
OBJECT_TYPES: Final = frozenset(ObjectType.__args__)  # type: ignore[attr-defined]
AUDIT_LOG = cast(Table, AuditEntry.__table__)
_INSERT = insert(AUDIT_LOG)  # built once: a plain INSERT on a Session or a bare connection
PATIENT: Final = "patient-token"
SYSTEM: Final = "system"
USERNAME_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,63}$")
_ACTOR_PATTERN: Final = re.compile(r"^(patient-token|system|clinician:[a-z0-9][a-z0-9_.-]{2,63})$")


def clinician(username: str) -> str:
    """The actor string of a clinician."""
    return f"clinician:{username}"


def _checked(actor: str, action: str, object_type: str, object_id: int | None) -> dict[str, object]:
    if not _ACTOR_PATTERN.match(actor):
        raise InvalidInput("audit actor must be patient-token, system or clinician:<username>")
    if action not in ACTIONS:
        raise InvalidInput(f"audit action must be one of {sorted(ACTIONS)}")
    if object_type not in OBJECT_TYPES:
        raise InvalidInput(f"audit object_type must be one of {sorted(OBJECT_TYPES)}")
    if object_id is not None and (isinstance(object_id, bool) or not isinstance(object_id, int)):
        raise InvalidInput("audit object_id must be an integer id or None")
    return {
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
    }


def entry(actor: str, action: str, object_type: str, object_id: int | None = None, *,
          now: datetime | None = None) -> dict[str, object]:
    """One checked audit row's values (for the driver-level hot path, which inserts it)."""
    return {"at": now or utcnow(), **_checked(actor, action, object_type, object_id)}


def record(
    session: Session | Connection,
    actor: str,
    action: str,
    object_type: str,
    object_id: int | None = None,
    *,
    now: datetime | None = None,
) -> None:
    """Add one audit row to the caller's transaction (it commits with the action it records).

    A plain INSERT rather than ``session.add``: the row is never read back through the ORM,
    and a unit-of-work flush costs more than the rest of a patient's request.
    """
    session.execute(_INSERT, entry(actor, action, object_type, object_id, now=now))


def record_many(
    session: Session,
    actor: str,
    action: str,
    object_type: str,
    object_ids: Iterable[int],
    *,
    now: datetime | None = None,
) -> None:
    """One row per id, in one statement (a purge may delete thousands)."""
    at = now or utcnow()
    rows = [
        {"at": at, **_checked(actor, action, object_type, object_id)} for object_id in object_ids
    ]
    if rows:
        session.execute(_INSERT, rows)


def entries(session: Session, *, limit: int = 1000) -> list[AuditEntry]:
    """The newest entries first."""
    statement = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    return list(session.scalars(statement))
