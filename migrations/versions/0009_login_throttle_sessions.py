"""back-office sessions end everywhere; login throttling

Revision ID: 0009_login_throttle_sessions
Revises: 0008_outbox_recipient_name
"""

revision = "0009_login_throttle_sessions"
down_revision = "0008_outbox_recipient_name"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
