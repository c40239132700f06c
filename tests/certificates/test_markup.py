"""The certificate pages pass the W3C Nu Html Checker (as every page does, see
tests/core/test_valid_markup.py): the personal page's section in each state, the verification
page valid and revoked, and the organisers' pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pdf_reading import image_bytes, verification_path

from app.certificates.pdf import build_pdf
from app.certificates.rules import issue_certificate, revoke_certificate
from app.certificates.signature import store_signature
from app.models import utcnow

VNU_JAR = Path(__file__).resolve().parents[2] / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def vnu_errors(folder: Path) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        message = "Nu Html Checker not available (java, .cache/vnu; see .ci/run)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    command = [java, "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
    result = subprocess.run(
        [*command, "--stdout", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(result.stdout)["messages"]


def test_the_certificate_pages_are_valid_html(
    app, admin_client, session, make_participant, past_event, tmp_path, no_signature
):
    to_create = make_participant(last_name="Neu")
    issued = make_participant(last_name="Fertig")
    revoked = make_participant(last_name="Widerrufen")
    valid = issue_certificate(session, issued.id, utcnow())
    withdrawn = issue_certificate(session, revoked.id, utcnow())
    session.commit()
    revoke_certificate(session, None, withdrawn.id, utcnow())
    session.commit()
    store_signature(app.instance_path, image_bytes())
    pages = {
        "personal-create": f"/r/{to_create.token}",
        "personal-download": f"/r/{issued.token}",
        "personal-revoked": f"/r/{revoked.token}",
        "verify-valid": verification_path(build_pdf(valid, "de")),
        "verify-revoked": verification_path(build_pdf(withdrawn, "de")),
        "admin-event": f"/admin/events/{past_event.id}/certificates",
        "admin-signature": "/admin/certificates/signature",
    }
    for name, url in pages.items():
        response = admin_client.get(url)
        assert response.status_code == 200, (name, url)
        (tmp_path / f"{name}.html").write_text(response.text, encoding="utf-8")

    errors = vnu_errors(tmp_path)

    assert errors == [], "\n".join(f"{e.get('url')}: {e.get('message')}" for e in errors)
