"""Modules a Träger does not configure do not exist for its users: no menu entry, 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from lotse.directory.models import Organisation, Programme
from lotse.programmes.modules import modules_of
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    purpose,
)

pytestmark = pytest.mark.django_db


def test_modules_follow_the_configuration(traeger):
    assert not modules_of(traeger.pk).participation
    assert not modules_of(traeger.pk).abh_referral

    ProgrammeFactory(traeger=traeger, kind=Programme.Kind.PARTICIPATION_MANAGEMENT)
    assert modules_of(traeger.pk).participation

    # The referral needs both: an office of that kind and one of its configured purposes.
    OrganisationFactory(traeger=traeger, kind=Organisation.Kind.IMMIGRATION_OFFICE)
    assert not modules_of(traeger.pk).abh_referral
    purpose(traeger, "einbuergerung", "Einbürgerung")
    assert modules_of(traeger.pk).abh_referral


@pytest.fixture
def team_lead_without_modules(traeger, organisation):
    return UserFactory(traeger=traeger, organisation=organisation, roles=[Role.TEAM_LEAD])


def test_no_menu_entry_and_404_without_teilhabemanagement(
    client, traeger, team_lead_without_modules
):
    case = CaseFactory(traeger=traeger, organisation=team_lead_without_modules.organisation)
    client.force_login(team_lead_without_modules)
    page = client.get(reverse("start")).content.decode()
    assert reverse("programmes:overview") not in page
    for url in (
        reverse("programmes:overview"),
        reverse("programmes:budgets"),
        reverse("programmes:participation", args=[case.pk]),
        reverse("programmes:eligibility", args=[case.person_id]),
        reverse("programmes:referrals", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404, url

    api = APIClient()
    api.force_login(team_lead_without_modules)
    assert api.get(f"/api/v1/cases/{case.pk}/participation/").status_code == 404
    assert api.get(f"/api/v1/cases/{case.pk}/abh-referrals/").status_code == 404


def test_the_configured_modules_appear(client, traeger, team_lead_without_modules):
    ProgrammeFactory(traeger=traeger, kind=Programme.Kind.PARTICIPATION_MANAGEMENT)
    OrganisationFactory(traeger=traeger, kind=Organisation.Kind.IMMIGRATION_OFFICE)
    purpose(traeger, "weiterleitung-abh-bleiberecht", "Weiterleitung an die ABH")
    case = CaseFactory(traeger=traeger, organisation=team_lead_without_modules.organisation)
    client.force_login(team_lead_without_modules)
    page = client.get(reverse("start")).content.decode()
    assert reverse("programmes:overview") in page
    assert client.get(reverse("programmes:overview")).status_code == 200
    assert client.get(reverse("programmes:referrals", args=[case.pk])).status_code == 200


def test_a_role_without_the_module_keeps_its_403(client, traeger, organisation):
    partner = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.PARTNER])
    client.force_login(partner)
    assert client.get(reverse("programmes:overview")).status_code == 403
