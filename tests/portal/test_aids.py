"""Working aids: upload by the Servicestelle, validation, versions, access-checked download."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lotse.directory.models import FieldOfAction, InterviewGuide
from lotse.portal.models import WorkingAid, WorkingAidVersion
from tests.portal.conftest import client_as


def _stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _create(client, **fields):
    data = {"title": "Merkblatt Schule", "kind": "leaflet", **fields}
    return client.post(reverse("portal:aid_create"), data)


def _docx() -> bytes:
    buffer = io.BytesIO()
    # A fixed time stamp: zipfile stamps entries with the current second, and the test compares
    # the download with a second call (it failed whenever the second changed in between).
    stamp = (2026, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", stamp), "<Types/>")
        archive.writestr(zipfile.ZipInfo("word/document.xml", stamp), "<w:document/>")
    return buffer.getvalue()


def test_upload_new_version_and_history(region, media):
    client = client_as(region.coordinator)
    pdf = b"%PDF-1.4\n% Merkblatt\n"
    response = _create(client, file=SimpleUploadedFile("Merkblatt Schule.pdf", pdf))
    assert response.status_code == 302
    aid = WorkingAid.objects.get(traeger=region.traeger)
    first = aid.current_version
    assert (first.number, first.mime_type, first.size) == (1, "application/pdf", len(pdf))
    assert first.sha256 == hashlib.sha256(pdf).hexdigest()
    assert first.file_name == "Merkblatt Schule.pdf"
    assert first.uploaded_by == region.coordinator

    response = client.post(
        reverse("portal:aid_version_add", args=[aid.pk]),
        {"file": SimpleUploadedFile("merkblatt.docx", _docx()), "change_note": "Neue Fristen"},
    )
    assert response.status_code == 302
    aid.refresh_from_db()
    assert aid.current_version.number == 2
    assert aid.current_version.change_note == "Neue Fristen"

    # Everyone of the Träger downloads the current and any earlier version.
    partner = client_as(region.partner)
    page = partner.get(reverse("portal:aid_detail", args=[aid.pk]))
    assert page.status_code == 200
    assert "Neue Fristen" in page.content.decode()
    old = partner.get(reverse("portal:aid_download", args=[first.pk]))
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == pdf
    assert old["Content-Disposition"].startswith("attachment;")
    current = partner.get(reverse("portal:aid_download", args=[aid.current_version.pk]))
    assert b"".join(current.streaming_content) == _docx()

    # Stored encrypted at rest, not as served.
    assert all(pdf not in path.read_bytes() for path in _stored_files(media))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("programm.exe", b"MZ...", "Dieser Dateityp ist nicht erlaubt"),
        ("getarnt.pdf", b"MZ not a pdf", "Der Inhalt der Datei passt nicht zur Endung .pdf"),
        ("leer.txt", b"", "Datei ist leer"),
    ],
)
def test_wrong_files_are_refused_in_german(region, media, name, content, message):
    client = client_as(region.coordinator)
    response = _create(client, file=SimpleUploadedFile(name, content))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not WorkingAid.objects.exists()
    assert _stored_files(media) == []


def test_too_big_is_refused(region, media, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = _create(
        client_as(region.coordinator), file=SimpleUploadedFile("gross.txt", b"a" * 2048)
    )
    assert response.status_code == 422
    assert "Die Datei ist zu groß (höchstens 1,0\xa0KB)." in response.content.decode()
    assert not WorkingAid.objects.exists()
    assert _stored_files(media) == []


def test_new_version_needs_a_change_note(region, media):
    client = client_as(region.coordinator)
    _create(client, file=SimpleUploadedFile("a.txt", b"Eins"))
    aid = WorkingAid.objects.get()
    files_before = _stored_files(media)
    response = client.post(
        reverse("portal:aid_version_add", args=[aid.pk]),
        {"file": SimpleUploadedFile("b.txt", b"Zwei"), "change_note": "  "},
    )
    assert response.status_code == 422
    assert "Bitte beschreiben Sie, was sich in dieser Version geändert hat." in (
        response.content.decode()
    )
    assert WorkingAidVersion.objects.count() == 1
    assert _stored_files(media) == files_before


def test_partner_reads_but_does_not_upload(region):
    client = client_as(region.partner)
    assert client.get(reverse("portal:aids")).status_code == 200
    assert client.get(reverse("portal:aid_create")).status_code == 403
    response = _create(client, file=SimpleUploadedFile("a.txt", b"x"))
    assert response.status_code == 403
    assert not WorkingAid.objects.exists()


def test_other_traeger_cannot_download(region):
    client_as(region.coordinator)
    _create(client_as(region.coordinator), file=SimpleUploadedFile("a.txt", b"x"))
    version = WorkingAidVersion.objects.get()
    client = client_as(region.outsider)
    assert client.get(reverse("portal:aid_download", args=[version.pk])).status_code == 404
    assert client.get(reverse("portal:aid_detail", args=[version.aid_id])).status_code == 404


def test_list_shows_configured_interview_guides(region, django_assert_max_num_queries):
    InterviewGuide.objects.create(
        traeger=region.traeger, key="erst", name="Erstgespräch", guide_version="2", sections=[]
    )
    field = FieldOfAction.objects.create(traeger=region.traeger, key="schule", name="Schule")
    coordinator = client_as(region.coordinator)
    for n in range(5):
        _create(
            coordinator,
            title=f"Hilfe {n}",
            field_of_action=field.pk,
            file=SimpleUploadedFile("a.txt", b"x"),
        )
    client = client_as(region.partner)
    client.get(reverse("portal:aids"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("portal:aids"))
    text = page.content.decode()
    assert "Erstgespräch" in text
    assert text.count("Hilfe ") == 5
