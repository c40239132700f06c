"""certificates of attendance

Revision ID: 0013_certificates
Revises: 0012_mail_delivery
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_certificates"
down_revision = "0012_mail_delivery"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_certificates_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificates_registration_id"), ["registration_id"], unique=False
        )
        batch_op.create_index(
            "uq_certificates_live_registration",
            ["registration_id"],
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index("uq_certificates_live_registration")
        batch_op.drop_index(batch_op.f("ix_certificates_registration_id"))
    op.drop_table("certificates")
