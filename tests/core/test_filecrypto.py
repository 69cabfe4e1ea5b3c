"""Uploads are encrypted at rest with the field keys; downloads return the original bytes;
plaintext uploads from before are read and encrypted by the rotation and the migration."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from lotse.audit.backup import key_ids_in_use
from lotse.cases import services as case_services
from lotse.cases.models import TimelineEntry
from lotse.core import fieldcrypto, filecrypto

pytestmark = pytest.mark.django_db
CANARY = b"%PDF-1.4 Attest: Diagnose KANARIEN-DIAGNOSE-7731 (Art. 9 DSGVO)"


def _upload(case, case_manager, content: bytes = CANARY) -> TimelineEntry:
    return case_services.timeline_entry_add(
        actor=case_manager,
        case=case,
        kind=TimelineEntry.Kind.DOCUMENT,
        title="Ärztliches Attest",
        attachment=SimpleUploadedFile("attest.pdf", content, content_type="application/pdf"),
    )


def _on_disk(entry: TimelineEntry) -> Path:
    return Path(entry.attachment.storage.path(entry.attachment.name))


def _fieldkeys(*args: str) -> str:
    out = io.StringIO()
    call_command("fieldkeys", *args, stdout=out)
    return out.getvalue()


def test_an_upload_is_encrypted_on_disk_and_downloads_unchanged(client, case, case_manager):
    entry = _upload(case, case_manager)

    raw = _on_disk(entry).read_bytes()
    assert raw.startswith(filecrypto.MAGIC)
    assert b"KANARIEN" not in raw and b"%PDF" not in raw
    assert filecrypto.file_key_id(raw) == fieldcrypto.keyring().primary

    client.force_login(case_manager)
    download = client.get(reverse("cases:attachment", args=[case.pk, entry.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CANARY
    assert int(download["Content-Length"]) == len(CANARY)


def test_a_consent_scan_is_encrypted_too(case, case_manager):
    from lotse.consent.models import Consent

    scan = Consent._meta.get_field("scan")
    assert isinstance(scan.storage, filecrypto.EncryptedFileSystemStorage)
    name = scan.storage.save("traeger-1/consent/scan.pdf", SimpleUploadedFile("s.pdf", CANARY))
    assert b"KANARIEN" not in Path(scan.storage.path(name)).read_bytes()
    with scan.storage.open(name) as handle:
        assert handle.read() == CANARY


def test_a_tampered_file_does_not_open(case, case_manager):
    entry = _upload(case, case_manager)
    path = _on_disk(entry)
    damaged = bytearray(path.read_bytes())
    damaged[-5] ^= 0x01
    path.write_bytes(bytes(damaged))
    with pytest.raises(fieldcrypto.FieldDecryptionError, match="beschädigte Datei"):
        entry.attachment.storage.open(entry.attachment.name).read()


def test_files_are_opened_for_reading_only(case, case_manager):
    entry = _upload(case, case_manager)
    with pytest.raises(ValueError, match="lesend"):
        entry.attachment.storage.open(entry.attachment.name, "wb")


def test_a_legacy_plaintext_upload_is_read_and_encrypted_by_the_rotation(case, case_manager):
    entry = _upload(case, case_manager)
    path = _on_disk(entry)
    path.write_bytes(CANARY)  # as stored before the encryption
    with entry.attachment.storage.open(entry.attachment.name) as handle:
        assert handle.read() == CANARY
    assert "uploads: plaintext: 1" in _fieldkeys("status").replace("Klartext", "plaintext")

    old = fieldcrypto.keyring().primary
    _fieldkeys("rotate")
    new = fieldcrypto.keyring().primary
    assert new != old
    raw = path.read_bytes()
    assert filecrypto.file_key_id(raw) == new and b"KANARIEN" not in raw
    with entry.attachment.storage.open(entry.attachment.name) as handle:
        assert handle.read() == CANARY
    # Idempotent: a second run rewrites nothing.
    assert filecrypto.reencrypt_files() == 0


def test_retire_refuses_a_key_an_upload_still_needs(case, case_manager, settings, tmp_path):
    path = tmp_path / "keys.json"
    fieldcrypto.write_key_file(fieldcrypto.new_keyring(path))
    settings.LOTSE_FIELD_KEYS_FILE = str(path)
    entry = _upload(case, case_manager)
    old = fieldcrypto.keyring().primary
    fieldcrypto.write_key_file(fieldcrypto.with_new_primary(fieldcrypto.keyring()))

    with pytest.raises(CommandError, match="1"):
        _fieldkeys("retire", old)

    _fieldkeys("rotate", "--no-new-key")
    _fieldkeys("retire", old)
    assert old not in fieldcrypto.keyring().keys
    with entry.attachment.storage.open(entry.attachment.name) as handle:
        assert handle.read() == CANARY


def test_the_migration_operation_encrypts_plaintext_uploads(case, case_manager):
    entry = _upload(case, case_manager)
    _on_disk(entry).write_bytes(CANARY)
    operation = filecrypto.encrypt_files_operation(("cases", "TimelineEntry", "attachment"))

    operation.code(apps, None)

    assert filecrypto.is_encrypted_file(_on_disk(entry).read_bytes())
    with entry.attachment.storage.open(entry.attachment.name) as handle:
        assert handle.read() == CANARY


def test_the_backup_manifest_names_the_keys_of_the_uploads(case, case_manager):
    _upload(case, case_manager)
    assert key_ids_in_use()["media"] == [fieldcrypto.keyring().primary]
