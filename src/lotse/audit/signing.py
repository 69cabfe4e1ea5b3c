"""The signing key of the audit checkpoints: an Ed25519 key pair in a file outside the database.

Somebody with write access to the database can drop the append-only triggers, rewrite the
access log and recompute every hash; the hash chain alone then still verifies. A checkpoint
signed with this key (``lotse auditcheckpoint``) pins the state of each chain at a point in
time; as the key is not in the database, such a person cannot sign a rewritten state.

The file (``LOTSE_AUDIT_SIGNING_KEY_FILE``) is JSON, readable by its owner only::

    {"format": "lotse-audit-signing-key", "version": 1, "key_id": "…",
     "private_key": "<base64, 32 bytes>", "public_key": "<base64, 32 bytes>", "created": "…"}

This module imports no models: the settings read the key file at start-up.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.exceptions import ImproperlyConfigured

FILE_FORMAT = "lotse-audit-signing-key"


class SigningKeyError(ImproperlyConfigured):
    """The signing key file is missing, unreadable or invalid (message in German)."""


def key_id_for(public_key: bytes) -> str:
    """A short, stable name of a public key (printed in checkpoints and mails)."""
    return hashlib.sha256(public_key).hexdigest()[:16]


@dataclass(frozen=True)
class SigningKey:
    path: Path
    private_key: Ed25519PrivateKey
    created: str

    @property
    def public_bytes(self) -> bytes:
        return self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_bytes).decode("ascii")

    @property
    def key_id(self) -> str:
        return key_id_for(self.public_bytes)

    def sign(self, payload: bytes) -> str:
        return base64.b64encode(self.private_key.sign(payload)).decode("ascii")

    def verify(self, payload: bytes, signature: str) -> bool:
        return verify_signature(self.public_bytes, payload, signature)


def verify_signature(public_key: bytes, payload: bytes, signature: str) -> bool:
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(raw, payload)
    except (InvalidSignature, ValueError, UnicodeEncodeError):
        return False
    return True


def _invalid(path: Path, reason: str) -> SigningKeyError:
    return SigningKeyError(
        f"Die Signaturschlüsseldatei des Zugriffsprotokolls {path} ist ungültig: {reason} "
        "(LOTSE_AUDIT_SIGNING_KEY_FILE, siehe docs/operations.md, „Prüfpunkte des "
        "Zugriffsprotokolls“)."
    )


def read_signing_key(path: str | os.PathLike[str]) -> SigningKey:
    """Read and check the key file; every problem is a :class:`SigningKeyError` in German."""
    if not os.fspath(path):
        raise SigningKeyError(
            "LOTSE_AUDIT_SIGNING_KEY_FILE ist nicht gesetzt. Ohne Signaturschlüssel für die "
            "Prüfpunkte des Zugriffsprotokolls startet Lotse im Produktivbetrieb nicht; "
            "anlegen mit „lotse auditcheckpoint init“."
        )
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SigningKeyError(
            f"Die Signaturschlüsseldatei des Zugriffsprotokolls {path} fehlt "
            "(LOTSE_AUDIT_SIGNING_KEY_FILE). Anlegen mit „lotse auditcheckpoint init“ oder "
            "aus der Schlüsselsicherung zurückspielen; Lotse startet im Produktivbetrieb "
            "ohne sie nicht."
        ) from None
    except OSError as error:
        raise _invalid(path, f"nicht lesbar ({error.strerror})") from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise _invalid(path, "kein gültiges JSON") from None
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise _invalid(path, f"das Feld „format“ muss „{FILE_FORMAT}“ sein")
    try:
        private = base64.b64decode(str(data.get("private_key", "")).encode("ascii"), validate=True)
        private_key = Ed25519PrivateKey.from_private_bytes(private)
    except (ValueError, UnicodeEncodeError):
        raise _invalid(path, "„private_key“ ist kein Ed25519-Schlüssel") from None
    key = SigningKey(path=path, private_key=private_key, created=str(data.get("created", "")))
    if data.get("public_key") not in (None, key.public_b64):
        raise _invalid(path, "„public_key“ passt nicht zu „private_key“")
    return key


def create_signing_key_file(path: str | os.PathLike[str]) -> SigningKey:
    """Create a new key file (owner-only); an existing file is never overwritten."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = SigningKey(
        path=path,
        private_key=Ed25519PrivateKey.generate(),
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    private = key.private_key.private_bytes_raw()
    content = {
        "format": FILE_FORMAT,
        "version": 1,
        "key_id": key.key_id,
        "private_key": base64.b64encode(private).decode("ascii"),
        "public_key": key.public_b64,
        "created": key.created,
    }
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(content, handle, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key
