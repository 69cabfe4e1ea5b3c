"""Uploaded files encrypted at rest with the field keys (``core.fieldcrypto``).

Timeline attachments and signed consent scans are often the most sensitive things a case file
holds (medical certificates, residence documents: Art. 9 GDPR). The storage of uploads,
:class:`EncryptedFileSystemStorage`, encrypts every file it saves with the primary field key
and decrypts on opening, so a copy of the media folder — like a copy of the database — reveals
nothing without the key file (``LOTSE_FIELD_KEYS_FILE``, kept apart).

A stored file is ``LOTSE-ENC:1:<key_id>:`` followed by a Fernet token (authenticated: a
tampered file fails to open, never yields garbage). A file without that header is a legacy
plaintext upload (saved before encryption was switched on); it opens as it is, and
``lotse fieldkeys rotate --no-new-key`` (and the migration that introduced this storage)
encrypts it. Files are read whole: uploads are limited to ``UPLOAD_MAX_BYTES`` (20 MB).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.db import models

from lotse.core.fieldcrypto import FieldDecryptionError, Keyring, keyring

MAGIC = b"LOTSE-ENC:1:"


def is_encrypted_file(stored: bytes) -> bool:
    return stored.startswith(MAGIC)


def file_key_id(stored: bytes) -> str | None:
    """The key id of a stored file's content, ``None`` for a legacy plaintext file."""
    if not is_encrypted_file(stored):
        return None
    key_id, _, _token = stored[len(MAGIC) :].partition(b":")
    return key_id.decode("ascii", errors="replace")


def encrypt_bytes(plaintext: bytes, ring: Keyring | None = None) -> bytes:
    ring = ring or keyring()
    token = ring.fernet(ring.primary).encrypt(plaintext)
    return MAGIC + ring.primary.encode("ascii") + b":" + token


def decrypt_bytes(stored: bytes, ring: Keyring | None = None, *, name: str = "") -> bytes:
    if not is_encrypted_file(stored):
        return stored  # legacy plaintext upload
    key_id_raw, separator, token = stored[len(MAGIC) :].partition(b":")
    key_id = key_id_raw.decode("ascii", errors="replace")
    if not separator or not token:
        raise FieldDecryptionError(
            f"Die verschlüsselte Datei {name or '?'} ist beschädigt (Kopf unvollständig)."
        )
    ring = ring or keyring()
    try:
        return ring.fernet(key_id).decrypt(token)
    except InvalidToken:
        raise FieldDecryptionError(
            f"Die Datei {name or '?'} lässt sich mit dem Schlüssel „{key_id}“ aus {ring.path} "
            "nicht entschlüsseln: falscher Schlüssel oder beschädigte Datei."
        ) from None


class EncryptedFileSystemStorage(FileSystemStorage):
    """The file system storage of uploads, encrypting on save and decrypting on open."""

    def _save(self, name: str, content: File) -> str:  # type: ignore[type-arg]
        if hasattr(content, "seek"):
            content.seek(0)
        plaintext = b"".join(
            chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
            for chunk in content.chunks()
        )
        return super()._save(name, ContentFile(encrypt_bytes(plaintext)))  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> File:  # type: ignore[type-arg]
        if any(flag in mode for flag in "wa+"):
            raise ValueError("Verschlüsselte Dateien werden nur lesend geöffnet.")
        with super()._open(name, "rb") as raw:  # type: ignore[misc]
            stored = raw.read()
        return ContentFile(decrypt_bytes(stored, name=name), name=name)

    def size(self, name: str) -> int:
        with self._open(name) as file:
            return int(file.size)


# -- every stored upload, for rotation, status and the migration ---------------------------


def _encrypted_file_fields() -> list[tuple[type[models.Model], str, FileSystemStorage]]:
    from django.apps import apps

    found: list[tuple[type[models.Model], str, FileSystemStorage]] = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and isinstance(
                field.storage, EncryptedFileSystemStorage
            ):
                found.append((model, field.name, field.storage))
    return found


def stored_files(
    fields: list[tuple[type[models.Model], str, FileSystemStorage]] | None = None,
) -> Iterator[tuple[FileSystemStorage, str]]:
    """(storage, name) of every upload the database refers to that exists on disk."""
    seen: set[str] = set()
    for model, name, storage in fields if fields is not None else _encrypted_file_fields():
        values = (
            model._base_manager.exclude(**{name: ""})
            .exclude(**{f"{name}__isnull": True})
            .order_by("pk")
            .values_list(name, flat=True)
            .iterator(chunk_size=1000)
        )
        for value in values:
            stored_name = str(value)
            if stored_name in seen or not storage.exists(stored_name):
                continue
            seen.add(stored_name)
            yield storage, stored_name


def _raw(storage: FileSystemStorage, name: str) -> bytes:
    return Path(storage.path(name)).read_bytes()


def _replace(storage: FileSystemStorage, name: str, content: bytes) -> None:
    """Write ``content`` under ``name`` atomically (a crash leaves the old file whole)."""
    target = Path(storage.path(name))
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".lotse-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, target.stat().st_mode & 0o777)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def file_counts_by_key() -> dict[str | None, int]:
    """How many stored uploads use which key (``None``: plaintext)."""
    counts: dict[str | None, int] = {}
    for storage, name in stored_files():
        with open(storage.path(name), "rb") as handle:
            head = handle.read(len(MAGIC) + 64)
        key_id = file_key_id(head)
        counts[key_id] = counts.get(key_id, 0) + 1
    return counts


def reencrypt_files(
    *,
    ring: Keyring | None = None,
    progress: Callable[[str, int], Any] | None = None,
    fields: list[tuple[type[models.Model], str, FileSystemStorage]] | None = None,
) -> int:
    """Bring every stored upload to the primary key (plaintext included); idempotent.

    The key file is read only once there is a file (so a fresh installation migrates without).
    """
    rewritten = 0
    for storage, name in stored_files(fields):
        ring = ring or keyring()
        stored = _raw(storage, name)
        if file_key_id(stored) == ring.primary:
            continue
        _replace(storage, name, encrypt_bytes(decrypt_bytes(stored, ring, name=name), ring))
        rewritten += 1
        if progress is not None:
            progress(name, rewritten)
    return rewritten


def encrypt_files_operation(*fields: tuple[str, str, str]) -> Any:
    """A migration operation encrypting the plaintext uploads of ``(app, model, field)``.

    Uses the historical models; going back leaves the files encrypted, which the storage
    still reads.
    """
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        storage = EncryptedFileSystemStorage()
        reencrypt_files(
            fields=[
                (apps.get_model(app_label, model_name), field_name, storage)
                for app_label, model_name, field_name in fields
            ]
        )

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
