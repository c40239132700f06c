"""Domain errors that views turn into messages for the user."""

from app.core.database import TryAgain


class BookingError(Exception):
    """Base for everything the booking code refuses, with a reason a user can be shown."""


class RegistrationClosed(BookingError):
    pass


class DuplicateRegistration(BookingError):
    def __init__(self, existing):
        super().__init__("already registered")
        self.existing = existing


class RegistrationNotFound(BookingError):
    pass


class ModelProjectExcluded(BookingError):
    """The event is closed to funded model projects, and this municipality is one."""


class InvalidTransition(BookingError):
    pass


class CapacityBelowConfirmed(BookingError):
    def __init__(self, confirmed: int):
        super().__init__(f"{confirmed} seats are already taken")
        self.confirmed = confirmed


__all__ = [
    "BookingError",
    "CapacityBelowConfirmed",
    "DuplicateRegistration",
    "InvalidTransition",
    "ModelProjectExcluded",
    "RegistrationClosed",
    "RegistrationNotFound",
    "TryAgain",
]
