"""Slugs come from titles, readable in German."""

from app.programme.event_input import slugify


def test_umlauts_are_transliterated():
    assert slugify("Themenwerkstatt: Mobilität & Straßenräume in Köln") == (
        "themenwerkstatt-mobilitaet-strassenraeume-in-koeln"
    )


def test_other_accents_are_dropped_and_length_is_limited():
    assert slugify("Café Résumé") == "cafe-resume"
    assert len(slugify("Werkstatt " * 30)) <= 100
    assert not slugify("Werkstatt " * 30).endswith("-")
    assert slugify("!!!") == "veranstaltung"
