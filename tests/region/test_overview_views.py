from __future__ import annotations

import pytest
from django.urls import reverse

from lotse.accounts.models import Role
from tests.factories import (
    CaseFactory,
    CaseManagementPostFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SozialraumFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_region_overview_of_its_own_traeger(
    client, traeger, organisation, role
):
    sozialraum = SozialraumFactory(traeger=traeger, name="Regionalbüro Blomberg")
    MunicipalityFactory(traeger=traeger, name="Lügde", sozialraum=sozialraum)
    post = CaseManagementPostFactory(
        traeger=traeger, organisation=organisation, sozialraum=sozialraum, name="CM Blomberg"
    )
    CaseFactory(traeger=traeger, organisation=organisation, post=post)
    OrganisationFactory(name="Fremde Behörde")  # another Träger
    client.force_login(UserFactory(traeger=traeger, organisation=organisation, roles=[role]))
    structure = client.get(reverse("directory:structure"))
    assert structure.status_code == 200
    content = structure.content.decode()
    assert "Regionalbüro Blomberg" in content and "Lügde" in content and "CM Blomberg" in content
    assert structure.context["sozialraeume"][0].posts.all()[0].open_cases == 1
    organisations = client.get(reverse("directory:organisations")).content.decode()
    assert "Servicestelle" in organisations and "Fremde Behörde" not in organisations
    assert client.get(reverse("directory:goals")).status_code == 200
    assert client.get(reverse("directory:bodies")).status_code == 200


def test_start_page_depends_on_role(client, traeger, organisation):
    client.force_login(
        UserFactory(traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT])
    )
    assert client.get(reverse("home")).url == reverse("start")
    assert client.get(reverse("start")).templates[0].name == "core/start_own_work.html"
    client.force_login(
        UserFactory(traeger=traeger, organisation=organisation, roles=[Role.DATA_PROTECTION])
    )
    response = client.get(reverse("start"))
    assert response.url == reverse("audit:log")
    assert reverse("audit:log") in client.get(response.url).content.decode()
    client.force_login(
        UserFactory(traeger=traeger, organisation=organisation, roles=[Role.PARTNER])
    )
    response = client.get(reverse("start"), follow=True)
    assert response.request["PATH_INFO"] == reverse("sharing:persons")
    assert reverse("audit:log") not in response.content.decode()
