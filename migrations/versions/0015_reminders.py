"""reminders before an event

Revision ID: 0015_reminders
Revises: 0014_materials
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_reminders"
down_revision = "0014_materials"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminder_days", sa.String(length=60), nullable=False, server_default="7,1")
        )
        batch_op.add_column(sa.Column("preparation", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "reminder_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_reminder_deliveries_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_deliveries")),
        sa.UniqueConstraint(
            "registration_id",
            "days_before",
            name=op.f("uq_reminder_deliveries_registration_id"),
        ),
    )
    with op.batch_alter_table("reminder_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_deliveries_registration_id"), ["registration_id"], unique=False
        )
    op.create_table(
        "reminder_opt_outs",
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_reminder_opt_outs_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("registration_id", name=op.f("pk_reminder_opt_outs")),
    )


def downgrade():
    op.drop_table("reminder_opt_outs")
    with op.batch_alter_table("reminder_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_deliveries_registration_id"))
    op.drop_table("reminder_deliveries")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("preparation")
        batch_op.drop_column("reminder_days")
