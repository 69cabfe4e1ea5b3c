"""``scripts/backup.sh`` and ``scripts/restore-check.sh`` end to end, as an operator runs them.

A source database of its own (SQLite file; PostgreSQL when ``DATABASE_URL`` points to
PostgreSQL, as in CI) is migrated and filled in subprocesses with a person (encrypted health
notes), a case, an uploaded attachment and access-log entries. The backup is restored into a
scratch database and checked; tampering with the manifest, the backup or the restored database
makes the check fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
LOTSE = Path(sys.executable).with_name("lotse")
BACKUP = REPO / "scripts" / "backup.sh"
RESTORE_CHECK = REPO / "scripts" / "restore-check.sh"

#: Long: scheduled first, on one worker. The source database and its backup are session fixtures:
#: pytest-xdist may run other modules' tests between these, and a module fixture would then be
#: torn down and the database migrated a second time (half a minute each).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("backup_restore")]

POPULATE = """
from django.core.files.base import ContentFile
from lotse.accounts.models import Role
from lotse.audit.services import audit_log
from lotse.people.models import PersonNameVariant
from tests.factories import (
    CaseFactory, OrganisationFactory, TimelineEntryFactory, TraegerFactory, UserFactory,
)

traeger = TraegerFactory(slug="kreis-sicherung", name="Kreis Sicherung")
org = OrganisationFactory(traeger=traeger)
user = UserFactory(
    username="sicherung", traeger=traeger, organisation=org, roles=[Role.CASE_MANAGEMENT]
)
case = CaseFactory(traeger=traeger, organisation=org, case_manager=user)
person = case.person
person.health_notes = "Sicherungstest: Angabe zur Gesundheit"
person.save()
PersonNameVariant.objects.create(
    traeger=traeger, person=person, last_name="Variante", search_name="variante"
)
TimelineEntryFactory(
    case=case, author=user, attachment=ContentFile(b"%PDF-1.4 Sicherung", name="bescheid.pdf"),
    attachment_name="bescheid.pdf",
)
for action in ("read", "update", "download"):
    audit_log(user=user, action=action, object_type="person", object_id=person.pk,
              person_id=person.pk, categories=["identity"], channel="web")
"""


@dataclass
class Source:
    root: Path
    env: dict[str, str]
    postgres_admin_url: str | None


def _run(
    command: list[str], env: dict[str, str], *, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - fixed programs of the repository
        command, env=env, capture_output=True, text=True, check=False, cwd=REPO, timeout=600
    )
    if check and result.returncode != 0:
        pytest.fail(f"{command} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, f"/{name}", parts.query, ""))


def _psql(admin_url: str, sql: str) -> str:
    return subprocess.run(  # noqa: S603
        ["psql", admin_url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(scope="session")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    root = tmp_path_factory.mktemp("backup-source")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        "LOTSE_BIN": str(LOTSE),
        "LOTSE_DEBUG": "1",
        "LOTSE_DATA_DIR": str(root),
        "LOTSE_MEDIA_ROOT": str(root / "media"),
        "LOTSE_FIELD_KEYS_FILE": str(root / "field-keys.json"),
        "TMPDIR": str(root),
    }
    configured = os.environ.get("DATABASE_URL", "")
    admin_url = None
    if configured.startswith(("postgres://", "postgresql://")):
        admin_url = _with_database(configured, "postgres")
        name = f"lotse_backup_source_{os.getpid()}"
        _psql(admin_url, f'DROP DATABASE IF EXISTS "{name}"')
        _psql(admin_url, f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = _with_database(configured, name)
    else:
        env["DATABASE_URL"] = f"sqlite:///{root / 'lotse.sqlite3'}"
    try:
        _run([str(LOTSE), "fieldkeys", "init"], env)
        _run([str(LOTSE), "migrate", "-v0"], env)
        _run([str(LOTSE), "shell", "-c", POPULATE], env)
        yield Source(root=root, env=env, postgres_admin_url=admin_url)
    finally:
        if admin_url:
            _psql(admin_url, f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="session")
def backup(source: Source) -> Path:
    result = _run(["bash", str(BACKUP), str(source.root / "backups")], source.env)
    assert "Schlüsseldatei" in result.stdout  # the reminder to back up the key file separately
    (directory,) = (source.root / "backups").iterdir()
    return directory


def _restore_databases(source: Source) -> list[str]:
    if not source.postgres_admin_url:
        return []
    return _psql(
        source.postgres_admin_url,
        "SELECT datname FROM pg_database WHERE datname LIKE 'lotse_restore_%'",
    ).split()


def test_a_backup_restores_into_a_scratch_database_and_matches(
    source: Source, backup: Path
) -> None:
    assert sorted(path.name for path in backup.iterdir()) == [
        "SHA256SUMS",
        "database.dump" if source.postgres_admin_url else "database.sqlite3",
        "manifest.json",
        "media.tar.gz",
    ]
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"]["people_person"] == 1
    assert manifest["tables"]["audit_auditentry"] >= 3
    assert manifest["audit_chains"]  # the heads of the chains written above
    (attachment,) = manifest["media"]["files"]
    with tarfile.open(backup / "media.tar.gz") as archive:
        assert f"./{attachment}" in archive.getnames()
    assert manifest["field_keys"]["in_use"]["people.Person.health_notes"]
    # The key file itself is not part of the backup, and no key appears in it.
    keys = json.loads((source.root / "field-keys.json").read_text())["keys"]
    for path in backup.iterdir():
        content = path.read_bytes()
        for key in keys.values():
            assert key["key"].encode() not in content, path.name
    before = _restore_databases(source)

    result = _run(["bash", str(RESTORE_CHECK), str(backup)], source.env)

    assert "ERFOLGREICH" in result.stdout
    assert "Zeilenzahlen stimmen" in result.stdout
    assert "Zugriffsprotokoll unversehrt" in result.stdout
    assert "Alle 1 hochgeladenen Dateien sind vorhanden" in result.stdout
    assert _restore_databases(source) == before  # the scratch database is gone again


def _copy(backup: Path, target: Path) -> Path:
    shutil.copytree(backup, target)
    return target


def _reseal(directory: Path) -> None:
    """Recompute SHA256SUMS, as someone who edits a backup on purpose would."""
    lines = [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"
        for path in sorted(directory.iterdir())
        if path.name != "SHA256SUMS"
    ]
    (directory / "SHA256SUMS").write_text("".join(lines))


def test_a_changed_backup_fails_the_checksums(source: Source, backup: Path) -> None:
    changed = _copy(backup, source.root / "changed-sums")
    manifest = changed / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"people_person": 1', '"people_person": 2'))

    result = _run(["bash", str(RESTORE_CHECK), str(changed)], source.env, check=False)

    assert result.returncode != 0
    assert "Prüfsummen stimmen nicht" in result.stderr


def test_a_manifest_that_does_not_match_fails(source: Source, backup: Path) -> None:
    changed = _copy(backup, source.root / "changed-manifest")
    manifest_path = changed / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["people_person"] += 1
    chain = next(iter(manifest["audit_chains"]))
    manifest["audit_chains"][chain]["sequence"] += 1
    manifest_path.write_text(json.dumps(manifest))
    _reseal(changed)

    result = _run(["bash", str(RESTORE_CHECK), str(changed)], source.env, check=False)

    assert result.returncode != 0
    assert "Tabelle people_person: 1 Zeilen statt 2 laut Manifest." in result.stderr
    assert f"Kette {chain}" in result.stderr
    assert "FEHLGESCHLAGEN" in result.stderr


def test_a_tampered_restored_database_fails(source: Source, backup: Path) -> None:
    result = _run(["bash", str(RESTORE_CHECK), str(backup), "--keep"], source.env)
    kept = re.search(r"Behalten \(--keep\): (\S+)(?: und Datenbank (\S+))?", result.stdout)
    assert kept is not None, result.stdout
    scratch, database = Path(kept.group(1)), kept.group(2)
    env = {**source.env, "LOTSE_MEDIA_ROOT": str(scratch / "media")}
    if database:
        env["DATABASE_URL"] = _with_database(source.env["DATABASE_URL"], database)
    else:
        env["DATABASE_URL"] = f"sqlite:///{scratch / 'lotse.sqlite3'}"
    check = [str(LOTSE), "restorecheck", "--manifest", str(backup / "manifest.json")]
    try:
        assert _run(check, env).returncode == 0
        tamper = (
            "from lotse.audit.maintenance import audit_maintenance\n"
            "from lotse.audit.models import AuditEntry\n"
            "from lotse.people.models import PersonNameVariant\n"
            "PersonNameVariant.objects.all().delete()\n"
            "with audit_maintenance():\n"
            "    AuditEntry.objects.filter(action='update').delete()\n"
        )
        _run([str(LOTSE), "shell", "-c", tamper], env)
        (attachment,) = json.loads((backup / "manifest.json").read_text())["media"]["files"]
        (scratch / "media" / attachment).unlink()

        failed = _run(check, env, check=False)

        assert failed.returncode != 0
        assert "Tabelle people_personnamevariant: 0 Zeilen statt 1" in failed.stderr
        assert "wurde entfernt" in failed.stderr
        assert f"Datei fehlt im Medienverzeichnis {scratch / 'media'}: {attachment}" in (
            failed.stderr
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if database and source.postgres_admin_url:
            _psql(source.postgres_admin_url, f'DROP DATABASE IF EXISTS "{database}"')


def test_a_restore_without_the_right_key_file_fails(source: Source, backup: Path) -> None:
    other = source.root / "andere-schluessel.json"
    env = {**source.env, "LOTSE_FIELD_KEYS_FILE": str(other)}
    _run([str(LOTSE), "fieldkeys", "init"], env)

    result = _run(["bash", str(RESTORE_CHECK), str(backup)], env, check=False)

    assert result.returncode != 0
    assert "people.Person.health_notes: der Schlüssel" in result.stderr
    assert f"fehlt in der Schlüsseldatei {other}" in result.stderr


def test_the_backup_warns_without_a_key_file(source: Source) -> None:
    env = {**source.env, "LOTSE_FIELD_KEYS_FILE": str(source.root / "fehlt.json")}
    # Without a readable key file Lotse does not start in production; in DEBUG it warns.
    result = _run(["bash", str(BACKUP), str(source.root / "ohne-schluessel")], env, check=False)
    assert "WARNUNG: Schlüsseldatei" in result.stderr
