"""Field-level encryption for Art. 9 GDPR data and the most sensitive free texts.

The keys live in a JSON key file outside the database (setting ``LOTSE_FIELD_KEYS_FILE``),
independent of ``SECRET_KEY``, so a copy of the database alone reveals none of these texts.
Key file format::

    {"format": "lotse-field-keys", "version": 1, "primary": "k20261122a1b2",
     "keys": {"k20261122a1b2": {"key": "<Fernet key>", "created": "2026-11-22T05:40:00+00:00"}}}

A stored value is ``enc:1:<key_id>:<Fernet token>``; the empty string stays empty (nothing to
hide, and "no entry" stays visible to the forms). New values are always written with the
primary key; older keys stay in the file for reading until ``lotse fieldkeys rotate`` has
re-encrypted every value and ``lotse fieldkeys retire`` removes them.

A value without the prefix is a legacy plaintext value (written before the column was
encrypted): it is returned as it is, counted by ``lotse fieldkeys status`` and encrypted by the
migrations and by ``rotate``. A value *with* the prefix that cannot be decrypted (unknown key,
wrong key, damaged token) raises :class:`FieldDecryptionError` — never garbage.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc:1:"
FILE_FORMAT = "lotse-field-keys"
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class FieldKeyError(ImproperlyConfigured):
    """The key file is missing, unreadable or invalid."""


class FieldDecryptionError(Exception):
    """A stored ciphertext cannot be decrypted with the keys in the key file."""


@dataclass(frozen=True)
class Keyring:
    path: Path
    primary: str
    keys: dict[str, str]  # key id -> Fernet key (urlsafe base64)
    created: dict[str, str]

    def fernet(self, key_id: str) -> Fernet:
        try:
            return Fernet(self.keys[key_id].encode("ascii"))
        except KeyError:
            raise FieldDecryptionError(
                f"Der Schlüssel „{key_id}“ fehlt in der Schlüsseldatei {self.path} "
                "(LOTSE_FIELD_KEYS_FILE). Ohne ihn lässt sich der Wert nicht entschlüsseln; "
                "die Schlüsseldatei aus der Schlüsselsicherung zurückspielen."
            ) from None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FILE_FORMAT,
            "version": 1,
            "primary": self.primary,
            "keys": {
                key_id: {"key": key, "created": self.created.get(key_id, "")}
                for key_id, key in self.keys.items()
            },
        }


def _invalid(path: Path, reason: str) -> FieldKeyError:
    return FieldKeyError(
        f"Die Schlüsseldatei für die Feldverschlüsselung {path} ist ungültig: {reason}. "
        "Lotse startet ohne gültige Schlüsseldatei nicht (LOTSE_FIELD_KEYS_FILE, "
        "siehe docs/operations.md, „Schlüssel für die Feldverschlüsselung“)."
    )


def read_key_file(path: str | os.PathLike[str]) -> Keyring:
    """Read and check a key file; every problem is a :class:`FieldKeyError` in German."""
    if not os.fspath(path):
        raise FieldKeyError(
            "LOTSE_FIELD_KEYS_FILE ist nicht gesetzt. Ohne Schlüsseldatei für die "
            "Feldverschlüsselung startet Lotse im Produktivbetrieb nicht; anlegen mit "
            "„lotse fieldkeys init“."
        )
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FieldKeyError(
            f"Die Schlüsseldatei für die Feldverschlüsselung {path} fehlt "
            "(LOTSE_FIELD_KEYS_FILE). Anlegen mit „lotse fieldkeys init“ oder aus der "
            "Schlüsselsicherung zurückspielen; Lotse startet ohne sie nicht."
        ) from None
    except OSError as error:
        raise _invalid(path, f"nicht lesbar ({error.strerror})") from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise _invalid(path, "kein gültiges JSON") from None
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise _invalid(path, f"das Feld „format“ muss „{FILE_FORMAT}“ sein")
    entries = data.get("keys")
    if not isinstance(entries, dict) or not entries:
        raise _invalid(path, "sie enthält keinen Schlüssel")
    keys: dict[str, str] = {}
    created: dict[str, str] = {}
    for key_id, entry in entries.items():
        if not KEY_ID_RE.match(str(key_id)):
            raise _invalid(path, f"ungültige Schlüssel-ID „{key_id}“")
        key = entry.get("key") if isinstance(entry, dict) else None
        try:
            Fernet(str(key).encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise _invalid(
                path, f"der Schlüssel „{key_id}“ ist kein gültiger Fernet-Schlüssel"
            ) from None
        keys[key_id] = str(key)
        created[key_id] = str(entry.get("created", ""))
    primary = data.get("primary")
    if primary not in keys:
        raise _invalid(path, "der Primärschlüssel („primary“) ist nicht in „keys“ enthalten")
    return Keyring(path=path, primary=str(primary), keys=keys, created=created)


def new_key_id(existing: set[str] | frozenset[str] = frozenset()) -> str:
    today = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    while True:
        key_id = f"k{today}{secrets.token_hex(2)}"
        if key_id not in existing:
            return key_id


def new_keyring(path: str | os.PathLike[str]) -> Keyring:
    key_id = new_key_id()
    return Keyring(
        path=Path(path),
        primary=key_id,
        keys={key_id: Fernet.generate_key().decode("ascii")},
        created={key_id: dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
    )


def with_new_primary(keyring: Keyring) -> Keyring:
    """The keyring with one more key, which becomes the primary; the old keys stay for reading."""
    key_id = new_key_id(set(keyring.keys))
    return Keyring(
        path=keyring.path,
        primary=key_id,
        keys={**keyring.keys, key_id: Fernet.generate_key().decode("ascii")},
        created={**keyring.created, key_id: dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
    )


def without_key(keyring: Keyring, key_id: str) -> Keyring:
    if key_id == keyring.primary:
        raise ValueError("primary")
    return Keyring(
        path=keyring.path,
        primary=keyring.primary,
        keys={k: v for k, v in keyring.keys.items() if k != key_id},
        created={k: v for k, v in keyring.created.items() if k != key_id},
    )


def write_key_file(keyring: Keyring) -> None:
    """Write the key file atomically with mode 0600 (never readable by others)."""
    path = keyring.path
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".field-keys-", dir=path.parent)
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(keyring.to_json(), stream, indent=2)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _cache.clear()


# -- the keyring of this process ------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[tuple[str, int, int, int], Keyring] = {}


def configured_path() -> str:
    from django.conf import settings

    return str(getattr(settings, "LOTSE_FIELD_KEYS_FILE", "") or "")


def keyring() -> Keyring:
    """The keyring from the configured key file, re-read whenever the file changes.

    The file's modification time and size are checked on every call, so running web and
    worker processes pick up a rotated key file without a restart.
    """
    path = configured_path()
    try:
        stat = os.stat(path)
    except OSError:
        return read_key_file(path)  # raises the German error ("not set", "missing", …)
    cache_key = (path, stat.st_ino, stat.st_mtime_ns, stat.st_size)
    with _lock:
        found = _cache.get(cache_key)
        if found is None:
            found = read_key_file(path)
            _cache.clear()
            _cache[cache_key] = found
        return found


# -- values ---------------------------------------------------------------------------------


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def key_id_of(value: str) -> str | None:
    """The key id of a stored value, ``None`` for plaintext (legacy) values."""
    if not is_encrypted(value):
        return None
    key_id, _, _token = value[len(PREFIX) :].partition(":")
    return key_id


def encrypt(plaintext: str, ring: Keyring | None = None) -> str:
    if plaintext == "":
        return ""
    ring = ring or keyring()
    token = ring.fernet(ring.primary).encrypt(plaintext.encode("utf-8")).decode("ascii")
    return f"{PREFIX}{ring.primary}:{token}"


def decrypt(stored: str, ring: Keyring | None = None) -> str:
    if not is_encrypted(stored):
        return stored  # legacy plaintext; the migrations and `fieldkeys rotate` encrypt it
    key_id, separator, token = stored[len(PREFIX) :].partition(":")
    if not separator or not token:
        raise FieldDecryptionError(
            "Ein verschlüsselter Wert ist beschädigt (Schlüssel-ID oder Chiffretext fehlt)."
        )
    ring = ring or keyring()
    try:
        return ring.fernet(key_id).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise FieldDecryptionError(
            f"Ein verschlüsselter Wert lässt sich mit dem Schlüssel „{key_id}“ aus "
            f"{ring.path} nicht entschlüsseln: falscher Schlüssel oder beschädigter Wert."
        ) from None


# -- model fields ---------------------------------------------------------------------------


class EncryptedTextField(models.TextField):
    """A text column stored encrypted (``enc:1:<key_id>:<token>``); reads decrypt transparently.

    The database cannot compare, search or order by the content: never filter on such a
    column (only ``=""`` / ``!=""`` work, because the empty string stays empty).
    """

    description = "Text, encrypted at rest with the field keys (LOTSE_FIELD_KEYS_FILE)"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, StoredValue):
            return str(value)
        if value is None:
            return None
        value = self.to_python(value)
        if value == "":
            return value
        # Always encrypted, even if it looks like ciphertext: typed-in text is never trusted
        # as a stored value (only StoredValue passes through unchanged).
        return encrypt(value)

    def value_to_string(self, obj: models.Model) -> str:
        # Serialised output (dumpdata) keeps the plaintext, like every other field.
        return str(self.value_from_object(obj) or "")


class EncryptedJSONField(models.TextField):
    """JSON stored encrypted in a text column (no JSON lookups in the database)."""

    description = "JSON, encrypted at rest with the field keys (LOTSE_FIELD_KEYS_FILE)"
    # For django-stubs: values are JSON (dict, list, …), not str like a TextField's.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return self._load(decrypt(value))

    @staticmethod
    def _load(text: str) -> Any:
        if text == "":
            return None
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, StoredValue):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, StoredValue):
            return str(value)
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, default=str)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


class StoredValue(str):
    """A value exactly as stored (ciphertext or legacy plaintext): passes the fields unchanged.

    Only for the key rotation and the migrations, which move stored values around.
    """


ENCRYPTED_FIELD_TYPES = (EncryptedTextField, EncryptedJSONField)


# -- every encrypted column, for rotation, status and migrations ---------------------------


def encrypted_columns() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every encrypted field of every installed model."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, ENCRYPTED_FIELD_TYPES):
                found.append((model, field.name))
    return found


def raw_values(
    model: type[models.Model], name: str, *, batch_size: int = 500, after: Any = None
) -> Iterator[list[tuple[Any, str]]]:
    """Batches of (pk, stored value) of non-empty values, exactly as stored (no decryption)."""
    raw = models.ExpressionWrapper(models.F(name), output_field=models.TextField())
    queryset = (
        model._base_manager.annotate(_stored=raw)
        .exclude(**{f"{name}__isnull": True})
        .exclude(**{name: StoredValue("")})
        .order_by("pk")
    )
    last = after
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        batch = list(page.values_list("pk", "_stored")[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def reencrypt_column(
    model: type[models.Model],
    name: str,
    *,
    ring: Keyring | None = None,
    batch_size: int = 500,
    progress: Any = None,
) -> int:
    """Bring every value of one column to the primary key (plaintext included).

    Each batch is one transaction; a value already under the primary key is left alone, so
    the function is idempotent and can be restarted after an interruption. Returns the number
    of values rewritten.
    """
    from django.db import transaction

    ring = ring or keyring()
    manager = model._base_manager
    rewritten = 0
    for batch in raw_values(model, name, batch_size=batch_size):
        with transaction.atomic():
            for pk, stored in batch:
                if key_id_of(stored) == ring.primary:
                    continue
                ciphertext = encrypt(decrypt(stored, ring), ring)
                # Compare-and-set on the stored value: a concurrent edit wins, and is
                # already written with the primary key.
                manager.filter(pk=pk, **{name: StoredValue(stored)}).update(
                    **{name: StoredValue(ciphertext)}
                )
                rewritten += 1
        if progress is not None:
            progress(model, name, batch[-1][0], rewritten)
    return rewritten


def count_by_key(model: type[models.Model], name: str) -> dict[str | None, int]:
    """How many non-empty values of one column use which key (``None``: plaintext)."""
    counts: dict[str | None, int] = {}
    for batch in raw_values(model, name, batch_size=2000):
        for _pk, stored in batch:
            key_id = key_id_of(stored)
            counts[key_id] = counts.get(key_id, 0) + 1
    return counts


# -- migrations -----------------------------------------------------------------------------


def _rewrite_column(
    model: type[models.Model], name: str, transform: Any, *, batch_size: int = 500
) -> int:
    """Apply ``transform(stored) -> new stored value or None`` to every non-empty value."""
    from django.db import transaction

    manager = model._base_manager
    rewritten = 0
    for batch in raw_values(model, name, batch_size=batch_size):
        with transaction.atomic():
            for pk, stored in batch:
                new = transform(stored)
                if new is None or new == stored:
                    continue
                manager.filter(pk=pk).update(**{name: StoredValue(new)})
                rewritten += 1
    return rewritten


def encrypt_legacy_values(model: type[models.Model], name: str, *, batch_size: int = 500) -> int:
    """Encrypt the plaintext values of one column (the data migration); ciphertext stays."""
    return _rewrite_column(
        model,
        name,
        lambda stored: None if is_encrypted(stored) else encrypt(stored),
        batch_size=batch_size,
    )


def decrypt_values(model: type[models.Model], name: str, *, batch_size: int = 500) -> int:
    """Turn every value of one column back into plaintext (reversing the data migration)."""
    return _rewrite_column(model, name, decrypt, batch_size=batch_size)


def encrypt_columns_operation(app_label: str, model_name: str, *names: str) -> Any:
    """A ``RunPython`` that encrypts the legacy plaintext of the named columns (reversible).

    Works on SQLite and PostgreSQL alike (batches by primary key through the ORM); needs the
    key file only if there is something to encrypt.
    """
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for name in names:
            encrypt_legacy_values(model, name)

    def backwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for name in names:
            decrypt_values(model, name)

    return migrations.RunPython(forwards, backwards, elidable=False)
