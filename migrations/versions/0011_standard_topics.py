"""the standard topics come with the schema

Revision ID: 0011_standard_topics
Revises: 0010_hashed_tokens
"""

revision = "0011_standard_topics"
down_revision = "0010_hashed_tokens"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
