"""stored VEVENTs: feeds reuse what icalendar built, also after a restart

Revision ID: 0007_calendar_vevents
Revises: 0006_fair_allocation
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_calendar_vevents"
down_revision = "0006_fair_allocation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_vevents",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_calendar_vevents")),
    )
    with op.batch_alter_table("calendar_vevents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_vevents_created_at"), ["created_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("calendar_vevents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_vevents_created_at"))
    op.drop_table("calendar_vevents")
