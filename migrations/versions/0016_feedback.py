"""feedback after an event

Revision ID: 0016_feedback
Revises: 0015_reminders
"""

revision = "0016_feedback"
down_revision = "0015_reminders"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
