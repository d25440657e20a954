"""Rate limits shared by all server processes: one token bucket per limit and client.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(length=16), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "client", name=op.f("pk_rate_limits")),
    )
    op.create_index(op.f("ix_rate_limits_updated"), "rate_limits", ["updated"])


def downgrade() -> None:
    op.drop_index(op.f("ix_rate_limits_updated"), table_name="rate_limits")
    op.drop_table("rate_limits")
