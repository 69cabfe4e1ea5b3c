from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.consent import services as consent_services
from lotse.consent.models import Transfer
from lotse.programmes import services
from lotse.programmes.models import AbhReferral, BudgetEntry, Participation
from tests.factories import UserFactory, purpose
from tests.programmes.conftest import INTAKE


@pytest.fixture
def api(region):
    client = APIClient()
    client.force_login(region.coach)
    return client


@pytest.fixture
def teilhabe_case(region):
    case = region.case()
    services.participation_start(actor=region.coach, case=case, intake_date=INTAKE)
    return case


def test_eligibility_page_shows_result_and_provider_then_opens_the_case(client, region):
    person = region.person()
    client.force_login(region.coach)
    url = reverse("programmes:eligibility", args=[person.pk])

    page = client.get(url, {"programme": region.programme.pk, "intake_date": "2026-10-01"})

    assert page.status_code == 200
    assert page.context["result"].eligible
    assert page.context["result"].provider == region.kreis
    assert 'data-criterion="age" data-met="yes"' in page.content.decode()

    opened = client.post(url, {"programme": region.programme.pk, "intake_date": "2026-10-01"})

    participation = Participation.objects.get(case__person=person)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("programmes:participation", args=[participation.case_id])


def test_eligibility_page_refuses_to_open_for_barntrup(client, region):
    person = region.person(municipality=region.barntrup)
    client.force_login(region.coach)

    response = client.post(
        reverse("programmes:eligibility", args=[person.pk]),
        {"programme": region.programme.pk, "intake_date": "2026-10-01"},
    )

    assert response.status_code == 422
    assert not Participation.objects.exists()


def test_participation_page_queries_do_not_grow(
    client, region, teilhabe_case, django_assert_max_num_queries
):
    client.force_login(region.coach)
    url = reverse("programmes:participation", args=[teilhabe_case.pk])
    services.assignment_add(
        actor=region.coach, case=teilhabe_case, module=region.modules[1], starts_on=INTAKE
    )
    client.get(url)

    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for n in range(2, 5):
        services.assignment_add(
            actor=region.coach, case=teilhabe_case, module=region.modules[n], starts_on=INTAKE
        )
        services.budget_entry_add(
            actor=region.coach,
            case=teilhabe_case,
            module=region.modules[n],
            kind="commitment",
            cost_type="travel",
            amount_cents=100,
            booked_on=dt.date(2026, 10, 2),
            purpose="Fahrt",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_overview_shows_no_client_names_and_hides_coach_names_for_coordination(
    client, region, teilhabe_case
):
    services.assignment_add(
        actor=region.coach, case=teilhabe_case, module=region.modules[1], starts_on=INTAKE
    )
    coordination = UserFactory(
        traeger=region.traeger, organisation=region.kreis, roles=[Role.COORDINATION]
    )
    url = reverse("programmes:overview")

    client.force_login(region.team_lead)
    lead_view = client.get(url).content.decode()
    client.force_login(coordination)
    coord_view = client.get(url).content.decode()

    person = teilhabe_case.person
    for body in (lead_view, coord_view):
        assert person.last_name not in body
    assert region.coach.last_name in lead_view
    assert region.coach.last_name not in coord_view
    client.force_login(region.coach)
    assert client.get(url).status_code == 403


def test_budget_page_sets_a_budget_in_cents(client, region):
    client.force_login(region.team_lead)

    response = client.post(
        reverse("programmes:budgets"),
        {
            "module": region.modules[1].pk,
            "year": 2027,
            "amount": "450000,50",
            "warning_percent": 85,
        },
    )

    assert response.status_code == 302
    budget = region.modules[1].budgets.get(year=2027)
    assert (budget.amount_cents, budget.warning_percent) == (45_000_050, 85)


def _abh_consent(region, person, **overrides):
    values = {
        "actor": region.coach,
        "person": person,
        "recipients": [region.abh],
        "categories": ["identity", "residence_status"],
        "purpose": "Prüfung der Einbürgerung durch die ABH Kreis Lippe (§ 10 StAG)",
        "form": "written",
        "valid_from": timezone.localdate() - dt.timedelta(days=1),
        "text_version": "EW-2026-1",
        "purposes": [purpose(person.traeger, "weiterleitung-abh-bleiberecht")],
        "attest_signed_paper": True,
        **overrides,
    }
    return consent_services.consent_record(**values)


def test_html_forward_offers_the_consents_and_journals_the_transfer(client, region):
    case = region.case()
    referral = services.referral_create(actor=region.coach, case=case, purpose="25b")
    consent = _abh_consent(region, case.person)
    other = _abh_consent(region, case.person, recipients=[region.netzwerk])
    client.force_login(region.coach)
    url = reverse("programmes:referral_forward", args=[case.pk, referral.pk])

    page = client.get(url)
    assert consent.document_id in page.content.decode()
    assert other.document_id not in page.content.decode()
    uncovered = client.post(
        url,
        {
            "version": 1,
            "authority": region.abh.pk,
            "categories": ["identity", "family"],
            "basis": "consent",
            "consent": consent.pk,
        },
    )
    assert uncovered.status_code == 422 and not Transfer.objects.exists()
    response = client.post(
        url,
        {
            "version": 1,
            "authority": region.abh.pk,
            "categories": ["identity", "residence_status"],
            "basis": "consent",
            "consent": consent.pk,
        },
    )

    assert response.status_code == 302
    transfer = Transfer.objects.get(person=case.person)
    assert (transfer.consent, transfer.consent_version, transfer.recipient) == (
        consent,
        1,
        region.abh,
    )
    detail = client.get(response["Location"]).content.decode()
    assert consent.document_id in detail
    journal = client.get(reverse("consent:transfers", args=[case.person.pk])).content.decode()
    assert consent.document_id in journal


def test_html_forward_without_basis_is_422_and_nothing_exported(client, region):
    case = region.case()
    referral = services.referral_create(actor=region.coach, case=case, purpose="25a")
    client.force_login(region.coach)

    response = client.post(
        reverse("programmes:referral_forward", args=[case.pk, referral.pk]),
        {"version": 1, "authority": region.abh.pk, "categories": ["identity"]},
    )

    assert response.status_code == 422
    referral.refresh_from_db()
    assert referral.state == "draft"
    assert not AuditEntry.objects.filter(action="export").exists()


def test_other_team_and_other_traeger_get_404(region, teilhabe_case):
    referral = services.referral_create(actor=region.coach, case=teilhabe_case, purpose="25b")
    other_team = UserFactory(
        traeger=region.traeger, organisation=region.netzwerk, roles=[Role.CASE_MANAGEMENT]
    )
    other_traeger = UserFactory(roles=[Role.CASE_MANAGEMENT])
    urls = [
        reverse("programmes:participation", args=[teilhabe_case.pk]),
        reverse("programmes:budget_entry_add", args=[teilhabe_case.pk]),
        reverse("programmes:referral_detail", args=[teilhabe_case.pk, referral.pk]),
        reverse("api:case-participation-costs", args=[teilhabe_case.pk]),
        reverse("api:abh-referral-detail", args=[teilhabe_case.pk, referral.pk]),
    ]
    for user in (other_team, other_traeger):
        client = APIClient()
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url


def test_referral_of_another_case_is_404_even_in_the_same_team(region, api):
    case_a, case_b = region.case(), region.case()
    referral = services.referral_create(actor=region.coach, case=case_a, purpose="25b")

    assert (
        api.get(reverse("api:abh-referral-detail", args=[case_b.pk, referral.pk])).status_code
        == 404
    )


def test_api_eligibility(region, api):
    person = region.person(born=dt.date(1998, 10, 1))

    response = api.get(
        reverse("api:person-programme-eligibility", args=[person.pk]),
        {"programme": region.programme.pk, "intake_date": "2026-10-01"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["eligible"] is False
    assert [c["met"] for c in body["criteria"]] == [False, True, True]
    assert body["provider"] == region.kreis.pk


def test_api_eligibility_refuses_a_foreign_programme(region, api):
    from tests.factories import ProgrammeFactory

    foreign = ProgrammeFactory()
    response = api.get(
        reverse("api:person-programme-eligibility", args=[region.person().pk]),
        {"programme": foreign.pk, "intake_date": "2026-10-01"},
    )

    assert response.status_code == 400


def test_api_participation_modules_and_costs(region, api):
    case = region.case()
    base = reverse("api:case-participation", args=[case.pk])
    assert api.get(base).json()["participation"] is None

    started = api.post(base, {"intake_date": "2026-10-01"}, format="json")
    assert started.status_code == 201
    assert started.json()["participation"]["provider"] == region.kreis.pk

    assigned = api.post(
        reverse("api:case-participation-modules", args=[case.pk]),
        {"module": region.modules[1].pk, "starts_on": "2026-10-01"},
        format="json",
    )
    assert assigned.status_code == 201
    assert assigned.json()["coach"] == region.coach.pk and assigned.json()["over_ratio"] is False

    costs = reverse("api:case-participation-costs", args=[case.pk])
    entry = {
        "module": region.modules[4].pk,
        "kind": "commitment",
        "cost_type": "childcare",
        "amount_cents": 95_000,
        "booked_on": "2026-10-05",
        "purpose": "Kinderbetreuung Kurs",
    }
    first = api.post(costs, entry, format="json")
    assert first.status_code == 201 and first.json()["budget"]["warning"] is True
    refused = api.post(costs, {**entry, "amount_cents": 6_000}, format="json")
    assert refused.status_code == 400 and "amount" in refused.json()
    assert BudgetEntry.objects.count() == 1
    assert [e["amount_cents"] for e in api.get(costs).json()] == [95_000]


def test_api_referral_flow(region, api):
    case = region.case()
    listing = reverse("api:abh-referral-list", args=[case.pk])
    created = api.post(listing, {"purpose": "stag10"}, format="json").json()
    assert created["state"] == "draft" and created["items"][0]["key"] == "residence_years"
    detail = reverse("api:abh-referral-detail", args=[case.pk, created["id"]])

    patched = api.patch(
        detail,
        {"version": 1, "items": [{"key": "german_b1", "status": "met", "note": "DTZ B1"}]},
        format="json",
    )
    assert patched.status_code == 200
    assert api.patch(detail, {"version": 1, "items": []}, format="json").status_code == 409

    forward = reverse("api:abh-referral-forward", args=[case.pk, created["id"]])
    refused = api.post(
        forward,
        {"version": 2, "authority": region.abh.pk, "categories": ["identity"]},
        format="json",
    )
    assert refused.status_code == 400 and "basis" in refused.json()
    today = timezone.localdate().isoformat()
    consent = _abh_consent(
        region, case.person, purposes=[purpose(case.person.traeger, "einbuergerung")]
    )
    ok = api.post(
        forward,
        {
            "version": 2,
            "authority": region.abh.pk,
            "categories": ["identity", "residence_status"],
            "basis": "consent",
            "consent": consent.pk,
        },
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == "forwarded"
    assert ok.json()["consent"] == consent.pk and ok.json()["consent_version"] == 1
    assert ok.json()["transfer"] == Transfer.objects.get(person=case.person).pk
    assert AuditEntry.objects.get(action="export").channel == "api"

    answered = api.post(
        reverse("api:abh-referral-answer", args=[case.pk, created["id"]]),
        {
            "version": 3,
            "answered_on": today,
            "missing_documents": ["Einbürgerungstest"],
            "next_steps": "Test ablegen",
        },
        format="json",
    )
    assert answered.json()["state"] == "answered" and answered.json()["decision"] == ""
    closed = api.post(
        reverse("api:abh-referral-close", args=[case.pk, created["id"]]),
        {"version": 4},
        format="json",
    )
    assert closed.json()["state"] == AbhReferral.State.CLOSED


def test_api_referral_list_query_count_is_flat(region, api, django_assert_max_num_queries):
    case = region.case()
    url = reverse("api:abh-referral-list", args=[case.pk])
    services.referral_create(actor=region.coach, case=case, purpose="25a")
    api.get(url)
    with django_assert_max_num_queries(20) as few:
        api.get(url)
    for referral_purpose in ("25b", "stag10", "25a"):
        services.referral_create(actor=region.coach, case=case, purpose=referral_purpose)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(url).json()) == 4


@pytest.mark.parametrize(
    ("typed", "cents"), [("1.200,50", 120_050), ("1 200,50 €", 120_050), ("1200", 120_000)]
)
def test_budget_amounts_in_german_notation(client, region, typed, cents):
    client.force_login(region.team_lead)

    response = client.post(
        reverse("programmes:budgets"),
        {"module": region.modules[1].pk, "year": 2027, "amount": typed, "warning_percent": 85},
    )

    assert response.status_code == 302
    assert region.modules[1].budgets.get(year=2027).amount_cents == cents


def test_a_budget_in_english_notation_is_refused_at_the_field(client, region):
    client.force_login(region.team_lead)

    response = client.post(
        reverse("programmes:budgets"),
        {"module": region.modules[1].pk, "year": 2027, "amount": "1,200.50", "warning_percent": 85},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["amount"] == [
        "Bitte den Betrag im deutschen Format eingeben, z. B. 1.200,50 (Komma vor den Cent)."
    ]
    assert not region.modules[1].budgets.filter(year=2027).exists()
