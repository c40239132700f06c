"""back-office sessions end everywhere; login throttling instead of account lockout

Revision ID: 0009_login_throttle_sessions
Revises: 0008_outbox_recipient_name
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_login_throttle_sessions"
down_revision = "0008_outbox_recipient_name"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on users, never a batch copy: on SQLite a batch recreates the table, and
# dropping the old one with foreign keys on would empty every reference to it (audit log,
# consultation slots, messages: ON DELETE SET NULL). SQLite drops plain columns itself since
# 3.35.


def upgrade():
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_failures")),
    )
    op.create_index(
        op.f("ix_login_failures_first_failure_at"),
        "login_failures",
        ["first_failure_at"],
        unique=False,
    )
    op.add_column(
        "users", sa.Column("session_version", sa.Integer(), nullable=False, server_default="1")
    )
    op.drop_column("users", "locked_until")
    op.drop_column("users", "failed_logins")


def downgrade():
    op.add_column(
        "users", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_column("users", "session_version")
    op.drop_index(op.f("ix_login_failures_first_failure_at"), table_name="login_failures")
    op.drop_table("login_failures")
