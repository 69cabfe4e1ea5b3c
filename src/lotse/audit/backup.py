"""Backups that can be proven: a consistent database copy with a manifest, and its check.

``lotse backupmanifest --directory DIR`` writes the database copy (PostgreSQL: ``pg_dump -Fc``
inside an exported REPEATABLE READ snapshot; SQLite: the online backup API inside a write
transaction) and ``manifest.json`` counted from *the same* snapshot: rows per table, the heads
of the access log's hash chains, the uploaded files the database refers to and the ids of the
field-encryption keys the stored values need (never the keys themselves).

``lotse restorecheck --manifest FILE`` runs against a restored scratch database and compares:
row counts, an intact hash chain ending at the recorded heads, every referenced upload present
in ``MEDIA_ROOT``, and every needed key in the key file (one value per key decrypted).
``scripts/backup.sh`` and ``scripts/restore-check.sh`` wrap both (see ``docs/backup.md``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from lotse.audit import chain
from lotse.audit.models import AuditChainHead

FORMAT = "lotse-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def table_counts() -> dict[str, int]:
    """Rows per table of the database (every table, Django's own included)."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            if name.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 - a table name from introspection, quoted
            counts[name] = int(cursor.fetchone()[0])
    return counts


def chain_heads() -> dict[str, dict[str, Any]]:
    return {
        head.chain: {"sequence": head.sequence, "entry_hash": head.entry_hash}
        for head in AuditChainHead.objects.order_by("chain")
    }


def referenced_files() -> list[str]:
    """The storage names of every uploaded file the database refers to."""
    names: set[str] = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                values = (
                    model._base_manager.exclude(**{model_field.name: ""})
                    .exclude(**{f"{model_field.name}__isnull": True})
                    .values_list(model_field.name, flat=True)
                )
                names.update(str(value) for value in values)
    return sorted(names)


def key_ids_in_use() -> dict[str, list[str]]:
    """``app.Model.field`` (and ``media`` for the uploads) -> ids of the keys the stored values
    need."""
    from lotse.core import fieldcrypto, filecrypto

    used: dict[str, list[str]] = {}
    for model, name in fieldcrypto.encrypted_columns():
        ids = sorted(key for key in fieldcrypto.count_by_key(model, name) if key)
        if ids:
            used[f"{model._meta.label}.{name}"] = ids
    file_ids = sorted(key for key in filecrypto.file_counts_by_key() if key)
    if file_ids:
        used["media"] = file_ids  # the uploads, encrypted with the same keys
    return used


def applied_migrations() -> dict[str, str]:
    """The newest applied migration per app: a backup restores into the same code version."""
    newest: dict[str, str] = {}
    for app, name in (
        MigrationRecorder(connection)
        .migration_qs.order_by("app", "name")
        .values_list("app", "name")
    ):
        newest[app] = name
    return newest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def build_manifest(database_file: str | None = None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"vendor": connection.vendor, "file": database_file},
        "migrations": applied_migrations(),
        "tables": table_counts(),
        "audit_chains": chain_heads(),
        "media": {
            "root": str(settings.MEDIA_ROOT),
            "archive": MEDIA_ARCHIVE,
            "files": referenced_files(),
        },
        "field_keys": {
            "file": str(getattr(settings, "LOTSE_FIELD_KEYS_FILE", "") or ""),
            "in_use": key_ids_in_use(),
        },
    }


class BackupError(Exception):
    """The backup could not be written; the message is German and says why."""


def _pg_environment() -> tuple[dict[str, str], str]:
    params = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(params["OPTIONS"]["sslmode"])
    return env, str(params["NAME"])


def _dump_postgresql(target: Path) -> dict[str, Any]:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        env, name = _pg_environment()
        command = [
            "pg_dump",
            "-Fc",
            "--no-owner",
            f"--snapshot={snapshot}",
            "-f",
            str(target),
            name,
        ]
        try:
            result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed program, arguments from settings
        except FileNotFoundError as error:
            raise BackupError(
                "pg_dump wurde nicht gefunden. Die PostgreSQL-Client-Programme in der Version "
                "des Servers installieren (z. B. Paket postgresql-client)."
            ) from error
        if result.returncode != 0:
            raise BackupError(f"pg_dump ist fehlgeschlagen: {result.stderr.strip()}")
        return build_manifest(target.name)


def _dump_sqlite(target: Path) -> dict[str, Any]:
    # The online backup API copies a consistent state (it starts over when another connection
    # writes meanwhile). The manifest is then counted from the copy itself, so it describes
    # exactly what was saved.
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    connection.close()
    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(target)
    try:
        return build_manifest(target.name)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def write_backup(directory: Path) -> dict[str, Any]:
    """Write the database copy and ``manifest.json`` into ``directory``; returns the manifest."""
    vendor = connection.vendor
    if vendor not in DUMP_FILES:
        raise BackupError(f"Datenbank „{vendor}“ wird von der Sicherung nicht unterstützt.")
    directory.mkdir(parents=True, exist_ok=True)
    chain.link_pending()  # the copy's chains then hold every entry written so far
    target = directory / DUMP_FILES[vendor]
    if target.exists():
        raise BackupError(f"{target} gibt es schon; eine Sicherung überschreibt nichts.")
    manifest = _dump_postgresql(target) if vendor == "postgresql" else _dump_sqlite(target)
    os.chmod(target, 0o600)
    manifest["database"]["sha256"] = _sha256(target)
    path = directory / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return manifest


# -- the check after a restore ----------------------------------------------------------------


@dataclass
class CheckResult:
    problems: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_tables(manifest: dict[str, Any], result: CheckResult) -> None:
    expected: dict[str, int] = manifest["tables"]
    found = table_counts()
    for name in sorted(set(expected) | set(found)):
        if name not in found:
            result.problems.append(f"Tabelle {name} fehlt in der wiederhergestellten Datenbank.")
        elif name not in expected:
            result.problems.append(f"Tabelle {name} steht nicht im Manifest.")
        elif expected[name] != found[name]:
            result.problems.append(
                f"Tabelle {name}: {found[name]} Zeilen statt {expected[name]} laut Manifest."
            )
    if not any(problem.startswith("Tabelle") for problem in result.problems):
        result.passed.append(
            f"Zeilenzahlen stimmen: {len(found)} Tabellen, {sum(found.values())} Zeilen."
        )


PROBLEMS = {"altered": "verändert", "inserted": "eingefügt", "removed": "entfernt"}


def _check_audit(manifest: dict[str, Any], result: CheckResult) -> None:
    breaks = list(chain.verify())
    for found in breaks:
        result.problems.append(
            f"Zugriffsprotokoll, Kette {found.chain}: Eintrag Nr. {found.sequence} "
            f"(ID {found.entry_id if found.entry_id is not None else '—'}) wurde "
            f"{PROBLEMS.get(found.problem, found.problem)}."
        )
    heads = chain_heads()
    if heads != manifest["audit_chains"]:
        for name in sorted(set(heads) | set(manifest["audit_chains"])):
            if heads.get(name) != manifest["audit_chains"].get(name):
                result.problems.append(
                    f"Zugriffsprotokoll, Kette {name}: Kopf {heads.get(name)} statt "
                    f"{manifest['audit_chains'].get(name)} laut Manifest."
                )
    if not breaks and heads == manifest["audit_chains"]:
        result.passed.append(
            f"Zugriffsprotokoll unversehrt: {len(heads)} Ketten enden bei den Köpfen des Manifests."
        )


def _check_media(manifest: dict[str, Any], result: CheckResult) -> None:
    root = Path(settings.MEDIA_ROOT)
    names = referenced_files()
    if names != manifest["media"]["files"]:
        result.problems.append(
            "Die Datenbank verweist auf andere Dateien als laut Manifest "
            f"({len(names)} statt {len(manifest['media']['files'])})."
        )
    missing = [name for name in names if not (root / name).is_file()]
    for name in missing[:20]:
        result.problems.append(f"Datei fehlt im Medienverzeichnis {root}: {name}")
    if len(missing) > 20:
        result.problems.append(f"… und {len(missing) - 20} weitere fehlende Dateien.")
    if not missing and names == manifest["media"]["files"]:
        result.passed.append(f"Alle {len(names)} hochgeladenen Dateien sind vorhanden.")


def _check_keys(manifest: dict[str, Any], result: CheckResult) -> None:
    from lotse.core import fieldcrypto

    needed = key_ids_in_use()
    if needed != manifest["field_keys"]["in_use"]:
        result.problems.append(
            "Die verschlüsselten Werte brauchen andere Schlüssel als laut Manifest."
        )
    if not needed:
        result.passed.append("Keine verschlüsselten Werte; kein Schlüssel nötig.")
        return
    try:
        ring = fieldcrypto.keyring()
    except Exception as error:  # the German message of the key file check
        result.problems.append(f"Schlüsseldatei: {error}")
        return
    failed = False
    for column, key_ids in needed.items():
        for key_id in key_ids:
            if key_id not in ring.keys:
                result.problems.append(
                    f"{column}: der Schlüssel {key_id} fehlt in der Schlüsseldatei {ring.path}; "
                    "ohne ihn sind diese Werte verloren. Schlüsseldatei aus der Schlüsselsicherung "
                    "zurückspielen."
                )
                failed = True
        if column == "media":
            failed = _sample_files(ring, result) or failed
            continue
        model = apps.get_model(column.rsplit(".", 1)[0])
        name = column.rsplit(".", 1)[1]
        for batch in fieldcrypto.raw_values(model, name, batch_size=50):
            samples = {fieldcrypto.key_id_of(stored): stored for _pk, stored in batch}
            for sample_key, stored in samples.items():
                if sample_key and sample_key in ring.keys:
                    try:
                        fieldcrypto.decrypt(stored, ring)
                    except Exception:
                        result.problems.append(
                            f"{column}: ein Wert lässt sich mit dem Schlüssel {sample_key} nicht "
                            "entschlüsseln (falsche Schlüsseldatei?)."
                        )
                        failed = True
            break
    if not failed:
        result.passed.append(
            "Schlüsseldatei passt: jeder benötigte Schlüssel ist da und entschlüsselt."
        )


def _sample_files(ring: Any, result: CheckResult) -> bool:
    """Decrypt one upload per key in use; True if one fails."""
    from lotse.core import fieldcrypto, filecrypto

    tried: set[str | None] = set()
    failed = False
    for storage, name in filecrypto.stored_files():
        stored = Path(storage.path(name)).read_bytes()
        key_id = filecrypto.file_key_id(stored)
        if key_id in tried or key_id not in ring.keys:
            continue
        tried.add(key_id)
        try:
            filecrypto.decrypt_bytes(stored, ring, name=name)
        except fieldcrypto.FieldDecryptionError:
            result.problems.append(
                f"Hochgeladene Datei {name}: lässt sich mit dem Schlüssel {key_id} nicht "
                "entschlüsseln (falsche Schlüsseldatei?)."
            )
            failed = True
    return failed


def check_restore(manifest: dict[str, Any]) -> CheckResult:
    """Compare the (restored) database of this process with ``manifest``."""
    result = CheckResult()
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        result.problems.append("Das ist kein Manifest einer Lotse-Sicherung (Format/Version).")
        return result
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        result.problems.append(
            f"Die Sicherung stammt aus {vendor}, geprüft wird aber {connection.vendor}."
        )
        return result
    _check_tables(manifest, result)
    _check_audit(manifest, result)
    _check_media(manifest, result)
    _check_keys(manifest, result)
    return result
