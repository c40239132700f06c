"""feedback after an event

Revision ID: 0016_feedback
Revises: 0015_reminders
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_feedback"
down_revision = "0015_reminders"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feedback_forms",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("ask_will_use", sa.Boolean(), nullable=False),
        sa.Column("ask_missing", sa.Boolean(), nullable=False),
        sa.Column("ask_topics", sa.Boolean(), nullable=False),
        sa.Column("ask_comment", sa.Boolean(), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_feedback_forms_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_feedback_forms")),
    )
    op.create_table(
        "feedback_requests",
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_feedback_requests_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_feedback_requests_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("registration_id", name=op.f("pk_feedback_requests")),
    )
    with op.batch_alter_table("feedback_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_requests_event_id"), ["event_id"], unique=False
        )
    op.create_table(
        "feedback_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("usefulness", sa.Integer(), nullable=False),
        sa.Column("will_use", sa.Text(), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_feedback_answers_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_feedback_answers_registration_id_registrations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_answers")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_feedback_answers_registration_id")),
    )
    with op.batch_alter_table("feedback_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_answers_event_id"), ["event_id"], unique=False
        )
    op.create_table(
        "feedback_answer_topics",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["feedback_answers.id"],
            name=op.f("fk_feedback_answer_topics_answer_id_feedback_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_feedback_answer_topics_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("answer_id", "topic_id", name=op.f("pk_feedback_answer_topics")),
    )


def downgrade():
    op.drop_table("feedback_answer_topics")
    with op.batch_alter_table("feedback_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_answers_event_id"))
    op.drop_table("feedback_answers")
    with op.batch_alter_table("feedback_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_requests_event_id"))
    op.drop_table("feedback_requests")
    op.drop_table("feedback_forms")
