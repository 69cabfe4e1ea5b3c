"""Field-level encryption: round trip, wrong keys, legacy plaintext, key file handling."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from lotse.core import fieldcrypto
from lotse.core.fieldcrypto import FieldDecryptionError, FieldKeyError
from lotse.people.models import Person
from tests.factories import PersonFactory

REPO = Path(__file__).resolve().parents[2]
SECRET = "Kanarien-Diagnose F43.1"


def stored(table: str, column: str, pk: int) -> str:
    """The value exactly as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)} "  # noqa: S608 - fixed names
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()[0]


def set_stored(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(table)} SET {connection.ops.quote_name(column)} = %s "  # noqa: S608 - fixed names
            "WHERE id = %s",
            [value, pk],
        )


@pytest.fixture
def key_file(settings, tmp_path):
    """A key file of this test only (the session's file stays untouched)."""
    path = tmp_path / "keys" / "field-keys.json"
    fieldcrypto.write_key_file(fieldcrypto.new_keyring(path))
    settings.LOTSE_FIELD_KEYS_FILE = str(path)
    return path


@pytest.mark.django_db
def test_round_trip_stores_only_ciphertext(key_file):
    person = PersonFactory(health_notes=SECRET)
    raw = stored("people_person", "health_notes", person.pk)
    primary = fieldcrypto.keyring().primary
    assert raw.startswith(f"enc:1:{primary}:")
    assert SECRET not in raw and "F43" not in raw
    assert Person.objects.get(pk=person.pk).health_notes == SECRET
    # Values and values_list decrypt as well (no raw ciphertext leaks into the code).
    assert Person.objects.filter(pk=person.pk).values_list("health_notes", flat=True)[0] == SECRET


@pytest.mark.django_db
def test_empty_stays_empty_and_unicode_survives(key_file):
    empty = PersonFactory(health_notes="")
    assert stored("people_person", "health_notes", empty.pk) == ""
    assert Person.objects.filter(health_notes="").filter(pk=empty.pk).exists()
    text = "Schwangerschaft, 7. Monat – حامل ✓\nzweite Zeile"
    person = PersonFactory(health_notes=text)
    assert Person.objects.get(pk=person.pk).health_notes == text


@pytest.mark.django_db
def test_same_text_gives_different_ciphertexts(key_file):
    one, two = PersonFactory(health_notes=SECRET), PersonFactory(health_notes=SECRET)
    assert stored("people_person", "health_notes", one.pk) != stored(
        "people_person", "health_notes", two.pk
    )


@pytest.mark.django_db
def test_text_that_looks_like_ciphertext_is_encrypted_too(key_file):
    """Typed-in text is never taken for a stored value (it would break the page for others)."""
    person = PersonFactory(health_notes="enc:1:fake:garbage")
    assert stored("people_person", "health_notes", person.pk) != "enc:1:fake:garbage"
    assert Person.objects.get(pk=person.pk).health_notes == "enc:1:fake:garbage"


@pytest.mark.django_db
def test_wrong_key_is_a_clear_error_not_garbage(key_file, settings, tmp_path):
    person = PersonFactory(health_notes=SECRET)
    ring = fieldcrypto.keyring()
    # The same key id with another key: the token does not authenticate.
    other = tmp_path / "other.json"
    forged = fieldcrypto.new_keyring(other)
    forged = fieldcrypto.Keyring(
        path=other,
        primary=ring.primary,
        keys={ring.primary: forged.keys[forged.primary]},
        created={},
    )
    fieldcrypto.write_key_file(forged)
    settings.LOTSE_FIELD_KEYS_FILE = str(other)
    with pytest.raises(FieldDecryptionError) as error:
        Person.objects.get(pk=person.pk)
    assert ring.primary in str(error.value)
    assert "nicht entschlüsseln" in str(error.value)


@pytest.mark.django_db
def test_unknown_key_and_damaged_value_are_clear_errors(key_file):
    person = PersonFactory(health_notes=SECRET)
    set_stored("people_person", "health_notes", person.pk, "enc:1:kgone:gAAAAAB")
    with pytest.raises(FieldDecryptionError, match="kgone"):
        Person.objects.get(pk=person.pk)
    set_stored("people_person", "health_notes", person.pk, "enc:1:")
    with pytest.raises(FieldDecryptionError, match="beschädigt"):
        Person.objects.get(pk=person.pk)
    primary = fieldcrypto.keyring().primary
    set_stored("people_person", "health_notes", person.pk, f"enc:1:{primary}:nottoken")
    with pytest.raises(FieldDecryptionError, match=primary):
        Person.objects.get(pk=person.pk)


@pytest.mark.django_db
def test_legacy_plaintext_is_read_and_encrypted_by_the_data_migration_helper(key_file):
    person = PersonFactory(health_notes="")
    set_stored("people_person", "health_notes", person.pk, SECRET)
    assert Person.objects.get(pk=person.pk).health_notes == SECRET
    assert fieldcrypto.count_by_key(Person, "health_notes") == {None: 1}
    assert fieldcrypto.encrypt_legacy_values(Person, "health_notes") == 1
    assert fieldcrypto.encrypt_legacy_values(Person, "health_notes") == 0  # idempotent
    raw = stored("people_person", "health_notes", person.pk)
    assert raw.startswith("enc:1:") and SECRET not in raw
    assert Person.objects.get(pk=person.pk).health_notes == SECRET


@pytest.mark.django_db
def test_encrypted_json_field_round_trip(key_file, case):
    from lotse.intake.models import Assessment, AssessmentRevision
    from tests.factories import FieldOfActionFactory

    field = FieldOfActionFactory(traeger=case.traeger)
    assessment = Assessment.objects.create(
        traeger=case.traeger, case=case, field_of_action=field, needs=SECRET
    )
    revision = AssessmentRevision.objects.create(
        traeger=case.traeger,
        assessment=assessment,
        version=1,
        data={"needs": SECRET, "german_test_date": None, "list": [1, "ä"]},
    )
    for table, column, pk in [
        ("intake_assessment", "needs", assessment.pk),
        ("intake_assessmentrevision", "data", revision.pk),
    ]:
        raw = stored(table, column, pk)
        assert raw.startswith("enc:1:") and "Kanarien" not in raw
    assert AssessmentRevision.objects.get(pk=revision.pk).data == {
        "needs": SECRET,
        "german_test_date": None,
        "list": [1, "ä"],
    }
    # Legacy JSON text (what the column held before) is read as JSON.
    set_stored("intake_assessmentrevision", "data", revision.pk, json.dumps({"goals": "x"}))
    assert AssessmentRevision.objects.get(pk=revision.pk).data == {"goals": "x"}


def test_key_file_errors_are_german_and_fail_closed(tmp_path):
    with pytest.raises(FieldKeyError, match="nicht gesetzt"):
        fieldcrypto.read_key_file("")
    with pytest.raises(FieldKeyError, match="fehlt"):
        fieldcrypto.read_key_file(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(FieldKeyError, match="kein gültiges JSON"):
        fieldcrypto.read_key_file(broken)
    broken.write_text(
        json.dumps({"format": "lotse-field-keys", "primary": "a", "keys": {"a": {"key": "short"}}}),
        encoding="utf-8",
    )
    with pytest.raises(FieldKeyError, match="kein gültiger Fernet-Schlüssel"):
        fieldcrypto.read_key_file(broken)
    ring = fieldcrypto.new_keyring(broken)
    data = ring.to_json()
    data["primary"] = "other"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FieldKeyError, match="Primärschlüssel"):
        fieldcrypto.read_key_file(broken)


def test_key_file_is_written_for_the_owner_only(tmp_path):
    path = tmp_path / "k.json"
    fieldcrypto.write_key_file(fieldcrypto.new_keyring(path))
    assert (path.stat().st_mode & 0o777) == 0o600
    assert fieldcrypto.read_key_file(path).primary in path.read_text(encoding="utf-8")


def test_running_processes_pick_up_a_changed_key_file(settings, tmp_path):
    path = tmp_path / "k.json"
    first = fieldcrypto.new_keyring(path)
    fieldcrypto.write_key_file(first)
    settings.LOTSE_FIELD_KEYS_FILE = str(path)
    assert fieldcrypto.keyring().primary == first.primary
    second = fieldcrypto.with_new_primary(first)
    fieldcrypto.write_key_file(second)
    assert fieldcrypto.keyring().primary == second.primary
    assert set(fieldcrypto.keyring().keys) == {first.primary, second.primary}


def test_field_keys_are_independent_of_secret_key(settings, tmp_path):
    path = tmp_path / "k.json"
    fieldcrypto.write_key_file(fieldcrypto.new_keyring(path))
    settings.LOTSE_FIELD_KEYS_FILE = str(path)
    token = fieldcrypto.encrypt(SECRET)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert fieldcrypto.decrypt(token) == SECRET
    assert settings.SECRET_KEY not in path.read_text(encoding="utf-8")


def test_migrations_deconstruct_the_fields_cleanly():
    field = Person._meta.get_field("health_notes")
    name, path, args, kwargs = field.deconstruct()
    assert path == "lotse.core.fieldcrypto.EncryptedTextField"
    assert set(kwargs) == {"blank", "verbose_name"}  # nothing key-dependent in migrations


# -- production settings --------------------------------------------------------------------


def _production(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LOTSE_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        {
            "LOTSE_SECRET_KEY": "s" * 60,
            "LOTSE_ALLOWED_HOSTS": "lotse.example",
            "LOTSE_DATA_DIR": str(tmp_path),
            "LOTSE_TESTING": "0",
            **extra,
        }
    )
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "lotse.manage", "check", "--deploy", "--fail-level", "CRITICAL"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )


def test_production_without_key_file_refuses_to_start(tmp_path):
    unset = _production(tmp_path)
    assert unset.returncode != 0
    assert "ImproperlyConfigured" in unset.stderr or "FieldKeyError" in unset.stderr
    assert "LOTSE_FIELD_KEYS_FILE ist nicht gesetzt" in unset.stderr

    missing = _production(tmp_path, LOTSE_FIELD_KEYS_FILE=str(tmp_path / "none.json"))
    assert missing.returncode != 0
    assert "fehlt" in missing.stderr

    broken = tmp_path / "broken.json"
    broken.write_text("not json", encoding="utf-8")
    invalid = _production(tmp_path, LOTSE_FIELD_KEYS_FILE=str(broken))
    assert invalid.returncode != 0
    assert "ungültig" in invalid.stderr


def test_production_with_a_valid_key_file_starts(tmp_path):
    from lotse.audit.signing import create_signing_key_file

    path = tmp_path / "field-keys.json"
    fieldcrypto.write_key_file(fieldcrypto.new_keyring(path))
    create_signing_key_file(tmp_path / "audit-signing-key.json")  # the default in LOTSE_DATA_DIR
    result = _production(tmp_path, LOTSE_FIELD_KEYS_FILE=str(path))
    assert result.returncode == 0, result.stderr
