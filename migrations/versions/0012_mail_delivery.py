"""mail delivery bookkeeping

Revision ID: 0012_mail_delivery
Revises: 0011_standard_topics
"""

revision = "0012_mail_delivery"
down_revision = "0011_standard_topics"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
