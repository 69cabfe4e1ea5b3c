from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotse.audit.models import AuditEntry
from lotse.consent import services
from lotse.consent.models import Consent, ConsentStatus, Purpose, StatutoryBasis, Transfer
from lotse.consent.selectors import consent_versions
from tests.consent.conftest import PURPOSE, legal_basis_for
from tests.factories import purpose

TODAY = timezone.localdate


def test_record_consent_with_document_id_and_audit(make_consent, person):
    consent = make_consent(scan=SimpleUploadedFile("ew.pdf", b"%PDF-1.4 x"))
    assert consent.number == 1
    assert consent.document_id.startswith("EW-") and len(consent.document_id) == 12
    assert consent.scan.name.endswith(".pdf")
    assert consent.status() == ConsentStatus.VALID
    entry = AuditEntry.objects.get(object_type="consent", object_id=str(consent.pk))
    assert entry.action == "create" and entry.person_id == person.pk


def test_scan_of_a_wrong_type_is_rejected(make_consent):
    with pytest.raises(ValidationError) as error:
        make_consent(scan=SimpleUploadedFile("ew.exe", b"MZ"))
    assert "scan" in error.value.message_dict


def test_vague_purpose_is_rejected(make_consent):
    with pytest.raises(ValidationError) as error:
        make_consent(purpose="Beratung")
    assert "purpose" in error.value.message_dict
    assert not Consent.objects.exists()


def test_health_data_needs_the_written_form(make_consent):
    with pytest.raises(ValidationError) as error:
        make_consent(categories=["health"], form="electronic")
    assert "form" in error.value.message_dict
    assert make_consent(categories=["health"], form="written").categories == ["health"]


def test_recipient_of_another_traeger_is_rejected(make_consent):
    from tests.factories import OrganisationFactory

    with pytest.raises(ValidationError) as error:
        make_consent(recipients=[OrganisationFactory()])
    assert "recipients" in error.value.message_dict


def test_change_creates_a_new_version_and_never_edits_the_old(
    make_consent, case_manager, jobcenter, abh
):
    old = make_consent()
    before = Consent.objects.filter(pk=old.pk).values().get()
    new = services.consent_change(
        attest_signed_paper=True,
        purposes=list(Purpose.objects.filter(traeger=old.person.traeger)),
        actor=case_manager,
        consent=old,
        recipients=[jobcenter, abh],
        categories=["identity", "residence_status"],
        purpose=PURPOSE,
        form="written",
        valid_from=TODAY(),
        text_version="EW-2026-2",
    )
    assert new.pk != old.pk and new.supersedes_id == old.pk and new.number == 2
    assert new.document_id != old.document_id
    assert Consent.objects.filter(pk=old.pk).values().get() == before
    old.refresh_from_db()
    assert old.status() == ConsentStatus.SUPERSEDED
    assert [c.pk for c in consent_versions(old)] == [new.pk, old.pk]
    with pytest.raises(ValidationError):
        services.consent_change(
            attest_signed_paper=True,
            purposes=list(Purpose.objects.filter(traeger=old.person.traeger)),
            actor=case_manager,
            consent=old,
            recipients=[jobcenter],
            categories=["identity"],
            purpose=PURPOSE,
            form="written",
            valid_from=TODAY(),
            text_version="x",
        )


def test_superseded_version_is_no_legal_basis(make_consent, case_manager, person, jobcenter, abh):
    old = make_consent()
    services.consent_change(
        attest_signed_paper=True,
        purposes=list(Purpose.objects.filter(traeger=old.person.traeger)),
        actor=case_manager,
        consent=old,
        recipients=[abh],
        categories=["identity", "education_work"],
        purpose=PURPOSE,
        form="written",
        valid_from=TODAY(),
        text_version="EW-2026-2",
    )
    assert legal_basis_for(person=person, recipient=jobcenter, categories=["identity"]) is None
    found = legal_basis_for(person=person, recipient=abh, categories=["identity"])
    assert found is not None and found.number == 2


def test_withdrawal_takes_effect_at_once(make_consent, case_manager, person, jobcenter):
    consent = make_consent()
    assert legal_basis_for(person=person, recipient=jobcenter, categories=["identity"]) == consent
    services.consent_withdraw(actor=case_manager, consent=consent, note="mündlich widerrufen")
    assert legal_basis_for(person=person, recipient=jobcenter, categories=["identity"]) is None
    consent.refresh_from_db()
    assert consent.status() == ConsentStatus.WITHDRAWN
    assert consent.withdrawn_by == case_manager
    assert AuditEntry.objects.filter(object_type="consent", detail="withdrawn").count() == 1
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=case_manager, consent=consent)


def test_expiry(make_consent, person, jobcenter):
    make_consent(valid_from=TODAY() - dt.timedelta(days=100), valid_until=TODAY() - dt.timedelta(1))
    assert legal_basis_for(person=person, recipient=jobcenter, categories=["identity"]) is None
    earlier = TODAY() - dt.timedelta(days=5)
    assert legal_basis_for(person=person, recipient=jobcenter, categories=["identity"], on=earlier)


def test_basis_must_cover_all_categories_and_the_recipient(make_consent, person, jobcenter, abh):
    make_consent()
    assert legal_basis_for(
        person=person, recipient=jobcenter, categories=["identity", "education_work"]
    )
    assert (
        legal_basis_for(person=person, recipient=jobcenter, categories=["identity", "health"])
        is None
    )
    assert legal_basis_for(person=person, recipient=abh, categories=["identity"]) is None


def _transfer(actor, person, recipient, **fields):
    values = {
        "actor": actor,
        "person": person,
        "recipient": recipient,
        "categories": ["identity"],
        "purpose": "Anmeldung zum Sprachkurs",
        "purpose_key": "arbeitsmarktintegration",
        "basis": "consent",
        **fields,
    }
    return services.transfer_record(**values)


def test_transfer_with_consent_is_journaled_and_audited(
    make_consent, case_manager, person, jobcenter
):
    consent = make_consent()
    transfer = _transfer(case_manager, person, jobcenter, categories=["identity", "education_work"])
    assert transfer.consent == consent and transfer.consent_version == 1
    entry = AuditEntry.objects.get(object_type="transfer")
    assert entry.action == "export"
    assert entry.categories == "identity,education_work"
    assert entry.person_id == person.pk


def test_transfer_refused_without_basis(case_manager, person, jobcenter):
    with pytest.raises(ValidationError) as error:
        _transfer(case_manager, person, jobcenter)
    assert "consent" in error.value.message_dict
    assert not Transfer.objects.exists()
    assert not AuditEntry.objects.filter(object_type="transfer").exists()


def test_transfer_refused_when_consent_lacks_category_or_recipient(
    make_consent, case_manager, person, jobcenter, abh
):
    make_consent()
    with pytest.raises(ValidationError):
        _transfer(case_manager, person, jobcenter, categories=["identity", "health"])
    with pytest.raises(ValidationError):
        _transfer(case_manager, person, abh)
    assert not Transfer.objects.exists()


def test_transfer_refused_when_consent_given_after_the_transfer(
    make_consent, case_manager, person, jobcenter
):
    consent = make_consent(valid_from=TODAY())
    before = timezone.now() - dt.timedelta(days=3)
    with pytest.raises(ValidationError):
        _transfer(case_manager, person, jobcenter, transferred_at=before)
    with pytest.raises(ValidationError):
        _transfer(case_manager, person, jobcenter, transferred_at=before, consent=consent)


def test_transfer_refused_after_withdrawal(make_consent, case_manager, person, jobcenter):
    consent = make_consent()
    services.consent_withdraw(actor=case_manager, consent=consent)
    with pytest.raises(ValidationError):
        _transfer(case_manager, person, jobcenter, consent=consent)


def _statute(traeger, *, kinds=("authority",), purposes=("arbeitsmarktintegration",)):
    statute = StatutoryBasis.objects.create(
        traeger=traeger,
        key="sgb-x-71",
        citation="§ 71 Abs. 2 SGB X",
        allowed_roles=["team_lead"],
        allowed_recipient_kinds=list(kinds),
    )
    statute.purposes.set([purpose(traeger, key) for key in purposes])
    return statute


def test_statute_basis_only_for_team_leads_within_its_scope(
    case_manager, team_lead, person, jobcenter
):
    statute = _statute(person.traeger, kinds=[jobcenter.kind])
    values = {"basis": "statute", "statutory_basis": statute, "reason": "Anfrage"}
    with pytest.raises(ValidationError) as error:
        _transfer(case_manager, person, jobcenter, **values)
    assert error.value.message_dict["statutory_basis"] == [
        "Ihre Rolle darf § 71 Abs. 2 SGB X nicht als Rechtsgrundlage nennen."
    ]
    transfer = _transfer(team_lead, person, jobcenter, **values)
    assert transfer.basis == "statute" and transfer.consent is None
    assert transfer.statutory_basis == statute and transfer.statute == "§ 71 Abs. 2 SGB X"
    assert transfer.flow == "manual"
    with pytest.raises(ValidationError) as error:
        _transfer(team_lead, person, jobcenter, basis="statute", statutory_basis=statute)
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _transfer(team_lead, person, jobcenter, basis="statute", reason="x")
    assert "statutory_basis" in error.value.message_dict


def test_statute_refused_for_another_purpose_or_recipient_kind(team_lead, person, jobcenter):
    statute = _statute(person.traeger, kinds=["education"])
    purpose(person.traeger, "gesundheit", "Gesundheit")
    with pytest.raises(ValidationError) as error:
        _transfer(
            team_lead,
            person,
            jobcenter,
            basis="statute",
            statutory_basis=statute,
            reason="x",
            purpose_key="gesundheit",
        )
    messages = error.value.message_dict["statutory_basis"]
    assert any("erlaubt keine Übermittlung an Jobcenter Lippe" in m for m in messages)
    assert "§ 71 Abs. 2 SGB X deckt den Zweck „Gesundheit“ nicht." in messages


def test_youth_welfare_data_never_by_statute(make_consent, team_lead, person, jobcenter):
    statute = _statute(person.traeger, kinds=[jobcenter.kind])
    values = {"basis": "statute", "statutory_basis": statute, "reason": "Hilfeplan"}
    with pytest.raises(ValidationError) as error:
        _transfer(team_lead, person, jobcenter, categories=["youth_welfare"], **values)
    assert any("§ 65 SGB VIII" in m for m in error.value.message_dict["statutory_basis"])
    make_consent(categories=["youth_welfare"])
    assert _transfer(team_lead, person, jobcenter, categories=["youth_welfare"]).consent


def test_transfer_to_own_team_is_no_transfer(make_consent, case_manager, person, organisation):
    with pytest.raises(ValidationError) as error:
        _transfer(case_manager, person, organisation)
    assert error.value.message_dict["consent"] == [
        "Das ist keine Übermittlung nach außerhalb des Fallteams."
    ]


def test_other_roles_may_not_record(person, jobcenter, traeger, organisation):
    from django.core.exceptions import PermissionDenied

    from lotse.accounts.models import Role
    from tests.factories import UserFactory

    coordinator = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.COORDINATION])
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=coordinator,
            person=person,
            recipients=[jobcenter],
            categories=["identity"],
            purpose=PURPOSE,
            form="written",
            valid_from=TODAY(),
            text_version="1",
        )
