"""The booking domain: registration, opt-in, seat allocation, waiting list and expiry.

Functions here take a SQLAlchemy session and return results or raise a BookingError; they never
touch the request. They do not commit: the caller commits, which ends the lock early.
"""
