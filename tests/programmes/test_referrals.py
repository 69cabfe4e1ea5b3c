from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase
from lotse.core.locking import EditConflict
from lotse.programmes import legal, services
from lotse.programmes.models import AbhReferral


@pytest.fixture
def referral(region):
    case = region.case()
    referral = services.referral_create(actor=region.coach, case=case, purpose="25b")
    referral.case = case
    return referral


def _forward(region, referral, **overrides):
    today = timezone.localdate()
    fields = {
        "actor": region.coach,
        "referral": referral,
        "expected_version": referral.version,
        "authority": region.abh,
        "basis": "consent",
        "categories": ["identity", "residence_status"],
        "consent_given_on": today - dt.timedelta(days=2),
        "consent_form_reference": "EW-2026-0042",
        "consent_scope": "ABH Kreis Lippe: Identität, Aufenthaltsstatus; Prüfung § 25b",
    }
    fields.update(overrides)
    return services.referral_forward(**fields)


def test_a_draft_gets_the_checklist_of_its_purpose(region, referral):
    keys = [item.key for item in referral.items.all()]

    assert keys == [item.key for item in legal.check_items("25b")]
    assert {item.status for item in referral.items.all()} == {"unknown"}


def test_every_purpose_has_cited_prerequisites():
    for purpose in AbhReferral.Purpose.values:
        items = legal.check_items(purpose)
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
        ({"consent_given_on": None}, "consent_given_on"),
        ({"consent_form_reference": ""}, "consent_form_reference"),
        ({"consent_scope": " "}, "consent_scope"),
        ({"consent_given_on": dt.date(2099, 1, 1)}, "consent_given_on"),
        ({"categories": []}, "categories"),
        ({"authority": None}, "authority"),
    ],
)
def test_forwarding_without_a_legal_basis_is_refused(region, referral, overrides, field):
    with pytest.raises(ValidationError) as error:
        _forward(region, referral, **overrides)

    assert field in error.value.message_dict
    referral.refresh_from_db()
    assert referral.state == "draft"
    assert not AuditEntry.objects.filter(action="export").exists()


def test_recipient_must_be_an_authority_of_the_traeger(region, referral):
    from tests.factories import OrganisationFactory

    with pytest.raises(ValidationError):
        _forward(region, referral, authority=region.netzwerk)
    with pytest.raises(ValidationError):
        _forward(region, referral, authority=OrganisationFactory(kind="authority"))


def test_forwarding_with_consent_is_recorded_and_audited_as_export(region, referral):
    _forward(region, referral)

    referral.refresh_from_db()
    assert referral.state == "forwarded"
    assert referral.basis == "consent" and referral.consent_form_reference == "EW-2026-0042"
    entry = AuditEntry.objects.get(action="export")
    assert entry.object_type == "abh_referral"
    assert entry.person_id == referral.case.person_id
    assert entry.categories == "identity,residence_status"
    assert "abh" in entry.detail and "consent" in entry.detail


def test_a_statute_needs_a_team_lead_and_a_reason(region, referral):
    statute = {
        "basis": "statute",
        "statute": "§ 71 Abs. 2 SGB X",
        "statute_reason": "Auskunft an ABH",
    }
    with pytest.raises(ValidationError) as error:
        _forward(region, referral, **statute)
    assert "basis" in error.value.message_dict
    with pytest.raises(ValidationError):
        _forward(region, referral, actor=region.team_lead, **{**statute, "statute_reason": ""})

    _forward(region, referral, actor=region.team_lead, **statute)

    referral.refresh_from_db()
    assert referral.basis == "statute" and referral.consent_form_reference == ""
    assert AuditEntry.objects.filter(action="export", username=region.team_lead.username).exists()


def test_answer_flow_and_the_decision_stays_with_the_abh(region, referral):
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


def test_forwarded_referral_cannot_be_closed_before_the_answer(region, referral):
    _forward(region, referral)

    with pytest.raises(ValidationError):
        services.referral_close(
            actor=region.coach, referral=referral, expected_version=referral.version
        )


def test_closed_case_refuses_referrals(region):
    case = region.case(phase=Phase.CLOSED)

    with pytest.raises(ValidationError):
        services.referral_create(actor=region.coach, case=case, purpose="25a")
