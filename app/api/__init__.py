"""JSON API, version 1: the public catalogue, described by an OpenAPI 3 document."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from app.api import views  # noqa: E402, F401
