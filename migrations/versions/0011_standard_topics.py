"""the standard topics come with the schema

A fresh installation has topics from the start: the expression-of-interest form asks for at
least one, and events are filed under them. They are data, not schema: organisers may rename
them or add others afterwards (`flask topics`), so the upgrade adds only those missing (by name
in any case, or by slug) and the downgrade removes only the unchanged ones no event uses.

The list is written out here, not imported: a migration must do tomorrow what it did today.

Revision ID: 0011_standard_topics
Revises: 0010_hashed_tokens
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_standard_topics"
down_revision = "0010_hashed_tokens"
branch_labels = None
depends_on = None

STANDARD_TOPICS = (
    ("Strategie", "strategie"),
    ("Mobilität", "mobilitaet"),
    ("Energie & Klima", "energie-klima"),
    ("Daten & Plattformen", "daten-plattformen"),
    ("Verwaltungsdigitalisierung", "verwaltungsdigitalisierung"),
    ("Open Source", "open-source"),
    ("Beteiligung", "beteiligung"),
)

topics = sa.table("topics", sa.column("id", sa.Integer), sa.column("name"), sa.column("slug"))
event_topics = sa.table("event_topics", sa.column("topic_id", sa.Integer))


def upgrade():
    connection = op.get_bind()
    for name, slug in STANDARD_TOPICS:
        present = connection.execute(
            sa.select(topics.c.id).where(
                (sa.func.lower(topics.c.name) == name.lower()) | (topics.c.slug == slug)
            )
        ).first()
        if present is None:
            connection.execute(topics.insert().values(name=name, slug=slug))


def downgrade():
    unused = ~sa.exists().where(event_topics.c.topic_id == topics.c.id)
    for name, slug in STANDARD_TOPICS:
        op.get_bind().execute(
            topics.delete().where(topics.c.name == name, topics.c.slug == slug, unused)
        )
