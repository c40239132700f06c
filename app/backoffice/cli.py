"""`flask users create|set-password|deactivate`: back-office accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

users_group = AppGroup("users", help="Manage back-office accounts.")


def _fail(error: Exception) -> None:
    db.session.rollback()
    raise click.ClickException(str(error))


@users_group.command("create")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option(
    "--role", type=click.Choice(["admin", "organiser"]), default="organiser", show_default=True
)
@click.option("--name", default="", help="Display name.")
@click.password_option("--password", help="Prompted for (hidden, twice) when not given.")
def create_command(email: str, role: str, name: str, password: str) -> None:
    """Create an account (the first one with --role admin)."""
    from app.backoffice.accounts import AccountError, create_user

    try:
        user = create_user(db.session, email, password, role, name)
    except AccountError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Konto angelegt: {user.email} ({user.role.value})")


@users_group.command("set-password")
@click.option("--email", required=True)
@click.password_option("--password", help="Prompted for (hidden, twice) when not given.")
def set_password_command(email: str, password: str) -> None:
    """Set a new password; every session of the account ends."""
    from app.backoffice.accounts import AccountError, set_password

    try:
        user = set_password(db.session, email, password)
    except AccountError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Passwort gesetzt: {user.email}")


@users_group.command("deactivate")
@click.option("--email", required=True)
def deactivate_command(email: str) -> None:
    """Deactivate an account: it can no longer log in, and its sessions end."""
    from app.backoffice.accounts import AccountError, deactivate_user

    try:
        user = deactivate_user(db.session, email)
    except AccountError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Konto deaktiviert: {user.email}")
