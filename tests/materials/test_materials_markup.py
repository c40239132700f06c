"""The pages and the mail of materials pass the W3C Nu Html Checker without an error: the
event page, the archive and a participant's page with materials, the back-office list (empty,
filled, with errors), the edit page, and the notification mail's HTML.

Run with vnu.jar as tests/core/test_valid_markup.py does (skipped without it, failing in CI).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from material_files import JPEG, minimal_pdf
from sqlalchemy import select

from app.models import Material, OutboxMessage, RegistrationStatus, utcnow

VNU_JAR = Path(__file__).resolve().parents[2] / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def checker() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        message = f"Nu Html Checker not available (java: {java}, {VNU_JAR})"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-Xss8m", "-jar", str(VNU_JAR)]


def test_materials_pages_and_mail_pass_the_nu_html_checker(
    make_event, make_registration, upload, add_link, office, visitor, personal_link, session,
    tmp_path,
):  # fmt: skip
    command = checker()
    now = utcnow().replace(microsecond=0)
    event = make_event(
        title="Kick-off <Nord> & Süd",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3, hours=-4),
    )
    person = make_registration(event, RegistrationStatus.CONFIRMED, language="en")
    pages = {"admin-empty": office.get(f"/admin/events/{event.id}/materials")}
    pages["admin-errors"] = upload(event, b"<html></html>", "x.pdf", title="")
    upload(event, minimal_pdf(), "Folien Übersicht.pdf", title="Folien <Teil 1> & 2", notify="y")
    upload(event, JPEG, "foto.jpg", title="Group photo", language="en", visibility="participants")
    add_link(event, url="https://cloud.kommune.example/s/a?b=1&c=2", title="Protokoll")
    material = session.scalar(select(Material).order_by(Material.id))
    token = personal_link(person)
    pages |= {
        "admin-list": office.get(f"/admin/events/{event.id}/materials"),
        "admin-edit": office.get(f"/admin/materials/{material.id}/edit"),
        "event": visitor.get(f"/events/{event.slug}"),
        "archive": visitor.get("/archiv"),
        "personal": visitor.get(f"/r/{token}"),
        "personal-en": visitor.get(f"/r/{token}?lang=en"),
    }
    expected = {"admin-errors": 422}
    for name, response in pages.items():
        assert response.status_code == expected.get(name, 200), name
    assert "Folien &lt;Teil 1&gt; &amp; 2" in pages["event"].text
    html = {name: response.text for name, response in pages.items()}
    [mail] = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "materials_published")
    )
    html["mail"] = mail.body_html
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, text in html.items():
        (folder / f"{name}.html").write_text(text, encoding="utf-8")

    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", "--stdout", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.stdout.strip(), result.stderr
    errors = [
        f"{re.sub(r'^.*/', '', e.get('url', '?'))}:{e.get('lastLine', '?')}: {e['message']}"
        for e in json.loads(result.stdout)["messages"]
    ]
    assert not errors, "\n".join(sorted(errors))
