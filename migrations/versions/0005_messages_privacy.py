"""organiser messages with their recipients; registrations remember when they were anonymised

Revision ID: 0005_messages_privacy
Revises: 0004_intake
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_messages_privacy"
down_revision = "0004_intake"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organiser_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("send_key", sa.String(length=64), nullable=False),
        sa.Column("group", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_by", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_organiser_messages_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_organiser_messages_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organiser_messages")),
        sa.UniqueConstraint("send_key", name=op.f("uq_organiser_messages_send_key")),
    )
    with op.batch_alter_table("organiser_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organiser_messages_event_id"), ["event_id"], unique=False
        )
    op.create_table(
        "organiser_message_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["organiser_messages.id"],
            name=op.f("fk_organiser_message_recipients_message_id_organiser_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_organiser_message_recipients_outbox_message_id_outbox_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_organiser_message_recipients_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organiser_message_recipients")),
    )
    with op.batch_alter_table("organiser_message_recipients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organiser_message_recipients_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organiser_message_recipients_registration_id"),
            ["registration_id"],
            unique=False,
        )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
    with op.batch_alter_table("organiser_message_recipients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organiser_message_recipients_registration_id"))
        batch_op.drop_index(batch_op.f("ix_organiser_message_recipients_message_id"))
    op.drop_table("organiser_message_recipients")
    with op.batch_alter_table("organiser_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organiser_messages_event_id"))
    op.drop_table("organiser_messages")
