"""Domain errors of the intake that views turn into messages for the user."""

from app.core.database import TryAgain


class IntakeError(Exception):
    """Base for everything the intake refuses, with a reason a user can be shown."""


class InterestNotFound(IntakeError):
    pass


class DuplicateInterest(IntakeError):
    def __init__(self, existing):
        super().__init__("interest already submitted")
        self.existing = existing


class NotConfirmed(IntakeError):
    """Only a confirmed expression of interest may book a consultation."""


class SlotUnavailable(IntakeError):
    """The slot was withdrawn, lies in the past, or does not exist."""


class SlotTaken(IntakeError):
    """Someone else booked the slot first."""


class InvalidSlot(IntakeError):
    pass


__all__ = [
    "DuplicateInterest",
    "IntakeError",
    "InterestNotFound",
    "InvalidSlot",
    "NotConfirmed",
    "SlotTaken",
    "SlotUnavailable",
    "TryAgain",
]
