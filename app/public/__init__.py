"""Public pages: catalogue, event pages, registration and the personal self-service page."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import catalogue, privacy, registration  # noqa: E402, F401  (routes register on import)
