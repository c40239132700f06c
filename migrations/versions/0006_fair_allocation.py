"""fair allocation per event: newcomer priority and the treatment of funded model projects

Revision ID: 0006_fair_allocation
Revises: 0005_messages_privacy
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_fair_allocation"
down_revision = "0005_messages_privacy"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        # Server defaults fill the existing rows: every event keeps allocating as before.
        batch_op.add_column(
            sa.Column("priority_newcomers", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "model_projects",
                sa.Enum(
                    "equal",
                    "lower",
                    "excluded",
                    name="modelprojectpolicy",
                    native_enum=False,
                    length=32,
                ),
                nullable=False,
                server_default="equal",
            )
        )


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("model_projects")
        batch_op.drop_column("priority_newcomers")
