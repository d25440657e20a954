"""Initial schema: assessments, answers, bookings, users, auth_tokens, audit_log.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Written from Alembic's autogenerate output and tidied by hand. Times are
``DateTime(timezone=True)`` here; the models read them through ``UTCDateTime``, which only
normalises values and does not change the column type. A revision never imports the models:
they will change, this file must not.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _time("created_at"),
        _time("updated_at"),
        _time("expires_at"),
        _time("consent_given_at"),
        sa.Column("age", sa.Integer(), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("triage_level", sa.String(length=32), nullable=True),
        sa.Column("top_condition", sa.String(length=64), nullable=True),
        _time("handled_at", nullable=True),
        sa.Column("handled_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint("sex IN ('female', 'male')", name=op.f("ck_assessments_sex")),
        sa.CheckConstraint("age >= 0 AND age <= 130", name=op.f("ck_assessments_age")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_assessments_token_hash")),
    )
    op.create_index(op.f("ix_assessments_created_at"), "assessments", ["created_at"])
    op.create_index(op.f("ix_assessments_expires_at"), "assessments", ["expires_at"])
    op.create_index(op.f("ix_assessments_triage_level"), "assessments", ["triage_level"])

    op.create_table(
        "answers",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("finding_id", sa.String(length=100), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        _time("created_at"),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_answers_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "seq", name=op.f("pk_answers")),
    )

    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("branch_id", sa.String(length=64), nullable=False),
        sa.Column("preferred_times", sa.JSON(), nullable=False),
        _time("consent_to_contact_at"),
        sa.Column("notes", sa.Text(), nullable=True),
        _time("created_at"),
        _time("expires_at"),
        _time("handled_at", nullable=True),
        sa.Column("handled_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_bookings_assessment_id_assessments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
    )
    op.create_index(op.f("ix_bookings_assessment_id"), "bookings", ["assessment_id"])
    op.create_index(op.f("ix_bookings_created_at"), "bookings", ["created_at"])
    op.create_index(op.f("ix_bookings_expires_at"), "bookings", ["expires_at"])

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        _time("created_at"),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )

    op.create_table(
        "auth_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _time("expires_at"),
        _time("created_at"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_auth_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_auth_tokens")),
    )
    op.create_index(op.f("ix_auth_tokens_expires_at"), "auth_tokens", ["expires_at"])
    op.create_index(op.f("ix_auth_tokens_user_id"), "auth_tokens", ["user_id"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _time("at"),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("auth_tokens")
    op.drop_table("users")
    op.drop_table("bookings")
    op.drop_table("answers")
    op.drop_table("assessments")
