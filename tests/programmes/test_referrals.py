from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase
from lotse.consent import services as consent_services
from lotse.consent.models import Consent, Transfer
from lotse.core.locking import EditConflict
from lotse.programmes import legal, selectors, services
from lotse.programmes.models import AbhReferral
from tests.factories import OrganisationFactory, purpose

PURPOSE = "Prüfung einer Aufenthaltserlaubnis nach § 25b AufenthG durch die ABH Kreis Lippe"


def _consent(region, person, **overrides):
    values = {
        "actor": region.coach,
        "person": person,
        "recipients": [region.abh],
        "categories": ["identity", "residence_status", "education_work"],
        "purpose": PURPOSE,
        "form": "written",
        "valid_from": timezone.localdate() - dt.timedelta(days=2),
        "text_version": "EW-2026-1",
        "purposes": [purpose(person.traeger, "weiterleitung-abh-bleiberecht")],
        "attest_signed_paper": True,
    }
    values.update(overrides)
    return consent_services.consent_record(**values)


@pytest.fixture
def referral(region):
    case = region.case()
    referral = services.referral_create(actor=region.coach, case=case, purpose="25b")
    referral.case = case
    return referral


@pytest.fixture
def consent(region, referral):
    return _consent(region, referral.case.person)


def _forward(region, referral, **overrides):
    fields = {
        "actor": region.coach,
        "referral": referral,
        "expected_version": referral.version,
        "authority": region.abh,
        "basis": "consent",
        "categories": ["identity", "residence_status"],
    }
    if "consent" not in overrides and overrides.get("basis", "consent") == "consent":
        fields["consent"] = (
            Consent.objects.filter(person=referral.case.person).order_by("-id").first()
        )
    fields.update(overrides)
    return services.referral_forward(**fields)


def test_a_draft_gets_the_checklist_of_its_purpose(region, referral):
    keys = [item.key for item in referral.items.all()]

    assert keys == [item.key for item in legal.check_items("25b")]
    assert {item.status for item in referral.items.all()} == {"unknown"}


def test_every_purpose_has_cited_prerequisites():
    for referral_purpose in AbhReferral.Purpose.values:
        items = legal.check_items(referral_purpose)
        assert items and all(("AufenthG" in i.source or "StAG" in i.source) for i in items)


def test_precheck_records_met_not_met_unknown_with_notes(region, referral):
    services.referral_precheck_update(
        actor=region.coach,
        referral=referral,
        expected_version=1,
        items={
            "german_a2": ("met", "telc A2 vom 03.03.2026"),
            "livelihood": ("not_met", "Minijob"),
        },
    )

    statuses = {i.key: (i.status, i.note) for i in referral.items.all()}
    assert statuses["german_a2"] == ("met", "telc A2 vom 03.03.2026")
    assert statuses["livelihood"] == ("not_met", "Minijob")
    assert statuses["identity"] == ("unknown", "")
    with pytest.raises(EditConflict):
        services.referral_precheck_update(
            actor=region.coach, referral=referral, expected_version=1, items={}
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"basis": ""}, "basis"),
        ({"consent": None}, "consent"),
        ({"categories": []}, "categories"),
        ({"authority": None}, "authority"),
        ({"forwarded_on": dt.date(2099, 1, 1)}, "forwarded_on"),
        # not covered: the consent lacks "family"
        ({"categories": ["identity", "family"]}, "consent"),
        # given after the forwarding (the consent counts from two days ago)
        ({"forwarded_on": "before the consent"}, "consent"),
    ],
)
def test_forwarding_without_a_legal_basis_is_refused(region, referral, consent, overrides, field):
    if overrides.get("forwarded_on") == "before the consent":
        overrides = {"forwarded_on": timezone.localdate() - dt.timedelta(days=5)}
    with pytest.raises(ValidationError) as error:
        _forward(region, referral, **overrides)

    assert field in error.value.message_dict
    referral.refresh_from_db()
    assert referral.state == "draft" and referral.transfer is None
    assert not AuditEntry.objects.filter(action="export").exists()
    assert not Transfer.objects.exists()


def test_a_withdrawn_consent_is_no_basis(region, referral, consent):
    consent_services.consent_withdraw(actor=region.coach, consent=consent)

    with pytest.raises(ValidationError) as error:
        _forward(region, referral, consent=consent)

    assert "consent" in error.value.message_dict
    assert not Transfer.objects.exists()


def test_a_consent_naming_another_recipient_or_person_is_no_basis(region, referral):
    other_recipient = _consent(region, referral.case.person, recipients=[region.netzwerk])
    other_person = _consent(region, region.person())

    for consent in (other_recipient, other_person):
        with pytest.raises(ValidationError) as error:
            _forward(region, referral, consent=consent)
        assert "consent" in error.value.message_dict
    assert not Transfer.objects.exists()


def test_the_form_offers_only_valid_consents_naming_an_authority(region, referral, consent):
    person = referral.case.person
    _consent(region, person, recipients=[region.netzwerk])
    withdrawn = _consent(region, person)
    consent_services.consent_withdraw(actor=region.coach, consent=withdrawn)
    _consent(region, region.person())

    assert list(selectors.forwarding_consents(referral.case)) == [consent]


def test_recipient_must_be_an_authority_of_the_traeger(region, referral):
    from tests.factories import OrganisationFactory

    with pytest.raises(ValidationError):
        _forward(region, referral, authority=region.netzwerk)
    with pytest.raises(ValidationError):
        _forward(region, referral, authority=OrganisationFactory(kind="authority"))


def test_forwarding_with_consent_is_journaled_and_audited_as_export(region, referral, consent):
    _forward(region, referral)

    referral.refresh_from_db()
    assert referral.state == "forwarded"
    assert referral.basis == "consent" and referral.consent == consent
    transfer = referral.transfer
    assert (transfer.recipient, transfer.consent, transfer.consent_version) == (
        region.abh,
        consent,
        1,
    )
    assert transfer.categories == ["identity", "residence_status"]
    assert transfer.basis == "consent" and transfer.person_id == referral.case.person_id
    entry = AuditEntry.objects.get(action="export")
    assert entry.object_type == "transfer" and entry.object_id == str(transfer.pk)
    assert entry.person_id == referral.case.person_id
    assert entry.categories == "identity,residence_status"
    assert f"consent:{consent.pk}v1" in entry.detail
    update = AuditEntry.objects.get(object_type="abh_referral", action="update")
    assert f"transfer:{transfer.pk}" in update.detail and consent.document_id in update.detail


def test_the_journal_names_the_consent_version_in_force(region, referral, consent):
    newer = consent_services.consent_change(
        actor=region.coach,
        consent=consent,
        recipients=[region.abh],
        categories=["identity", "residence_status"],
        purpose=PURPOSE,
        form="written",
        valid_from=timezone.localdate(),
        text_version="EW-2026-2",
        purposes=list(consent.purposes.all()),
        attest_signed_paper=True,
    )

    with pytest.raises(ValidationError):  # the superseded version is no basis any more
        _forward(region, referral, consent=consent)
    _forward(region, referral, consent=newer)

    referral.refresh_from_db()
    assert referral.transfer.consent_version == 2 and referral.consent == newer


def test_no_statute_replaces_the_consent_not_even_for_a_team_lead(region, referral, consent):
    """Issue 9: a team lead forwarded a naturalisation/§ 25b referral by typing "§ 71 SGB X"."""
    statute = {"basis": "statute", "statute": "§ 71 SGB X", "statute_reason": "Anfrage der ABH"}
    for actor in (region.coach, region.team_lead):
        with pytest.raises(ValidationError) as error:
            _forward(region, referral, actor=actor, **statute)
        assert error.value.message_dict["basis"] == [
            "Eine Weiterleitung an die Ausländer- oder Einbürgerungsbehörde (§ 25a/§ 25b "
            "AufenthG, Einbürgerung) braucht die Einwilligung der Person; eine "
            "Rechtsvorschrift ersetzt sie nicht."
        ]
    assert not Transfer.objects.exists()


def test_the_recipient_must_be_an_immigration_office_never_another_authority(
    region, referral, consent
):
    """Issue 9: a § 25b referral went to the Jobcenter under an unrelated Jobcenter consent."""
    jobcenter = OrganisationFactory(
        traeger=region.traeger, key="jobcenter", name="Jobcenter Lippe", kind="authority"
    )
    jobcenter_consent = _consent(region, referral.case.person, recipients=[jobcenter])
    assert jobcenter not in selectors.authorities(region.traeger.pk)
    with pytest.raises(ValidationError) as error:
        _forward(region, referral, authority=jobcenter, consent=jobcenter_consent)
    assert error.value.message_dict["authority"] == [
        "Jobcenter Lippe ist keine Ausländer- oder Einbürgerungsbehörde. Weitergeleitet wird "
        "nur an diese."
    ]
    assert not Transfer.objects.exists()


def test_the_consent_must_name_the_purpose_and_be_signed(region, referral):
    unsigned = _consent(
        region,
        referral.case.person,
        purposes=[purpose(region.traeger, "einbuergerung", "Einbürgerung")],
        attest_signed_paper=False,
    )
    with pytest.raises(ValidationError) as error:
        _forward(region, referral, consent=unsigned)
    reasons = error.value.message_dict["consent"]
    assert any("nennt den Zweck" in r and "Bleiberecht" in r.replace("Abh", "ABH") for r in reasons)
    assert any("weder ein unterschriebener Scan" in r for r in reasons)
    assert not Transfer.objects.exists()


def test_the_forwarding_is_journaled_with_its_flow(region, referral, consent):
    _forward(region, referral)
    transfer = Transfer.objects.get()
    assert (transfer.flow, transfer.subject_type, transfer.subject_id) == (
        "abh_referral",
        "abhreferral",
        referral.pk,
    )
    assert transfer.purpose_key == "weiterleitung-abh-bleiberecht"


def test_answer_flow_and_the_decision_stays_with_the_abh(region, referral, consent):
    with pytest.raises(ValidationError):  # not forwarded yet
        services.referral_answer(
            actor=region.coach,
            referral=referral,
            expected_version=1,
            answered_on=timezone.localdate(),
            missing_documents=[],
        )
    _forward(region, referral)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:  # a decision needs its date
        services.referral_answer(
            actor=region.coach,
            referral=referral,
            expected_version=referral.version,
            answered_on=today,
            missing_documents=[],
            decision="granted",
        )
    assert "decision_on" in error.value.message_dict

    services.referral_answer(
        actor=region.coach,
        referral=referral,
        expected_version=referral.version,
        answered_on=today,
        missing_documents=["Reisepass", " ", "Verdienstbescheinigungen der letzten 6 Monate"],
        next_steps="Termin zur Antragstellung vereinbaren",
        decision="granted",
        decision_on=today,
    )
    referral.refresh_from_db()
    assert referral.state == "answered"
    assert referral.missing_documents == [
        "Reisepass",
        "Verdienstbescheinigungen der letzten 6 Monate",
    ]

    services.referral_close(
        actor=region.coach, referral=referral, expected_version=referral.version
    )
    referral.refresh_from_db()
    assert referral.state == "closed" and referral.closed_on == today
    with pytest.raises(ValidationError):
        services.referral_close(
            actor=region.coach, referral=referral, expected_version=referral.version
        )


def test_forwarded_referral_cannot_be_closed_before_the_answer(region, referral, consent):
    _forward(region, referral)

    with pytest.raises(ValidationError):
        services.referral_close(
            actor=region.coach, referral=referral, expected_version=referral.version
        )


def test_closed_case_refuses_referrals(region):
    case = region.case(phase=Phase.CLOSED)

    with pytest.raises(ValidationError):
        services.referral_create(actor=region.coach, case=case, purpose="25a")
