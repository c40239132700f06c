"""event materials (files and links)

Revision ID: 0014_materials
Revises: 0013_certificates
"""

revision = "0014_materials"
down_revision = "0013_certificates"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
