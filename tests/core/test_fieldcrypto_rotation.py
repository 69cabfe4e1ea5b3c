"""``lotse fieldkeys``: init, rotate, retire, status; and the data migrations on real rows."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lotse.cases.models import TimelineEntry
from lotse.core import fieldcrypto
from lotse.intake.models import Assessment, AssessmentRevision
from lotse.people.models import Person
from tests.core.test_fieldcrypto import SECRET, set_stored, stored
from tests.factories import FieldOfActionFactory, PersonFactory, TimelineEntryFactory


@pytest.fixture
def key_file(settings, tmp_path):
    path = tmp_path / "keys" / "field-keys.json"
    settings.LOTSE_FIELD_KEYS_FILE = str(path)
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("fieldkeys", *args, stdout=out)
    return out.getvalue()


def test_init_creates_a_private_key_file_and_never_overwrites(key_file):
    run("init")
    assert (key_file.stat().st_mode & 0o777) == 0o600
    first = key_file.read_text(encoding="utf-8")
    ring = fieldcrypto.read_key_file(key_file)
    assert ring.primary in first and len(ring.keys) == 1
    with pytest.raises(CommandError, match="field-keys.json"):
        run("init")
    run("init", "--if-missing")
    assert key_file.read_text(encoding="utf-8") == first


def test_init_if_missing_refuses_a_broken_file(key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="ungültig"):
        run("init", "--if-missing")
    assert key_file.read_text(encoding="utf-8") == "{}"  # left for the operator to repair


def test_commands_without_key_file_name_the_problem(key_file):
    with pytest.raises(CommandError, match="fehlt"):
        run("status")


@pytest.mark.django_db
def test_rotate_reencrypts_everything_and_retire_removes_the_old_key(key_file, case):
    run("init")
    old = fieldcrypto.keyring().primary
    persons = [PersonFactory(health_notes=f"{SECRET} #{n}") for n in range(5)]
    empty = PersonFactory(health_notes="")
    entry = TimelineEntryFactory(case=case, text="Arzttermin wegen Trauma")
    legacy = PersonFactory(health_notes="")
    set_stored("people_person", "health_notes", legacy.pk, "Altbestand im Klartext")

    status = run("status")
    assert old in status and "people.Person.health_notes" in status

    output = run("rotate", "--batch-size", "2")
    new = fieldcrypto.keyring().primary
    assert new != old
    assert set(fieldcrypto.keyring().keys) == {old, new}
    assert "people.Person.health_notes" in output  # progress per batch
    for person in [*persons, legacy]:
        assert stored("people_person", "health_notes", person.pk).startswith(f"enc:1:{new}:")
    assert stored("cases_timelineentry", "text", entry.pk).startswith(f"enc:1:{new}:")
    assert stored("people_person", "health_notes", empty.pk) == ""
    assert [Person.objects.get(pk=p.pk).health_notes for p in persons] == [
        f"{SECRET} #{n}" for n in range(5)
    ]
    assert Person.objects.get(pk=legacy.pk).health_notes == "Altbestand im Klartext"
    assert TimelineEntry.objects.get(pk=entry.pk).text == "Arzttermin wegen Trauma"

    # Idempotent: a second pass over the same key rewrites nothing.
    before = stored("people_person", "health_notes", persons[0].pk)
    assert fieldcrypto.reencrypt_column(Person, "health_notes") == 0
    assert stored("people_person", "health_notes", persons[0].pk) == before

    run("retire", old)
    assert set(fieldcrypto.keyring().keys) == {new}
    assert Person.objects.get(pk=persons[3].pk).health_notes == f"{SECRET} #3"
    with pytest.raises(CommandError):
        run("retire", new)  # the primary key is never retired


@pytest.mark.django_db
def test_retire_refuses_while_values_still_use_the_key(key_file):
    run("init")
    old = fieldcrypto.keyring().primary
    PersonFactory(health_notes=SECRET)
    PersonFactory(health_notes="zweiter Wert")
    # A new primary key without re-encryption (as if a rotation were interrupted).
    fieldcrypto.write_key_file(fieldcrypto.with_new_primary(fieldcrypto.keyring()))
    with pytest.raises(CommandError) as refused:
        run("retire", old)
    assert "2" in str(refused.value) and old in str(refused.value)
    assert old in fieldcrypto.keyring().keys

    run("rotate", "--no-new-key")
    run("retire", old)
    assert old not in fieldcrypto.keyring().keys
    with pytest.raises(CommandError, match=old):
        run("retire", old)  # gone


@pytest.mark.django_db
def test_status_reports_values_whose_key_is_missing(key_file):
    run("init")
    person = PersonFactory(health_notes=SECRET)
    set_stored("people_person", "health_notes", person.pk, "enc:1:klost:gAAAA")
    with pytest.raises(CommandError):
        run("status")


@pytest.mark.django_db
def test_rotation_covers_every_encrypted_column():
    columns = {f"{m._meta.label}.{name}" for m, name in fieldcrypto.encrypted_columns()}
    assert {
        "people.Person.health_notes",
        "cases.TimelineEntry.text",
        "cases.CaseEvaluation.assessment",
        "cases.CaseEvaluation.ending_note",
        "intake.Assessment.resources",
        "intake.Assessment.school_qualifications",
        "intake.Assessment.vocational_qualifications",
        "intake.Assessment.work_experience",
        "intake.Assessment.goals",
        "intake.Assessment.needs",
        "intake.AssessmentRevision.data",
        "intake.InitialInterview.answers",
    } <= columns


# -- the data migrations --------------------------------------------------------------------


def _migrate(*targets: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    executor.loader.build_graph()


@pytest.mark.slow
@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True)
def test_data_migrations_encrypt_existing_plaintext_and_reverse(case):
    field = FieldOfActionFactory(traeger=case.traeger)
    person = case.person
    Person.objects.filter(pk=person.pk).update(health_notes=SECRET)
    entry = TimelineEntryFactory(case=case, text="Gespräch über die Diagnose")
    assessment = Assessment.objects.create(
        traeger=case.traeger, case=case, field_of_action=field, needs="Therapieplatz"
    )
    revision = AssessmentRevision.objects.create(
        traeger=case.traeger, assessment=assessment, version=1, data={"needs": "Therapieplatz"}
    )
    executor = MigrationExecutor(connection)
    # Back to every app's newest migration afterwards: going back unapplies what depends on
    # these apps too, and the tests after this one need the whole schema.
    latest = executor.loader.graph.leaf_nodes()
    try:
        # Back to plaintext columns: the reverse migration decrypts.
        _migrate(("people", "0002_person_health_notes"))
        _migrate(("cases", "0002_evaluation"), ("intake", "0001_initial"))
        assert stored("people_person", "health_notes", person.pk) == SECRET
        assert stored("cases_timelineentry", "text", entry.pk) == "Gespräch über die Diagnose"
        assert stored("intake_assessment", "needs", assessment.pk) == "Therapieplatz"
        legacy = stored("intake_assessmentrevision", "data", revision.pk)
        if isinstance(legacy, str):  # SQLite keeps JSON as text; PostgreSQL returns jsonb
            legacy = json.loads(legacy)
        assert legacy == {"needs": "Therapieplatz"}
    finally:
        _migrate(*latest)
    # Forward again: the data migration encrypted the plaintext rows.
    for table, column, pk in [
        ("people_person", "health_notes", person.pk),
        ("cases_timelineentry", "text", entry.pk),
        ("intake_assessment", "needs", assessment.pk),
        ("intake_assessmentrevision", "data", revision.pk),
    ]:
        raw = stored(table, column, pk)
        assert raw.startswith("enc:1:"), (table, column, raw)
    assert Person.objects.get(pk=person.pk).health_notes == SECRET
    assert TimelineEntry.objects.get(pk=entry.pk).text == "Gespräch über die Diagnose"
    assert AssessmentRevision.objects.get(pk=revision.pk).data == {"needs": "Therapieplatz"}
