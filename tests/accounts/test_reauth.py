"""Re-authentication before sensitive actions (lotse.accounts.reauth)."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from lotse.accounts.mfa import SESSION_AUTH_AT
from lotse.accounts.models import LoginFailure
from lotse.consent.models import Transfer
from tests.auth import code_for, totp_device
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
PASSWORD = "demo-password-123"


def _age_the_sign_in(client, minutes=11):
    session = client.session
    session[SESSION_AUTH_AT] = int(time.time()) - minutes * 60
    session.save()


@pytest.fixture
def stale(client, case_manager):
    client.force_login(case_manager)
    _age_the_sign_in(client)
    return client


def test_a_recent_sign_in_exports_directly(client, case_manager):
    client.force_login(case_manager)
    _age_the_sign_in(client, minutes=9)
    assert client.get(reverse("spreadsheets:export_cases")).status_code == 200


def test_a_stale_sign_in_is_sent_to_the_confirmation(stale):
    url = reverse("spreadsheets:export_persons") + "?q=Neu"
    response = stale.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("reauth") + "?next=%2Fexport%2Fpersonen.xlsx%3Fq%3DNeu"


def test_confirming_with_password_and_code_returns_to_next(stale, case_manager):
    device = totp_device(case_manager)
    url = reverse("spreadsheets:export_cases")
    page = stale.get(reverse("reauth"), {"next": url})
    assert page.status_code == 200 and "code" in page.context["form"].fields

    response = stale.post(
        reverse("reauth"), {"password": PASSWORD, "code": code_for(device), "next": url}
    )

    assert response.status_code == 302 and response["Location"] == url
    assert stale.get(url).status_code == 200


def test_without_an_app_the_password_is_enough(stale, case_manager):
    page = stale.get(reverse("reauth"))
    assert "code" not in page.context["form"].fields
    url = reverse("spreadsheets:export_cases")
    response = stale.post(reverse("reauth"), {"password": PASSWORD, "next": url})
    assert response.status_code == 302 and response["Location"] == url


def test_wrong_password_or_code_is_refused_and_counted(stale, case_manager):
    device = totp_device(case_manager)
    url = reverse("spreadsheets:export_cases")
    wrong_password = stale.post(
        reverse("reauth"), {"password": "falsch", "code": code_for(device), "next": url}
    )
    assert wrong_password.status_code == 422
    assert "password" in wrong_password.context["form"].errors
    wrong = str((int(code_for(device)) + 500_000) % 1_000_000).zfill(6)
    wrong_code = stale.post(reverse("reauth"), {"password": PASSWORD, "code": wrong, "next": url})
    assert wrong_code.status_code == 422
    assert "code" in wrong_code.context["form"].errors
    assert LoginFailure.objects.filter(username="cm").count() == 2
    assert stale.get(url).status_code == 302


def test_locked_out_users_cannot_confirm(stale, settings):
    settings.LOTSE_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        stale.post(reverse("reauth"), {"password": "falsch"})
    response = stale.post(reverse("reauth"), {"password": PASSWORD})
    assert response.status_code == 422
    assert response.context["form"].non_field_errors()


def test_next_outside_the_site_is_ignored(stale):
    response = stale.post(
        reverse("reauth"), {"password": PASSWORD, "next": "https://evil.example/x"}
    )
    assert response["Location"] == reverse("start")


def test_a_stale_statute_transfer_is_not_recorded_and_the_entries_come_back(client, traeger):
    from tests.factories import UserFactory

    team_lead = UserFactory(username="teamlead", traeger=traeger, roles=["team_lead"])
    person = PersonFactory(traeger=traeger, organisation=team_lead.organisation)
    from lotse.consent.models import StatutoryBasis
    from tests.factories import purpose

    abh = OrganisationFactory(
        traeger=traeger, key="abh", name="Ausländerbehörde", kind="immigration_office"
    )
    statute = StatutoryBasis.objects.create(
        traeger=traeger,
        key="sgb-x-71-2",
        citation="§ 71 Abs. 2 SGB X",
        allowed_roles=["team_lead"],
        allowed_recipient_kinds=["immigration_office"],
    )
    statute.purposes.set([purpose(traeger, "mitteilung-abh")])
    client.force_login(team_lead)
    _age_the_sign_in(client)
    url = reverse("consent:transfer_create", args=[person.pk])
    form = {
        "recipient": abh.pk,
        "categories": ["identity", "residence_status"],
        "purpose": "Mitteilung an die Ausländerbehörde",
        "purpose_key": "mitteilung-abh",
        "basis": "statute",
        "statutory_basis": str(statute.pk),
        "reason": "Anfrage der ABH vom 3. März",
    }
    assert client.get(url).status_code == 200  # the form itself needs no confirmation

    refused = client.post(url, form)

    assert refused.status_code == 403
    assert not Transfer.objects.exists()
    text = refused.content.decode()
    assert f'name="carried:statutory_basis" value="{statute.pk}"' in text
    assert 'name="carried:categories" value="residence_status"' in text
    assert "csrfmiddlewaretoken" not in [n for n, _v in refused.context["carried"]]

    carried = {f"carried:{key}": value for key, value in form.items()}
    confirmed = client.post(reverse("reauth"), {"password": PASSWORD, "next": url, **carried})

    assert confirmed.status_code == 200  # one click sends the entries again
    page = confirmed.content.decode()
    assert f'action="{url}"' in page
    assert f'name="statutory_basis" value="{statute.pk}"' in page
    assert client.post(url, form).status_code == 302
    assert Transfer.objects.get().statute == "§ 71 Abs. 2 SGB X"


def test_only_the_sensitive_part_of_a_form_asks_for_confirmation():
    from django.test import RequestFactory

    from lotse.accounts.reauth import when_posted

    statute = when_posted("basis", "statute")
    factory = RequestFactory()
    assert statute(factory.post("/", {"basis": "statute"}))
    assert not statute(factory.post("/", {"basis": "consent"}))
    assert not statute(factory.get("/", {"basis": "statute"}))
    override = when_posted("override_reason")
    assert override(factory.post("/", {"override_reason": "Sonderfall"}))
    assert not override(factory.post("/", {"override_reason": "  "}))


def _templates(response) -> set[str]:
    return {template.name for template in response.templates if template.name}


def test_overrides_are_wired_to_the_confirmation(stale, case):
    referral = reverse("offers:referral_create", args=[case.pk])
    budget = reverse("programmes:budget_entry_add", args=[case.pk])
    for url in (referral, budget):
        response = stale.post(url, {"override_reason": "Sonderfall laut Teamleitung"})
        assert response.status_code == 403, url
        assert "accounts/reauth.html" in _templates(response)
    # Without an override the form is processed as usual (here: invalid, no confirmation).
    plain = stale.post(referral, {"override_reason": ""})
    assert "accounts/reauth.html" not in _templates(plain)
    assert stale.get(referral).status_code == 200
