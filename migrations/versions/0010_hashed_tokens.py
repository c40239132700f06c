"""personal tokens stored as SHA-256

Revision ID: 0010_hashed_tokens
Revises: 0009_login_throttle_sessions
"""

revision = "0010_hashed_tokens"
down_revision = "0009_login_throttle_sessions"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
