"""The one gate for outbound flows (issue 9): what a consent must name, and what ends it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lotse.assignments import services as task_services
from lotse.consent import flags, services
from lotse.consent.gate import check_transfer
from lotse.consent.models import DependentFlag, Transfer
from lotse.offers import services as offer_services
from lotse.offers.models import Offer, OfferKind, Referral
from tests.factories import OrganisationFactory, purpose

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def jobcenter(traeger):
    return OrganisationFactory(
        traeger=traeger, key="jobcenter-lippe", name="Jobcenter Lippe", kind="authority"
    )


@pytest.fixture
def vhs(traeger):
    return OrganisationFactory(
        traeger=traeger, key="vhs-detmold-lemgo", name="VHS Detmold", kind="education"
    )


@pytest.fixture
def course(traeger, vhs):
    purpose(traeger, "zusteuerung-angebote", "Zusteuerung in Angebote")
    return Offer.objects.create(
        traeger=traeger,
        key="integrationskurs",
        kind=OfferKind.INTEGRATION_COURSE,
        title="Integrationskurs",
        provider=vhs,
    )


def _consent(actor, person, recipients, *, purposes=("arbeitsmarktintegration",), **fields):
    values = {
        "actor": actor,
        "person": person,
        "recipients": recipients,
        "categories": ["identity", "education_work"],
        "purpose": "Abstimmung der Vermittlung in einen Sprachkurs und in Arbeit",
        "form": "written",
        "valid_from": TODAY() - dt.timedelta(days=10),
        "text_version": "EW-2026-1",
        "attest_signed_paper": True,
        "purposes": [purpose(person.traeger, key) for key in purposes],
        **fields,
    }
    return services.consent_record(**values)


def _refer(case_manager, case, course):
    return offer_services.referral_create(
        actor=case_manager, case=case, offer=course, override_reason="Einzelfall"
    )


def test_a_vhs_referral_without_a_consent_naming_the_vhs_is_refused_saying_what_is_missing(
    case_manager, case, jobcenter, course
):
    _consent(case_manager, case.person, [jobcenter])
    with pytest.raises(ValidationError) as error:
        _refer(case_manager, case, course)
    assert error.value.message_dict["shared_categories"] == [
        "Die Einwilligung nennt VHS Detmold nicht als Empfänger."
    ]
    assert not Referral.objects.exists() and not Transfer.objects.exists()


def test_a_vhs_referral_with_a_consent_naming_the_vhs_is_journaled(
    client, case_manager, case, vhs, course
):
    consent = _consent(case_manager, case.person, [vhs], purposes=["zusteuerung-angebote"])

    referral = _refer(case_manager, case, course)

    transfer = Transfer.objects.get()
    assert referral.transfer == transfer
    assert (transfer.recipient, transfer.consent, transfer.flow) == (vhs, consent, "referral")
    assert (transfer.subject_type, transfer.subject_id) == ("referral", referral.pk)
    assert transfer.categories == ["identity"]
    client.force_login(case_manager)
    page = client.get(reverse("consent:transfers", args=[case.person.pk])).content.decode()
    assert "VHS Detmold" in page and consent.document_id in page


def test_the_consent_must_name_the_purpose_of_the_flow(case_manager, case, vhs, course):
    consent = _consent(case_manager, case.person, [vhs], purposes=["arbeitsmarktintegration"])
    with pytest.raises(ValidationError) as error:
        _refer(case_manager, case, course)
    assert error.value.message_dict["shared_categories"] == [
        f"Die Einwilligung {consent.document_id} nennt den Zweck „Zusteuerung in Angebote“ nicht."
    ]


def test_a_written_consent_without_scan_or_attestation_covers_nothing_until_attested(
    case_manager, case, jobcenter
):
    consent = _consent(case_manager, case.person, [jobcenter], attest_signed_paper=False)
    decision = check_transfer(
        actor=case_manager,
        person=case.person,
        recipient=jobcenter,
        categories=["identity"],
        purpose="arbeitsmarktintegration",
    )
    assert not decision.allowed
    assert decision.reasons == (
        f"Die Einwilligung {consent.document_id} ist schriftlich erteilt, aber es liegt weder "
        "ein unterschriebener Scan vor noch die Bestätigung, dass das unterschriebene Papier in "
        "der Akte liegt (§ 67b SGB X).",
    )
    services.consent_attest(actor=case_manager, consent=consent)
    consent.refresh_from_db()
    assert consent.attested_by == case_manager and consent.attested_on == TODAY()
    assert (
        check_transfer(
            actor=case_manager,
            person=case.person,
            recipient=jobcenter,
            categories=["identity"],
            purpose="arbeitsmarktintegration",
        ).consent
        == consent
    )
    with pytest.raises(ValidationError):
        services.consent_attest(actor=case_manager, consent=consent)


def test_the_attestation_is_offered_on_the_consent_page(client, case_manager, case, jobcenter):
    consent = _consent(case_manager, case.person, [jobcenter], attest_signed_paper=False)
    client.force_login(case_manager)
    page = client.get(reverse("consent:detail", args=[consent.pk])).content.decode()
    assert "deckt diese schriftliche Einwilligung keine Übermittlung" in page
    response = client.post(
        reverse("consent:attest", args=[consent.pk]),
        {"attested_on": (TODAY() + dt.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 422
    response = client.post(
        reverse("consent:attest", args=[consent.pk]), {"attested_on": TODAY().isoformat()}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.is_signed


def test_a_withdrawn_consent_is_named_with_its_date(case_manager, case, jobcenter):
    consent = _consent(case_manager, case.person, [jobcenter])
    services.consent_withdraw(actor=case_manager, consent=consent)
    decision = check_transfer(
        actor=case_manager,
        person=case.person,
        recipient=jobcenter,
        categories=["identity"],
        purpose="arbeitsmarktintegration",
    )
    assert decision.reasons[0] == (
        f"Die Einwilligung {consent.document_id} wurde am {TODAY():%d.%m.%Y} widerrufen."
    )


def test_a_category_not_covered_is_named(case_manager, case, jobcenter):
    consent = _consent(case_manager, case.person, [jobcenter])
    decision = check_transfer(
        actor=case_manager,
        person=case.person,
        recipient=jobcenter,
        categories=["identity", "benefits"],
        purpose="arbeitsmarktintegration",
    )
    assert decision.reasons == (
        f"Die Einwilligung {consent.document_id} umfasst nicht: Leistungsbezug.",
    )


def test_a_vague_consent_for_many_purposes_is_refused(case_manager, case, jobcenter):
    keys = ["fallkonferenz", "zusteuerung-angebote", "einbuergerung", "gesundheit"]
    with pytest.raises(ValidationError) as error:
        _consent(case_manager, case.person, [jobcenter], purposes=keys)
    assert error.value.message_dict["purposes"] == [
        "Eine Einwilligung für mehr als 3 Zwecke ist nicht bestimmt genug (Art. 4 Nr. 11 "
        "DSGVO). Erfassen Sie für weitere Zwecke eine eigene Einwilligung."
    ]


def _two_jobcenter_tasks(case_manager, case, jobcenter):
    return [
        task_services.task_create(
            actor=case_manager,
            case=case,
            title=title,
            due_on=TODAY() + dt.timedelta(days=7),
            owner_organisation=jobcenter,
            shared_categories=["identity"],
            purpose=purpose(case.traeger),
        )
        for title in ("Beratungsangebot Arbeit machen", "Leistungsantrag SGB II prüfen")
    ]


def test_withdrawing_the_jobcenter_consent_flags_both_tasks_on_the_worklist_and_by_mail(
    client, settings, case_manager, case, jobcenter, django_capture_on_commit_callbacks
):
    settings.LOTSE_BASE_URL = "https://lotse.example"
    case_manager.email = "cm@kreis.example"
    case_manager.save(update_fields=["email"])
    consent = _consent(case_manager, case.person, [jobcenter])
    tasks = _two_jobcenter_tasks(case_manager, case, jobcenter)

    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(actor=case_manager, consent=consent)

    flagged = flags.open_flags_for_user(case_manager)
    assert {(f.object_type, f.object_id) for f in flagged} == {("task", t.pk) for t in tasks}
    assert {f.reason for f in flagged} == {DependentFlag.Reason.WITHDRAWN}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cm@kreis.example"]
    assert consent.document_id in mail.outbox[0].subject
    assert "https://lotse.example/einwilligungen/hinweise/" in mail.outbox[0].body
    client.force_login(case_manager)
    page = client.get(reverse("consent:flags")).content.decode()
    assert page.count(reverse("assignments:detail", args=[tasks[0].pk])) == 1
    assert reverse("assignments:detail", args=[tasks[1].pk]) in page
    resolved = client.post(reverse("consent:flag_resolve", args=[flagged[0].pk]))
    assert resolved.status_code == 302
    assert flags.open_flags_for_user(case_manager).count() == 1


def test_a_narrower_version_flags_only_what_it_drops(case_manager, case, jobcenter, vhs):
    consent = _consent(case_manager, case.person, [jobcenter, vhs])
    _two_jobcenter_tasks(case_manager, case, jobcenter)
    services.consent_change(
        actor=case_manager,
        consent=consent,
        recipients=[jobcenter],
        categories=["identity", "education_work"],
        purpose="Abstimmung der Vermittlung in einen Sprachkurs und in Arbeit",
        purposes=list(consent.purposes.all()),
        attest_signed_paper=True,
        form="written",
        valid_from=TODAY(),
        text_version="EW-2026-2",
    )
    assert not DependentFlag.objects.exists()  # the tasks are still covered
    newer = consent.superseded_by
    services.consent_change(
        actor=case_manager,
        consent=newer,
        recipients=[jobcenter],
        categories=["education_work"],
        purpose="Abstimmung der Vermittlung in einen Sprachkurs und in Arbeit",
        purposes=list(consent.purposes.all()),
        attest_signed_paper=True,
        form="written",
        valid_from=TODAY(),
        text_version="EW-2026-3",
    )
    assert DependentFlag.objects.filter(reason="narrowed", object_type="task").count() == 2


def test_the_daily_run_flags_what_relied_on_an_expired_consent_once(case_manager, case, jobcenter):
    consent = _consent(case_manager, case.person, [jobcenter])
    _two_jobcenter_tasks(case_manager, case, jobcenter)
    consent.valid_until = TODAY() - dt.timedelta(days=1)
    consent.save(update_fields=["valid_until"])

    assert flags.flag_expired_consents() == 2
    assert flags.flag_expired_consents() == 0
    assert set(DependentFlag.objects.values_list("reason", flat=True)) == {"expired"}
