"""Every text column of the schema, classified: does it hold a member of the public's personal
data, and how do erasure (Art. 17 DSGVO) and anonymisation after the retention period remove it.

One registry for all tables: a test reads the models and fails for a text column missing here,
so a new column cannot hold personal data unnoticed. The overwriting of rows that stay
(registrations, expressions of interest) is done from this registry (``scrub_row``); rows that
go entirely are deleted by ``app.privacy.personal_data``.

Enum columns are left out: their values are codes fixed in the source, never typed by anyone.
"""

from __future__ import annotations

import enum


class Handling(enum.Enum):
    # Not about a member of the public: events, municipalities, codes, digests.
    NOT_PERSONAL = "not personal"
    # An organiser's own account or authorship: theirs, kept with the office's work; account
    # data goes with the account (back office).
    STAFF = "staff"
    # Kept for the statistics: describes a municipality's participation, not a person.
    STATISTICS = "kept for statistics"
    PLACEHOLDER = "replaced by 'anonymisiert'"
    BLANKED = "emptied"
    ANONYMISED_ADDRESS = "replaced by a unique address under .invalid"
    NEW_SECRET = "replaced by a new random value"
    SCRUBBED = "personal keys of the JSON replaced by 'anonymisiert'"
    ROW_DELETED = "the row is deleted"


H = Handling
ANONYMISED = "anonymisiert"

COLUMNS: dict[str, Handling] = {
    # Registrations: the row stays for the statistics.
    "registrations.first_name": H.PLACEHOLDER,
    "registrations.last_name": H.BLANKED,
    "registrations.email": H.ANONYMISED_ADDRESS,
    "registrations.email_normalised": H.ANONYMISED_ADDRESS,
    "registrations.role": H.BLANKED,
    "registrations.checkin_code": H.NEW_SECRET,
    "registrations.municipality": H.STATISTICS,
    "registrations.state": H.STATISTICS,
    "registrations.ags": H.STATISTICS,
    "registrations.municipality_key": H.STATISTICS,
    "registrations.language": H.STATISTICS,
    "registrations.attendance": H.STATISTICS,
    "registration_links.token_hash": H.ROW_DELETED,
    # Expressions of interest: the row stays (municipality, stage, topics, consultations).
    "expressions_of_interest.first_name": H.PLACEHOLDER,
    "expressions_of_interest.last_name": H.BLANKED,
    "expressions_of_interest.email": H.ANONYMISED_ADDRESS,
    "expressions_of_interest.email_normalised": H.ANONYMISED_ADDRESS,
    "expressions_of_interest.phone": H.BLANKED,
    "expressions_of_interest.role": H.BLANKED,
    "expressions_of_interest.message": H.BLANKED,
    "expressions_of_interest.municipality_name": H.STATISTICS,
    "expressions_of_interest.state": H.STATISTICS,
    "expressions_of_interest.ags": H.STATISTICS,
    "expressions_of_interest.language": H.STATISTICS,
    "expressions_of_interest.assignee_name": H.STAFF,
    "interest_links.token_hash": H.ROW_DELETED,
    # An organiser's note may name the contact ("Rückruf mit Frau …"): it goes.
    "interest_notes.text": H.ROW_DELETED,
    "interest_notes.author": H.STAFF,
    # A personal feed's row names the address whose events it lists.
    "calendar_feed_tokens.email_normalised": H.ROW_DELETED,
    "calendar_feed_tokens.token_hash": H.ROW_DELETED,
    # Mails to the person, and the office's copies of mails about them.
    "outbox_messages.recipient": H.ROW_DELETED,
    "outbox_messages.recipient_name": H.ROW_DELETED,
    "outbox_messages.subject": H.ROW_DELETED,
    "outbox_messages.body_text": H.ROW_DELETED,
    "outbox_messages.body_html": H.ROW_DELETED,
    "outbox_messages.ics": H.ROW_DELETED,
    "outbox_messages.last_error": H.ROW_DELETED,  # a server's answer may repeat the address
    "outbox_messages.message_id": H.NOT_PERSONAL,
    "outbox_messages.kind": H.NOT_PERSONAL,
    "outbox_messages.ics_method": H.NOT_PERSONAL,
    # Snapshots of registrations in the audit log; who acted is an organiser.
    "audit_entries.before": H.SCRUBBED,
    "audit_entries.after": H.SCRUBBED,
    "audit_entries.actor": H.STAFF,
    "audit_entries.action": H.NOT_PERSONAL,
    "audit_entries.target_type": H.NOT_PERSONAL,
    # Written by organisers to a whole group; each person's copy is an outbox row (above).
    "organiser_messages.subject": H.STAFF,
    "organiser_messages.body": H.STAFF,
    "organiser_messages.sent_by": H.STAFF,
    "organiser_messages.send_key": H.NOT_PERSONAL,
    "organiser_messages.group": H.NOT_PERSONAL,
    # The office's consultation slots: the organiser and the office's own access details.
    "consultation_slots.organiser_name": H.STAFF,
    "consultation_slots.organiser_email": H.STAFF,
    "consultation_slots.access_details": H.STAFF,
    # Back-office accounts and their failed logins (keyed hashes).
    "users.email": H.STAFF,
    "users.name": H.STAFF,
    "users.password_hash": H.STAFF,
    "login_failures.key": H.STAFF,
    # The programme and the municipality directory.
    "events.slug": H.NOT_PERSONAL,
    "events.title": H.NOT_PERSONAL,
    "events.summary": H.NOT_PERSONAL,
    "events.description": H.NOT_PERSONAL,
    "events.venue": H.NOT_PERSONAL,
    "events.address": H.NOT_PERSONAL,
    "events.online_url": H.NOT_PERSONAL,
    "events.cancel_reason": H.NOT_PERSONAL,
    "events.reminder_days": H.NOT_PERSONAL,
    "events.preparation": H.NOT_PERSONAL,
    "topics.name": H.NOT_PERSONAL,
    "topics.slug": H.NOT_PERSONAL,
    "municipalities.name": H.NOT_PERSONAL,
    "municipalities.state": H.NOT_PERSONAL,
    "municipalities.ags": H.NOT_PERSONAL,
    "municipality_keys.key": H.NOT_PERSONAL,
    "municipality_history.actor": H.STAFF,
    "municipality_history.action": H.NOT_PERSONAL,
    "municipality_history.detail": H.NOT_PERSONAL,  # the model-project flag, merges
    # An event's materials (files and links) put up by organisers; downloads are counted, not
    # by whom.
    "materials.key": H.NOT_PERSONAL,
    "materials.title": H.NOT_PERSONAL,
    "materials.language": H.NOT_PERSONAL,
    "materials.url": H.NOT_PERSONAL,
    "materials.stored_name": H.NOT_PERSONAL,
    "materials.filename": H.NOT_PERSONAL,
    "materials.content_type": H.NOT_PERSONAL,
    "materials.added_by": H.STAFF,
    # Feedback after an event: the answers are anonymous. Their only tie to a person, the
    # registration_id (an integer), is emptied at the closing date and at anonymisation
    # (app.feedback.rules.forget_registrations); the texts are kept without anyone's name.
    "feedback_answers.will_use": H.STATISTICS,
    "feedback_answers.missing": H.STATISTICS,
    "feedback_answers.comment": H.STATISTICS,
    # Built VEVENTs of events (personal feeds carry no personal link, see app.feeds.queries).
    "calendar_vevents.key": H.NOT_PERSONAL,
    "calendar_vevents.body": H.NOT_PERSONAL,
}

# Keys of audit snapshots that hold personal data: a registration's snapshot
# (app.core.audit.REGISTRATION_FIELDS), and the reason an organiser typed about a person.
PERSONAL_KEYS = ("first_name", "last_name", "email", "role", "phone", "reason")


def personal_columns(table: str) -> dict[str, Handling]:
    """The columns of ``table`` that are overwritten in place, with how."""
    overwritten = (H.PLACEHOLDER, H.BLANKED, H.ANONYMISED_ADDRESS)
    return {
        key.split(".", 1)[1]: handling
        for key, handling in COLUMNS.items()
        if key.startswith(f"{table}.") and handling in overwritten
    }


def scrub_row(row, kind: str) -> None:
    """Overwrite the personal columns of a registration or an expression of interest.

    ``kind`` ("r" or "i") makes the replacement address unique per table and row: the
    active-registration index is unique per e-mail and event, and the reserved .invalid
    domain (RFC 6761) ensures nothing can ever be sent there.
    """
    address = f"{ANONYMISED}-{kind}-{row.id}@anonym.invalid"
    values = {H.PLACEHOLDER: ANONYMISED, H.BLANKED: "", H.ANONYMISED_ADDRESS: address}
    for column, handling in personal_columns(row.__tablename__).items():
        setattr(row, column, values[handling])
