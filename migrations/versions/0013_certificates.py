"""certificates of attendance

Revision ID: 0013_certificates
Revises: 0012_mail_delivery
"""

revision = "0013_certificates"
down_revision = "0012_mail_delivery"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
