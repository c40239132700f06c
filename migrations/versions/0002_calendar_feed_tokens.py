"""calendar feed tokens: secret, revocable URLs of personal and organisers' feeds

Revision ID: 0002_calendar_feed_tokens
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_calendar_feed_tokens"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "scope",
            sa.Enum("personal", "organisers", name="feedscope", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("email_normalised", sa.String(length=254), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_calendar_feed_tokens_token")),
    )
    with op.batch_alter_table("calendar_feed_tokens", schema=None) as batch_op:
        batch_op.create_index(
            "ix_calendar_feed_tokens_owner", ["scope", "email_normalised"], unique=False
        )


def downgrade():
    with op.batch_alter_table("calendar_feed_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_calendar_feed_tokens_owner")
    op.drop_table("calendar_feed_tokens")
