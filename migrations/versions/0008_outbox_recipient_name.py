"""outbox rows keep the recipient's name for the To header

Revision ID: 0008_outbox_recipient_name
Revises: 0007_calendar_vevents
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_outbox_recipient_name"
down_revision = "0007_calendar_vevents"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recipient_name", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("recipient_name")
