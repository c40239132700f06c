"""reminders before an event

Revision ID: 0015_reminders
Revises: 0014_materials
"""

revision = "0015_reminders"
down_revision = "0014_materials"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
