"""Persistence: assessments, answers, bookings, clinicians and the audit log.

SQLAlchemy 2 over a SQLite file by default (WAL) or PostgreSQL (``POPLITEAL_DATABASE_URL``);
the schema comes from the Alembic migrations packaged here (``migrate``). Most callers need
only :class:`Store`:

    store = Store.from_settings(StoreSettings.from_env())      # migrates to the newest schema
    record, token = store.create_assessment(consent=True, age=54, sex="female", text=..., state=...)
    seq = store.append_answer(record.id, "calf_swelling", "yes")   # durable when it returns

Privacy by construction: patients' and clinicians' tokens are stored only as SHA-256,
passwords as argon2id, nothing is stored without consent, everything expires after the
retention period (``purge_expired``), and the audit log holds fixed words and ids only.
"""

from popliteal.store.audit import PATIENT, SYSTEM, clinician
from popliteal.store.db import make_engine, make_session_factory, migrate, session_scope
from popliteal.store.errors import (
    AnswerConflict,
    ConsentRequired,
    InvalidInput,
    NotFound,
    StoreError,
    UserExists,
)
from popliteal.store.records import (
    AnswerRecord,
    AppendedAnswer,
    AssessmentRecord,
    AssessmentSummary,
    AuditRecord,
    BookingRecord,
    PurgeCounts,
    UserRecord,
)
from popliteal.store.repositories import Store
from popliteal.store.retention import purge_expired
from popliteal.store.settings import StoreSettings
from popliteal.store.tokens import hash_token

__all__ = [
    "PATIENT",
    "SYSTEM",
    "AnswerConflict",
    "AnswerRecord",
    "AppendedAnswer",
    "AssessmentRecord",
    "AssessmentSummary",
    "AuditRecord",
    "BookingRecord",
    "ConsentRequired",
    "InvalidInput",
    "NotFound",
    "PurgeCounts",
    "Store",
    "StoreError",
    "StoreSettings",
    "UserExists",
    "UserRecord",
    "clinician",
    "hash_token",
    "make_engine",
    "make_session_factory",
    "migrate",
    "purge_expired",
    "session_scope",
]
