from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.assignments.models import Task, TaskComment
from lotse.cases.models import Phase
from lotse.consent import services as consent_services
from lotse.people.models import Household, PersonNameVariant, ResidenceStatusRecord
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    ResidenceStatusTypeFactory,
    TimelineEntryFactory,
    UserFactory,
    purpose,
)

PURPOSE = "Abstimmung der Vermittlung in einen Sprachkurs und in Arbeit"
REASON = "Antrag der Person auf Löschung vom 3. November, schriftlich eingegangen"


@pytest.fixture
def second_lead(traeger, organisation):
    return UserFactory(traeger=traeger, organisation=organisation, roles=[Role.TEAM_LEAD])


@pytest.fixture
def admin_user(traeger, organisation):
    return UserFactory(traeger=traeger, organisation=organisation, roles=[Role.ADMINISTRATION])


@pytest.fixture
def jobcenter(traeger):
    return OrganisationFactory(traeger=traeger, key="jobcenter", name="Jobcenter Lippe")


@pytest.fixture
def rich_person(traeger, organisation, case_manager, jobcenter):
    """A person with data in many tables and files in storage (timeline, consent scans)."""
    household = Household.objects.create(traeger=traeger, label="Familie Zebrowski")
    person = PersonFactory(
        traeger=traeger, organisation=organisation, household=household, last_name="Zebrowski"
    )
    PersonNameVariant.objects.create(
        traeger=traeger, person=person, last_name="Зебровски", search_name="zebrovski"
    )
    ResidenceStatusRecord.objects.create(
        traeger=traeger,
        person=person,
        status=ResidenceStatusTypeFactory(traeger=traeger),
        valid_from=dt.date(2024, 1, 1),
    )
    case = CaseFactory(
        traeger=traeger, organisation=organisation, person=person, case_manager=case_manager
    )
    TimelineEntryFactory(
        case=case,
        author=case_manager,
        attachment=ContentFile(b"%PDF-1.4 Zeugnis", name="zeugnis.pdf"),
        attachment_name="zeugnis.pdf",
    )
    task = Task.objects.create(
        traeger=traeger,
        case=case,
        title="Sprachkurs anmelden",
        due_on=dt.date(2026, 12, 1),
        owner_user=case_manager,
    )
    TaskComment.objects.create(traeger=traeger, task=task, text="angemeldet")
    first = consent_services.consent_record(
        purposes=[purpose(person.traeger)],
        attest_signed_paper=True,
        actor=case_manager,
        person=person,
        recipients=[jobcenter],
        categories=["identity"],
        purpose=PURPOSE,
        form="written",
        valid_from=timezone.localdate() - dt.timedelta(days=10),
        text_version="EW-2026-1",
        scan=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf"),
    )
    second = consent_services.consent_change(
        actor=case_manager,
        consent=first,
        recipients=[jobcenter],
        categories=["identity", "education_work"],
        purpose=PURPOSE,
        form="written",
        valid_from=timezone.localdate(),
        text_version="EW-2026-1",
        scan=SimpleUploadedFile("scan2.pdf", b"%PDF-1.4 scan 2", content_type="application/pdf"),
    )
    consent_services.transfer_record(
        purpose_key="arbeitsmarktintegration",
        actor=case_manager,
        person=person,
        recipient=jobcenter,
        categories=["identity"],
        purpose="Anmeldung zum Sprachkurs",
        basis="consent",
        consent=second,
    )
    return person


@pytest.fixture
def bystander(traeger, organisation, case_manager):
    """Another person of the same team whose data must survive every erasure."""
    person = PersonFactory(traeger=traeger, organisation=organisation, last_name="Bleibt")
    case = CaseFactory(
        traeger=traeger, organisation=organisation, person=person, case_manager=case_manager
    )
    TimelineEntryFactory(
        case=case,
        author=case_manager,
        attachment=ContentFile(b"%PDF-1.4 bleibt", name="bleibt.pdf"),
        attachment_name="bleibt.pdf",
    )
    return person


def close_case(case, closed_on):
    case.phase = Phase.CLOSED
    case.closed_on = closed_on
    case.save(update_fields=["phase", "closed_on"])
    return case
