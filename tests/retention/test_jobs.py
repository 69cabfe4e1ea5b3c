"""The retention job, run with an explicit reference day (no clock patching)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from lotse.audit.models import AuditEntry
from lotse.cases.models import Case, Phase, TimelineEntry
from lotse.consent import services as consent_services
from lotse.consent.models import Consent
from lotse.people.models import Person
from lotse.retention import services
from lotse.retention.jobs import apply_retention, months_before
from lotse.retention.models import DeletionLog, RecordType, RetentionRule, Tombstone
from lotse.spreadsheets.models import ImportJob
from tests.factories import (
    CaseFactory,
    PersonFactory,
    TimelineEntryFactory,
    TraegerFactory,
    purpose,
)
from tests.retention.conftest import PURPOSE, close_case

pytestmark = pytest.mark.django_db

TODAY = dt.date(2031, 6, 15)
LONG_AGO = TODAY - dt.timedelta(days=365 * 4)  # well past 36 months
RECENT = TODAY - dt.timedelta(days=365 * 2)  # within 36 months


@pytest.fixture
def make_person(traeger, organisation, case_manager):
    def make(*, closed_on=None, open_case=False, name="Person"):
        person = PersonFactory(traeger=traeger, organisation=organisation, last_name=name)
        Person.objects.filter(pk=person.pk).update(
            created_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
        )
        if closed_on is not None:
            case = CaseFactory(
                traeger=traeger, organisation=organisation, person=person, case_manager=case_manager
            )
            close_case(case, closed_on)
            TimelineEntryFactory(
                case=case,
                author=case_manager,
                attachment=ContentFile(b"%PDF-1.4 alt", name="alt.pdf"),
                attachment_name="alt.pdf",
            )
        if open_case:
            CaseFactory(
                traeger=traeger, organisation=organisation, person=person, case_manager=case_manager
            )
        return person

    return make


def _log(record_type: str) -> DeletionLog:
    return DeletionLog.objects.filter(record_type=record_type).latest("ran_at", "id")


def test_months_before():
    assert months_before(dt.date(2031, 6, 15), 36) == dt.date(2028, 6, 15)
    assert months_before(dt.date(2031, 3, 31), 1) == dt.date(2031, 2, 28)
    assert months_before(dt.date(2031, 1, 10), 13) == dt.date(2029, 12, 10)


def test_persons_past_the_period_are_erased_with_a_tombstone(
    make_person, traeger, django_capture_on_commit_callbacks
):
    old = make_person(closed_on=LONG_AGO, name="Alt")
    recent = make_person(closed_on=RECENT, name="Neu")
    active = make_person(closed_on=LONG_AGO, open_case=True, name="Aktiv")
    never = make_person(name="Ohnefall")  # recorded 2026-01-05, never a case
    old_file = (
        Path(settings.MEDIA_ROOT) / TimelineEntry.objects.get(case__person=old).attachment.name
    )
    assert old_file.exists()

    with django_capture_on_commit_callbacks(execute=True):
        report = apply_retention(today=TODAY)

    remaining = set(Person.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and never.pk not in remaining
    assert {recent.pk, active.pk} <= remaining
    assert not old_file.exists()
    tombstones = Tombstone.objects.filter(traeger=traeger)
    assert set(tombstones.values_list("former_person_id", flat=True)) == {old.pk, never.pk}
    assert all(t.basis == "retention" for t in tombstones)
    log = _log(RecordType.PERSON)
    assert log.deleted == 2 and log.details["people.Person"] == 2
    assert log.files_deleted == 1
    assert report.deleted >= 2
    # The active person's old closed case went under the case rule; the open one stays.
    assert list(Case.objects.filter(person=active).values_list("phase", flat=True)) == [
        Phase.INTAKE
    ]
    assert _log(RecordType.CLOSED_CASE).deleted == 1
    assert AuditEntry.objects.filter(action="delete", person_id=old.pk, channel="job").exists()


def test_a_second_run_changes_nothing_and_logs_zero(
    make_person, django_capture_on_commit_callbacks
):
    make_person(closed_on=LONG_AGO)
    make_person(closed_on=LONG_AGO, open_case=True)
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(today=TODAY)
    persons = list(Person.objects.order_by("pk").values_list("pk", "version"))
    cases = list(Case.objects.order_by("pk").values_list("pk", "version"))
    tombstones = Tombstone.objects.count()
    audit = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        second = apply_retention(today=TODAY)

    assert second.deleted == 0
    assert list(Person.objects.order_by("pk").values_list("pk", "version")) == persons
    assert list(Case.objects.order_by("pk").values_list("pk", "version")) == cases
    assert Tombstone.objects.count() == tombstones
    assert AuditEntry.objects.count() == audit
    rows = DeletionLog.objects.filter(run_id=second.run_id)
    assert rows.count() == len(RecordType)
    assert all(row.deleted == 0 for row in rows)


def test_dry_run_lists_and_writes_nothing(make_person):
    old = make_person(closed_on=LONG_AGO)
    audit = AuditEntry.objects.count()
    report = apply_retention(today=TODAY, dry_run=True)
    assert Person.objects.filter(pk=old.pk).exists()
    assert not DeletionLog.objects.exists()
    assert not Tombstone.objects.exists()
    assert AuditEntry.objects.count() == audit
    persons = next(r for r in report.per_traeger[old.traeger.slug] if r.record_type == "person")
    assert [c.object_id for c in persons.candidates] == [old.pk]


def test_legal_hold_and_restriction_are_respected(make_person, team_lead, case_manager):
    held = make_person(closed_on=LONG_AGO, name="Gesperrt")
    case_held = make_person(closed_on=LONG_AGO, name="Fallsperre")
    restricted = make_person(closed_on=LONG_AGO, name="Eingeschraenkt")
    expired_hold = make_person(closed_on=LONG_AGO, name="Abgelaufen")
    reason = "Prüfung durch das Rechnungsprüfungsamt läuft noch"
    services.legal_hold_set(actor=team_lead, person=held, reason=reason)
    services.legal_hold_set(
        actor=team_lead, person=case_held, case=Case.objects.get(person=case_held), reason=reason
    )
    services.restriction_set(actor=case_manager, person=restricted, reason=reason)
    hold = services.legal_hold_set(
        actor=team_lead, person=expired_hold, reason=reason, until=timezone.localdate()
    )
    assert hold.until < TODAY  # the hold ended before the reference day

    apply_retention(today=TODAY)

    remaining = set(Person.objects.values_list("pk", flat=True))
    assert {held.pk, case_held.pk, restricted.pk} <= remaining
    assert expired_hold.pk not in remaining
    assert _log(RecordType.PERSON).skipped_hold == 3


def test_periods_and_active_flag_per_traeger(make_person, traeger, admin_user):
    person = make_person(closed_on=RECENT)  # two years ago
    services.retention_rules_save(
        actor=admin_user,
        periods={
            RecordType.PERSON: (12, False),
            RecordType.CLOSED_CASE: (12, True),
            RecordType.ENDED_CONSENT: (36, True),
            RecordType.IMPORT_JOB: (6, True),
        },
    )
    apply_retention(today=TODAY)
    assert Person.objects.filter(pk=person.pk).exists()  # person rule switched off
    assert not DeletionLog.objects.filter(record_type=RecordType.PERSON).exists()
    RetentionRule.objects.filter(traeger=traeger, record_type=RecordType.PERSON).update(active=True)
    apply_retention(today=TODAY)
    assert not Person.objects.filter(pk=person.pk).exists()  # 12 months: gone
    # Another Träger with the defaults keeps its two-year-old closed case.
    other = TraegerFactory()
    from tests.factories import OrganisationFactory

    org = OrganisationFactory(traeger=other)
    foreign = PersonFactory(traeger=other, organisation=org)
    close_case(CaseFactory(traeger=other, organisation=org, person=foreign), RECENT)
    apply_retention(today=TODAY)
    assert Person.objects.filter(pk=foreign.pk).exists()


def test_ended_consents_go_unless_a_transfer_rests_on_them(
    traeger, organisation, case_manager, jobcenter, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    person = PersonFactory(traeger=traeger, organisation=organisation)
    CaseFactory(
        traeger=traeger, organisation=organisation, person=person, case_manager=case_manager
    )

    def record(**extra):
        return consent_services.consent_record(
            purposes=[purpose(person.traeger)],
            attest_signed_paper=True,
            actor=case_manager,
            person=person,
            recipients=[jobcenter],
            categories=["identity"],
            purpose=PURPOSE,
            form="written",
            valid_from=dt.date(2026, 1, 1),
            text_version="EW-2026-1",
            **extra,
        )

    expired = record(
        valid_until=dt.date(2027, 1, 1),
        scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4 s", content_type="application/pdf"),
    )
    with_transfer = record(valid_until=dt.date(2027, 1, 1))
    consent_services.transfer_record(
        purpose_key="arbeitsmarktintegration",
        actor=case_manager,
        person=person,
        recipient=jobcenter,
        categories=["identity"],
        purpose="Anmeldung zum Sprachkurs",
        basis="consent",
        consent=with_transfer,
        transferred_at=dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC),
    )
    current = record()
    scan = Path(settings.MEDIA_ROOT) / expired.scan.name
    assert scan.exists()

    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(today=TODAY)

    assert set(Consent.objects.values_list("pk", flat=True)) == {with_transfer.pk, current.pk}
    assert not scan.exists()
    assert _log(RecordType.ENDED_CONSENT).deleted == 1


def test_old_import_jobs_and_their_files_go(
    traeger, organisation, case_manager, django_capture_on_commit_callbacks
):
    job = ImportJob.objects.create(
        traeger=traeger,
        organisation=organisation,
        created_by=case_manager,
        status=ImportJob.Status.CHECKED,
        file=ContentFile(b"Name;Vorname\nAlt;Anna\n", name="liste.csv"),
        file_name="liste.csv",
        file_kind="csv",
    )
    running = ImportJob.objects.create(
        traeger=traeger,
        organisation=organisation,
        status=ImportJob.Status.RUNNING,
        file_name="laeuft.csv",
        file_kind="csv",
    )
    ImportJob.objects.update(created_at=dt.datetime(2030, 1, 1, 8, 0, tzinfo=dt.UTC))
    path = Path(settings.MEDIA_ROOT) / job.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(today=TODAY)
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [running.pk]
    assert not path.exists()


def test_command_dry_run_and_run(make_person, django_capture_on_commit_callbacks):
    old = make_person(closed_on=LONG_AGO)
    out = StringIO()
    call_command("applyretention", "--dry-run", "--date", TODAY.isoformat(), stdout=out)
    assert f"person #{old.pk}" in out.getvalue()
    assert "Person" not in out.getvalue().replace("person", "")  # no names, only numbers
    assert Person.objects.filter(pk=old.pk).exists()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("applyretention", "--date", TODAY.isoformat(), stdout=out)
    assert "person: erased 1" in out.getvalue()
    assert not Person.objects.filter(pk=old.pk).exists()


def test_the_daily_task_applies_the_rules(make_person, django_capture_on_commit_callbacks):
    from lotse.retention.tasks import daily_retention_run

    old = make_person(closed_on=LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        daily_retention_run.enqueue(TODAY.isoformat())
    assert not Person.objects.filter(pk=old.pk).exists()
