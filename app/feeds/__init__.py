"""Calendar feeds: the public programme, one event, a person's own events, the organisers' view.

Also the self-service actions that create, renew or end a person's secret feed URL, the links
that put an event into a calendar, and `flask feeds organiser-url`.
"""

from flask import Blueprint

bp = Blueprint("feeds", __name__)

from app.feeds import cli, views  # noqa: E402, F401  (routes and commands register on import)
