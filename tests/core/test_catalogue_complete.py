"""Every text the code and templates show has a real English translation.

The strings are extracted afresh (same babel.cfg, same keywords as `make translations`), so a
new German text that nobody translated fails here, not in front of an English-speaking user.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%")


def babel_keywords() -> list[str]:
    """The extraction keywords, read from the Makefile so both stay the same."""
    makefile = (ROOT / "Makefile").read_text()
    line = re.search(r"^BABEL_KEYWORDS\s*:=\s*(.+)$", makefile, re.MULTILINE).group(1)
    return line.split()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    arguments = ["-F", str(ROOT / "babel.cfg"), *babel_keywords(), "-o", str(pot), str(ROOT)]
    CommandLineInterface().run(["pybabel", "-q", "extract", *arguments])
    with pot.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def english():
    with PO_PATH.open("rb") as handle:
        return read_po(handle, locale="en")


def as_tuple(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def test_extraction_finds_the_texts_of_code_and_templates(extracted):
    ids = {as_tuple(message.id)[0] for message in extracted if message.id}
    # One from a Python form, one from a template, one plural, one mail subject.
    assert "Bitte geben Sie Ihren Vornamen an." in ids
    assert "Zum Inhalt springen" in ids
    assert "%(num)d Platz frei" in ids
    assert "Bitte bestätigen Sie Ihre Anmeldung" in ids
    assert len(ids) > 500


def test_every_message_has_an_english_translation(extracted, english):
    missing = []
    for message in extracted:
        if not message.id:
            continue
        translated = english.get(message.id)
        strings = as_tuple(translated.string) if translated is not None else ()
        if (
            translated is None
            or translated.fuzzy
            or not strings
            or not all(text.strip() for text in strings)
            or (message.pluralizable and len(strings) != english.num_plurals)
        ):
            missing.append(as_tuple(message.id)[0])
    assert not missing, (
        f"{len(missing)} texts have no English translation; run `make translations` and "
        "translate them in app/translations/en/LC_MESSAGES/messages.po:\n" + "\n".join(missing)
    )


def test_translations_keep_every_placeholder(english):
    wrong = []
    for message in english:
        if not message.id or not message.string:
            continue
        ids, strings = as_tuple(message.id), as_tuple(message.string)
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            # English singulars may say "one" instead of the number, nothing else may differ.
            found = sorted(PLACEHOLDER.findall(text))
            if found != expected and found != sorted(PLACEHOLDER.findall(ids[0])):
                wrong.append((ids[0], text))
    assert not wrong, wrong


def test_catalogue_has_no_fuzzy_or_obsolete_entries(english):
    assert not [message.id for message in english if message.id and message.fuzzy]
    assert not english.obsolete, list(english.obsolete)


def test_babel_finds_no_format_errors(english):
    problems = [
        (message.id, [str(error) for error in errors]) for message, errors in english.check()
    ]
    assert not problems, problems
