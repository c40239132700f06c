"""`flask municipalities ...`: the directory's import, sync and near-duplicate commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db

municipalities_group = AppGroup("municipalities", help="The municipality directory.")


@municipalities_group.command("import-mpsc")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_mpsc(path: Path) -> None:
    """Flag funded model projects from a CSV with columns name, land and (optional) ags.

    All or nothing: with any error nothing is changed and the errors are listed by line.
    """
    from app.intake.municipalities import import_model_projects
    from app.models import utcnow

    text = path.read_text(encoding="utf-8-sig")
    result = import_model_projects(db.session, text, utcnow(), actor="CSV-Import")
    if result.errors:
        db.session.rollback()
        for error in result.errors:
            click.echo(error, err=True)
        raise click.ClickException(f"{len(result.errors)} Fehler, nichts geändert.")
    db.session.commit()
    click.echo(
        f"{result.flagged} als Modellprojekt markiert, {result.unchanged} bereits markiert, "
        f"{result.created} neu angelegt."
    )


@municipalities_group.command("sync")
def sync() -> None:
    """Create directory records for municipalities known only from registrations."""
    from app.intake.municipalities import sync_from_registrations
    from app.models import utcnow

    created = sync_from_registrations(db.session, utcnow())
    db.session.commit()
    click.echo(f"{created} Kommunen neu im Verzeichnis.")


@municipalities_group.command("duplicates")
def duplicates() -> None:
    """List pairs of records that are probably the same municipality."""
    from app.intake.municipalities import near_duplicates

    pairs = near_duplicates(db.session)
    for pair in pairs:
        click.echo(
            f"{pair.first.id}: {pair.first.name}  ~  {pair.second.id}: {pair.second.name}"
            f"  ({pair.ratio:.2f})"
        )
    if not pairs:
        click.echo("Keine ähnlichen Einträge gefunden.")


@municipalities_group.command("merge")
@click.argument("source_id", type=int)
@click.argument("target_id", type=int)
def merge_command(source_id: int, target_id: int) -> None:
    """Fold record SOURCE_ID into TARGET_ID."""
    from app.intake.municipalities import MunicipalityError, merge
    from app.models import Municipality, utcnow

    source = db.session.get(Municipality, source_id)
    target = db.session.get(Municipality, target_id)
    if source is None or target is None:
        raise click.ClickException("Eintrag nicht gefunden.")
    try:
        merge(db.session, source, target, utcnow(), actor="CLI")
    except MunicipalityError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Zusammengeführt in {target_id}: {target.name}")
