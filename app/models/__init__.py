"""SQLAlchemy models, one module per aggregate."""

from app.models.audit import AuditEntry
from app.models.calendar_feed import CalendarFeedToken, FeedScope, StoredVEvent
from app.models.event import (
    Event,
    EventFormat,
    EventMode,
    EventStatus,
    Topic,
    WaitlistMode,
    event_topics,
)
from app.models.feedback import (
    FeedbackAnswer,
    FeedbackForm,
    FeedbackRequest,
    feedback_answer_topics,
)
from app.models.intake import (
    BookingStatus,
    ConsultationBooking,
    ConsultationSlot,
    ExpressionOfInterest,
    InterestLink,
    InterestNote,
    InterestStatus,
    Municipality,
    MunicipalityHistory,
    MunicipalityKey,
    PipelineStage,
    SizeClass,
    SlotChannel,
    SlotStatus,
    StrategyStage,
)
from app.models.material import Material, MaterialKind, MaterialVisibility
from app.models.message import OrganiserMessage, OrganiserMessageRecipient
from app.models.outbox import OutboxMessage, OutboxStatus
from app.models.registration import (
    ACTIVE_STATUSES,
    SEAT_HOLDING_STATUSES,
    Attendance,
    Registration,
    RegistrationLink,
    RegistrationStatus,
)
from app.models.reminder import ReminderDelivery, ReminderOptOut
from app.models.types import utcnow
from app.models.user import User, UserRole

__all__ = [
    "ACTIVE_STATUSES",
    "SEAT_HOLDING_STATUSES",
    "Attendance",
    "AuditEntry",
    "BookingStatus",
    "CalendarFeedToken",
    "ConsultationBooking",
    "ConsultationSlot",
    "Event",
    "EventFormat",
    "EventMode",
    "EventStatus",
    "ExpressionOfInterest",
    "FeedScope",
    "FeedbackAnswer",
    "FeedbackForm",
    "FeedbackRequest",
    "InterestLink",
    "InterestNote",
    "InterestStatus",
    "Material",
    "MaterialKind",
    "MaterialVisibility",
    "Municipality",
    "MunicipalityHistory",
    "MunicipalityKey",
    "OrganiserMessage",
    "OrganiserMessageRecipient",
    "OutboxMessage",
    "OutboxStatus",
    "PipelineStage",
    "Registration",
    "RegistrationLink",
    "RegistrationStatus",
    "ReminderDelivery",
    "ReminderOptOut",
    "SizeClass",
    "SlotChannel",
    "SlotStatus",
    "StoredVEvent",
    "StrategyStage",
    "Topic",
    "User",
    "UserRole",
    "WaitlistMode",
    "event_topics",
    "feedback_answer_topics",
    "utcnow",
]
