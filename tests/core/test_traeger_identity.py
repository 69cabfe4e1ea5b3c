"""The page frame names the signed-in user's Träger, not one installation-wide operator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lotse.consent.models import PrivacyNoticeSettings
from lotse.privacy.export import build_export
from tests.factories import CaseFactory, OrganisationFactory, TraegerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dortmund():
    return TraegerFactory(
        slug="stadt-dortmund",
        name="Stadt Dortmund",
        kind="kreisfreie_stadt",
        operator_name="Stadt Dortmund – Kommunales Integrationszentrum",
        brand_colour="#B3001B",
    )


def _user_of(traeger):
    return UserFactory(traeger=traeger, organisation=OrganisationFactory(traeger=traeger))


def test_signed_in_pages_name_the_users_traeger_and_its_colour(client, dortmund, settings):
    client.force_login(_user_of(dortmund))
    page = client.get(reverse("start")).content.decode()
    assert "Stadt Dortmund – Kommunales Integrationszentrum" in page
    assert settings.LOTSE_OPERATOR_NAME not in page
    assert "– Lotse – Stadt Dortmund</title>" in page
    css_url = reverse("brand_css", kwargs={"colour": "b3001b"})
    assert f'<link rel="stylesheet" href="{css_url}">' in page

    statement = client.get(reverse("accessibility")).content.decode()
    assert "betrieben von Stadt Dortmund – Kommunales Integrationszentrum." in statement


def test_another_traeger_sees_its_own_name_and_no_colour(client, dortmund, traeger):
    client.force_login(_user_of(traeger))
    page = client.get(reverse("start")).content.decode()
    assert "Dortmund" not in page
    assert f"– Lotse – {traeger.name}</title>" in page
    footer = page.split('<footer class="lotse-footer">', 1)[1]
    assert traeger.name in footer
    assert "/design/farbe/" not in page


def test_public_pages_name_the_installation_operator(client, dortmund, settings):
    settings.LOTSE_OPERATOR_NAME = "Rechenzentrum Beispiel – Lotse-Betrieb"
    page = client.get(reverse("login")).content.decode()
    assert "Rechenzentrum Beispiel – Lotse-Betrieb" in page
    assert "Dortmund" not in page
    assert "– Lotse</title>" in page


def test_the_colour_stylesheet(client):
    response = client.get(reverse("brand_css", kwargs={"colour": "b3001b"}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "#b3001b" in response.content.decode()
    assert client.get("/design/farbe/b3001b;x.css").status_code == 404
    assert client.get("/design/farbe/red.css").status_code == 404


def test_the_art15_export_names_the_configured_controller(dortmund):
    case = CaseFactory(traeger=dortmund)
    assert build_export(case.person).controller == "Stadt Dortmund"
    PrivacyNoticeSettings.objects.create(
        traeger=dortmund,
        controller_name="Stadt Dortmund – Der Oberbürgermeister",
        controller_address="Friedensplatz 1, 44135 Dortmund",
    )
    assert build_export(case.person).controller == "Stadt Dortmund – Der Oberbürgermeister"
