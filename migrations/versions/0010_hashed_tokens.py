"""personal tokens stored as SHA-256

Registration and interest tokens move into link tables (one hashed token per mail); feed
tokens keep their row and lose their plain text; registrations keep the check-in code their
mails carry; outbox rows learn the expression of interest they are about; expressions of
interest get anonymised_at and, like registrations, the time of the last link reminder.

Links already mailed keep working: each existing token becomes a link row holding its
SHA-256, and each check-in code is computed as it was made before (an HMAC of the token under
SECRET_KEY), so the QR codes in mails already sent still open their entry. Downgrading cannot
bring the plain tokens back (a hash is one-way): every row gets a new random token, so links
mailed while this revision was in place stop working.

Revision ID: 0010_hashed_tokens
Revises: 0009_login_throttle_sessions
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "0010_hashed_tokens"
down_revision = "0009_login_throttle_sessions"
branch_labels = None
depends_on = None

# The kinds of mail the intake sends, to the contact and to the office.
INTEREST_KINDS = (
    "interest_opt_in",
    "interest_link_reminder",
    "interest_confirmed",
    "consultation_booked",
    "consultation_cancelled",
    "consultation_booked_organiser",
    "consultation_cancelled_organiser",
)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def old_checkin_code(secret_key: str, token: str) -> str:
    """The check-in code as app.booking.checkin_codes made it before this revision."""
    digest = hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()
    return digest[:20]


def upgrade():
    op.create_table(
        "registration_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_registration_links_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_registration_links_token_hash")),
    )
    op.create_index(
        op.f("ix_registration_links_registration_id"), "registration_links", ["registration_id"]
    )
    op.create_table(
        "interest_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interest_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["interest_id"],
            ["expressions_of_interest.id"],
            name=op.f("fk_interest_links_interest_id_expressions_of_interest"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_interest_links_token_hash")),
    )
    op.create_index(op.f("ix_interest_links_interest_id"), "interest_links", ["interest_id"])

    with op.batch_alter_table("registrations") as batch_op:
        batch_op.add_column(sa.Column("checkin_code", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("link_reminder_at", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("expressions_of_interest") as batch_op:
        batch_op.add_column(
            sa.Column("link_reminder_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("calendar_feed_tokens") as batch_op:
        batch_op.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.add_column(sa.Column("interest_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_messages_interest_id"), ["interest_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_interest_id_expressions_of_interest"),
            "expressions_of_interest",
            ["interest_id"],
            ["id"],
            ondelete="SET NULL",
        )

    convert_rows(op.get_bind(), current_app.config["SECRET_KEY"], datetime.now(UTC))

    with op.batch_alter_table("registrations") as batch_op:
        batch_op.alter_column("checkin_code", existing_type=sa.String(length=20), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_registrations_checkin_code"), ["checkin_code"]
        )
        batch_op.drop_constraint("uq_registrations_token", type_="unique")
        batch_op.drop_column("token")
    with op.batch_alter_table("expressions_of_interest") as batch_op:
        batch_op.drop_constraint("uq_expressions_of_interest_token", type_="unique")
        batch_op.drop_column("token")
    with op.batch_alter_table("calendar_feed_tokens") as batch_op:
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_calendar_feed_tokens_token_hash"), ["token_hash"]
        )
        batch_op.drop_constraint("uq_calendar_feed_tokens_token", type_="unique")
        batch_op.drop_column("token")


def convert_rows(connection, secret_key: str, now: datetime) -> None:
    """Move the plain tokens of rows written before this revision into their hashed form.

    Registrations already anonymised get no link (their token was replaced by one never
    mailed); expressions of interest anonymised before get anonymised_at instead.
    """
    registrations = sa.table(
        "registrations",
        sa.column("id"),
        sa.column("token"),
        sa.column("anonymised_at"),
        sa.column("checkin_code"),
    )
    interests = sa.table(
        "expressions_of_interest",
        sa.column("id"),
        sa.column("token"),
        sa.column("email"),
        sa.column("anonymised_at"),
    )
    feeds = sa.table(
        "calendar_feed_tokens", sa.column("id"), sa.column("token"), sa.column("token_hash")
    )
    outbox = sa.table(
        "outbox_messages",
        sa.column("id"),
        sa.column("kind"),
        sa.column("recipient"),
        sa.column("body_text"),
        sa.column("interest_id"),
    )
    registration_links = sa.table(
        "registration_links",
        sa.column("registration_id"),
        sa.column("token_hash"),
        sa.column("created_at"),
    )
    interest_links = sa.table(
        "interest_links", sa.column("interest_id"), sa.column("token_hash"), sa.column("created_at")
    )

    rows = connection.execute(
        sa.select(registrations.c.id, registrations.c.token, registrations.c.anonymised_at)
    ).all()
    for row_id, token, anonymised_at in rows:
        code = old_checkin_code(secret_key, token)
        connection.execute(
            registrations.update().where(registrations.c.id == row_id).values(checkin_code=code)
        )
        if anonymised_at is None:
            connection.execute(
                registration_links.insert().values(
                    registration_id=row_id, token_hash=hash_token(token), created_at=now
                )
            )

    rows = connection.execute(sa.select(interests.c.id, interests.c.token, interests.c.email)).all()
    contacts: dict[str, int] = {}
    for row_id, token, email in rows:
        if _anonymised(email):
            connection.execute(
                interests.update().where(interests.c.id == row_id).values(anonymised_at=now)
            )
            continue
        connection.execute(
            interest_links.insert().values(
                interest_id=row_id, token_hash=hash_token(token), created_at=now
            )
        )
        contacts[email.lower()] = row_id

    for row_id, token in connection.execute(sa.select(feeds.c.id, feeds.c.token)).all():
        connection.execute(
            feeds.update().where(feeds.c.id == row_id).values(token_hash=hash_token(token))
        )

    # Mails about an expression of interest: the contact's by their address, the office's
    # copies by the contact's address in the text (they name the contact).
    mails = connection.execute(
        sa.select(outbox.c.id, outbox.c.recipient, outbox.c.body_text).where(
            outbox.c.kind.in_(INTEREST_KINDS)
        )
    ).all()
    for row_id, recipient, body in mails:
        interest_id = contacts.get((recipient or "").lower())
        if interest_id is None:
            interest_id = next(
                (owner for email, owner in contacts.items() if email in (body or "").lower()),
                None,
            )
        if interest_id is not None:
            connection.execute(
                outbox.update().where(outbox.c.id == row_id).values(interest_id=interest_id)
            )


def _anonymised(email: str) -> bool:
    return email.startswith("anonymisiert-i-") and email.endswith("@anonym.invalid")


def downgrade():
    with op.batch_alter_table("calendar_feed_tokens") as batch_op:
        batch_op.add_column(sa.Column("token", sa.String(length=64), nullable=True))
    with op.batch_alter_table("expressions_of_interest") as batch_op:
        batch_op.add_column(sa.Column("token", sa.String(length=64), nullable=True))
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.add_column(sa.Column("token", sa.String(length=64), nullable=True))

    connection = op.get_bind()
    for table in ("registrations", "expressions_of_interest", "calendar_feed_tokens"):
        rows = sa.table(table, sa.column("id"), sa.column("token"))
        for (row_id,) in connection.execute(sa.select(rows.c.id)).all():
            connection.execute(
                rows.update().where(rows.c.id == row_id).values(token=secrets.token_urlsafe(24))
            )

    with op.batch_alter_table("calendar_feed_tokens") as batch_op:
        batch_op.alter_column("token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_calendar_feed_tokens_token", ["token"])
        batch_op.drop_constraint(batch_op.f("uq_calendar_feed_tokens_token_hash"), type_="unique")
        batch_op.drop_column("token_hash")
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_messages_interest_id_expressions_of_interest"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_outbox_messages_interest_id"))
        batch_op.drop_column("interest_id")
    with op.batch_alter_table("expressions_of_interest") as batch_op:
        batch_op.alter_column("token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_expressions_of_interest_token", ["token"])
        batch_op.drop_column("anonymised_at")
        batch_op.drop_column("link_reminder_at")
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.alter_column("token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_registrations_token", ["token"])
        batch_op.drop_constraint(batch_op.f("uq_registrations_checkin_code"), type_="unique")
        batch_op.drop_column("link_reminder_at")
        batch_op.drop_column("checkin_code")
    op.drop_index(op.f("ix_interest_links_interest_id"), table_name="interest_links")
    op.drop_table("interest_links")
    op.drop_index(op.f("ix_registration_links_registration_id"), table_name="registration_links")
    op.drop_table("registration_links")
