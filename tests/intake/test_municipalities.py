"""The municipality directory: one record per municipality, its path, model projects, merges."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.intake.consultation import book_slot
from app.intake.municipalities import (
    MunicipalityError,
    find_or_create,
    import_model_projects,
    merge,
    near_duplicates,
    path_of,
    registrations_of,
    set_model_project,
    sync_from_registrations,
)
from app.models import Municipality, MunicipalityKey, RegistrationStatus


def test_found_by_ags_whatever_the_spelling(session, now):
    first = find_or_create(session, "Stadt Musterhausen", "09", "09123000", now)
    second = find_or_create(session, "Musterhausen i. OB", "09", "09123000", now)
    assert first.id == second.id


def test_without_ags_found_by_normalised_name_and_land(session, now):
    first = find_or_create(session, "Gemeinde Über-Au", "09", "", now)
    second = find_or_create(session, "ueber au", "09", "", now)
    other_land = find_or_create(session, "Über-Au", "08", "", now)
    assert first.id == second.id
    assert other_land.id != first.id


def test_record_learns_its_ags_later_but_same_name_other_ags_stays_apart(session, now):
    by_name = find_or_create(session, "Neustadt", "07", "", now)
    with_ags = find_or_create(session, "Neustadt", "07", "07316000", now)
    assert with_ags.id == by_name.id and by_name.ags == "07316000"
    namesake = find_or_create(session, "Neustadt", "07", "07999000", now)
    assert namesake.id != by_name.id


def test_registrations_join_the_record(session, make_event, make_registration, now):
    event = make_event()
    make_registration(event, municipality="Stadt Musterhausen", state="09", ags="09123000")
    make_registration(event, municipality="Musterhausen", state="09")
    make_registration(event, municipality="Anderswo", state="09")
    municipality = find_or_create(session, "Musterhausen", "09", "09123000", now)
    assert len(registrations_of(session, municipality)) == 2


def test_sync_creates_records_for_municipalities_seen_only_in_registrations(
    session, make_event, make_registration, now
):
    event = make_event()
    make_registration(event, municipality="Dorf A", state="01")
    make_registration(event, municipality="Dorf A", state="01")
    make_registration(event, municipality="Dorf B", state="01", ags="01001000")
    assert sync_from_registrations(session, now) == 2
    session.commit()
    assert sync_from_registrations(session, now) == 0
    assert len(session.scalars(select(Municipality)).all()) == 2


def test_path_shows_registrations_interest_consultation_and_changes(
    session, make_event, make_registration, make_interest, make_slot, now
):
    event = make_event(title="Kick-off Nord")
    make_registration(
        event, municipality="Musterhausen", state="09", status=RegistrationStatus.CONFIRMED
    )
    interest = make_interest(municipality="Musterhausen", state="09")
    slot = make_slot()
    book_slot(session, interest.token, slot.id, now + timedelta(seconds=1))
    set_model_project(session, interest.municipality, True, now + timedelta(seconds=2), "Olga")
    session.commit()

    entries = path_of(session, interest.municipality)
    kinds = [entry.kind for entry in entries]
    assert set(kinds) == {"registration", "interest", "consultation", "record"}
    assert any("Kick-off Nord" in entry.text for entry in entries)
    assert any(entry.text.startswith("Modellprojekt: ja") for entry in entries)


def test_model_project_flag_by_hand_records_history_once(session, now):
    municipality = find_or_create(session, "Musterhausen", "09", "", now)
    assert set_model_project(session, municipality, True, now, "Olga") is True
    assert set_model_project(session, municipality, True, now, "Olga") is False
    assert municipality.is_model_project
    assert len(path_of(session, municipality)) == 1


def test_csv_import_flags_model_projects(runner, session, tmp_path, now):
    existing = find_or_create(session, "Stadt Ulm", "08", "08421000", now)
    session.commit()
    csv_file = tmp_path / "mpsc.csv"
    csv_file.write_text(
        "name;land;ags\nUlm;Baden-Württemberg;08421000\nKiel;01;\nSolingen;Nordrhein-Westfalen;\n",
        encoding="utf-8-sig",
    )
    result = runner.invoke(args=["municipalities", "import-mpsc", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "3 als Modellprojekt markiert" in result.output and "2 neu angelegt" in result.output
    session.expire_all()
    assert session.get(Municipality, existing.id).is_model_project
    flagged = session.scalars(select(Municipality).where(Municipality.is_model_project)).all()
    assert {m.name for m in flagged} == {"Stadt Ulm", "Kiel", "Solingen"}


def test_csv_import_with_errors_changes_nothing(runner, session, tmp_path):
    csv_file = tmp_path / "mpsc.csv"
    csv_file.write_text("name,land,ags\nKiel,01,\nAtlantis,Atlantis,\nUlm,08,0842\n")
    result = runner.invoke(args=["municipalities", "import-mpsc", str(csv_file)])
    assert result.exit_code != 0
    assert "Zeile 3" in result.output and "Zeile 4" in result.output
    assert session.scalars(select(Municipality)).all() == []


def test_near_duplicates_are_found_and_merged(
    session, make_event, make_registration, make_interest, now
):
    event = make_event()
    make_registration(event, municipality="St. Ingbert", state="10")
    sankt = make_interest(municipality="Sankt Ingbert", state="10").municipality
    st = find_or_create(session, "St. Ingbert", "10", "", now)
    find_or_create(session, "Saarbrücken", "10", "", now)
    session.commit()

    pairs = near_duplicates(session)
    assert [{pair.first.id, pair.second.id} for pair in pairs] == [{sankt.id, st.id}]

    survivor = merge(session, st, sankt, now, actor="Olga")
    session.commit()
    assert session.get(Municipality, st.id) is None
    keys = session.scalars(
        select(MunicipalityKey.key).where(MunicipalityKey.municipality_id == survivor.id)
    ).all()
    assert "name:10:st ingbert" in keys
    assert len(registrations_of(session, survivor)) == 1  # the registration followed the merge
    assert any(entry.kind == "record" for entry in path_of(session, survivor))
    assert near_duplicates(session) == []
    # Known afterwards under both spellings.
    assert find_or_create(session, "St. Ingbert", "10", "", now).id == survivor.id


def test_merge_refuses_different_ags(session, now):
    first = find_or_create(session, "Neustadt", "07", "07316000", now)
    second = find_or_create(session, "Neustadt", "07", "07999000", now)
    with pytest.raises(MunicipalityError):
        merge(session, first, second, now)
    with pytest.raises(MunicipalityError):
        merge(session, first, first, now)


def test_import_function_reports_missing_header(session, now):
    result = import_model_projects(session, "stadt,bundesland\nKiel,01\n", now)
    assert result.errors and "name und land" in result.errors[0]
