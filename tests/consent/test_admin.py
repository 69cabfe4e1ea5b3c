"""The administration keeps the details of the information sheet in the admin, per Träger."""

from __future__ import annotations

from django.urls import reverse

from lotse.accounts.models import Role
from lotse.consent.models import LDI_NRW, PrivacyNoticeSettings
from lotse.consent.selectors import notice_parties
from tests.factories import TraegerFactory, UserFactory


def test_administration_adds_the_settings_for_its_own_traeger(client, traeger, organisation):
    admin = UserFactory(
        traeger=traeger, organisation=organisation, is_staff=True, roles=[Role.ADMINISTRATION]
    )
    other = TraegerFactory(slug="kreis-anders", name="Kreis Anders")
    PrivacyNoticeSettings.objects.create(
        traeger=other, controller_name="Kreis Anders", controller_address="x", dpo_contact="y"
    )
    client.force_login(admin)
    url = reverse("admin:consent_privacynoticesettings_add")
    form = client.get(url).content.decode()
    assert 'name="traeger"' not in form and LDI_NRW in form

    response = client.post(
        url,
        {
            "controller_name": "Kreis Test – KI",
            "controller_address": "Markt 1\n32756 Detmold",
            "controller_contact": "05231 1",
            "dpo_name": "D. Schutz",
            "dpo_contact": "datenschutz@example.org",
            "supervisory_authority": LDI_NRW,
            "retention_years": 4,
        },
    )

    assert response.status_code == 302
    parties = notice_parties(traeger)
    assert parties.configured and parties.controller_name == "Kreis Test – KI"
    assert parties.retention_years == 4
    changelist = client.get(reverse("admin:consent_privacynoticesettings_changelist"))
    assert "Kreis Anders" not in changelist.content.decode()


def test_case_management_cannot_open_the_settings(client, case_manager):
    case_manager.is_staff = True
    case_manager.save()
    client.force_login(case_manager)

    response = client.get(reverse("admin:consent_privacynoticesettings_changelist"))

    assert response.status_code in (302, 403)
