"""The signature image: admins upload, replace and remove it; only PNG and JPEG content is
taken (whatever the file is called), stored under the instance folder and drawn on the PDF."""

from __future__ import annotations

import io

from pdf_reading import image_bytes, pdf_text, read_pdf
from PIL import Image

from app.certificates.rules import issue_certificate
from app.models import utcnow


def upload(client, data: bytes, filename="unterschrift.png"):
    return client.post(
        "/admin/certificates/signature",
        data={"image": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def images_in(pdf: bytes) -> int:
    return sum(len(page.images) for page in read_pdf(pdf).pages)


def test_an_admin_uploads_a_signature_that_appears_on_every_certificate(
    admin_client, session, attended, no_signature
):
    certificate = issue_certificate(session, attended.id, utcnow())
    session.commit()
    before = admin_client.get(f"/admin/certificates/{certificate.id}.pdf").data

    response = upload(admin_client, image_bytes("PNG"))

    assert response.status_code == 302
    assert no_signature.exists()
    assert no_signature.parent.name == "certificates"
    page = admin_client.get("/admin/certificates/signature").text
    assert "Die Unterschrift ist gespeichert." in page
    assert 'src="/admin/certificates/signature.png"' in page
    assert admin_client.get("/admin/certificates/signature.png").mimetype == "image/png"
    after = admin_client.get(f"/admin/certificates/{certificate.id}.pdf").data
    assert images_in(after) == images_in(before) + 1
    assert "ohne Unterschrift gültig" in pdf_text(before)
    assert "ohne Unterschrift gültig" not in pdf_text(after)


def test_a_jpeg_is_taken_and_stored_as_a_new_png_without_its_metadata(admin_client, no_signature):
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"  # Make
    response = upload(admin_client, image_bytes("JPEG", exif=exif.tobytes()), "scan.jpg")

    assert response.status_code == 302
    stored = Image.open(no_signature)
    assert stored.format == "PNG"
    assert not stored.getexif()
    assert b"Kamera GmbH" not in no_signature.read_bytes()


def test_a_file_that_is_no_png_or_jpeg_is_refused_whatever_its_name(admin_client, no_signature):
    for data, name in [
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "unterschrift.png"),
        (b"%PDF-1.7 not an image", "unterschrift.jpg"),
        (image_bytes("GIF"), "unterschrift.png"),
        (b"\x89PNG\r\n\x1a\n" + b"broken" * 50, "kaputt.png"),
    ]:
        response = upload(admin_client, data, name)

        assert response.status_code == 422, name
        assert "Diese Datei ist kein PNG- oder JPEG-Bild." in response.text
        assert not no_signature.exists()


def test_an_empty_form_and_a_huge_file_get_a_clear_message(admin_client, no_signature):
    empty = admin_client.post(
        "/admin/certificates/signature", data={}, content_type="multipart/form-data"
    )
    huge = upload(admin_client, image_bytes("PNG") + b"\0" * (3 * 1024 * 1024))

    assert empty.status_code == 422
    assert "Bitte wählen Sie eine Bilddatei aus." in empty.text
    assert huge.status_code == 422
    assert "Das Bild ist zu groß." in huge.text
    assert not no_signature.exists()


def test_an_admin_replaces_and_removes_the_signature(admin_client, no_signature):
    upload(admin_client, image_bytes("PNG", size=(600, 200)))
    upload(admin_client, image_bytes("PNG", size=(300, 100)))
    assert Image.open(no_signature).size == (300, 100)

    response = admin_client.post("/admin/certificates/signature/remove")

    assert response.status_code == 302
    assert not no_signature.exists()
    page = admin_client.get("/admin/certificates/signature").text
    assert "Die Unterschrift ist entfernt." in page
    assert "Es ist keine Unterschrift hinterlegt." in page
    assert admin_client.get("/admin/certificates/signature.png").status_code == 404


def test_organisers_who_are_not_admins_cannot_change_the_signature(orga_client, no_signature):
    assert orga_client.get("/admin/certificates/signature").status_code == 403
    assert upload(orga_client, image_bytes("PNG")).status_code == 403
    assert orga_client.post("/admin/certificates/signature/remove").status_code == 403
    assert not no_signature.exists()
