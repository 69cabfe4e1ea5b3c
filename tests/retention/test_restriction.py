"""Restriction of processing: a restricted person is read-only in pages and API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.cases.models import Case
from lotse.core.access import Action
from lotse.people.guards import ProcessingRestricted
from lotse.people.selectors import get_person_for_user
from lotse.retention import services
from lotse.retention.models import Restriction
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db

WHY = "Die Person bestreitet die Richtigkeit der Angaben zum Aufenthalt"


@pytest.fixture
def person(traeger, organisation, case_manager):
    person = PersonFactory(traeger=traeger, organisation=organisation, last_name="Quast")
    CaseFactory(
        traeger=traeger, organisation=organisation, person=person, case_manager=case_manager
    )
    return person


@pytest.fixture
def restricted(person, case_manager):
    services.restriction_set(actor=case_manager, person=person, reason=WHY)
    return person


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_selectors_refuse_changes_but_allow_reading(restricted, case_manager):
    assert get_person_for_user(case_manager, restricted.pk) == restricted
    with pytest.raises(ProcessingRestricted):
        get_person_for_user(case_manager, restricted.pk, Action.CHANGE)
    case = Case.objects.get(person=restricted)
    from lotse.cases.selectors import case_queryset_for_user, get_case_for_user

    assert get_case_for_user(case_manager, case.pk) == case
    with pytest.raises(ProcessingRestricted):
        get_case_for_user(case_manager, case.pk, Action.CHANGE)
    # Other selectors built on the querysets see nothing to change (e.g. referrals, tasks).
    assert not case_queryset_for_user(case_manager, Action.CHANGE).filter(pk=case.pk).exists()


def test_pages_refuse_changes_with_a_clear_message(restricted, case_manager):
    client = _web(case_manager)
    case = Case.objects.get(person=restricted)
    for url in (
        reverse("people:edit", args=[restricted.pk]),
        reverse("people:name_variant_add", args=[restricted.pk]),
        reverse("cases:edit", args=[case.pk]),
        reverse("cases:timeline_add", args=[case.pk]),
        reverse("consent:create", args=[restricted.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Art. 18" in response.content.decode()
    response = client.post(
        reverse("people:name_variant_add", args=[restricted.pk]),
        {"last_name": "Kwast", "kind": "alias"},
    )
    assert response.status_code == 403
    assert restricted.name_variants.count() == 0
    # Reading still works, with the banner.
    page = client.get(reverse("people:detail", args=[restricted.pk]))
    assert page.status_code == 200
    assert reverse("retention:person", args=[restricted.pk]) in page.content.decode()
    assert "Art. 18" in page.content.decode()


def test_api_refuses_changes(restricted, case_manager):
    api = _api(case_manager)
    url = reverse("api:person-detail", args=[restricted.pk])
    response = api.patch(url, {"first_name": "Neu", "version": restricted.version}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "restricted"
    assert "Art. 18" in response.json()["detail"]
    restricted.refresh_from_db()
    assert restricted.first_name != "Neu"
    assert api.get(url).status_code == 200


def test_other_persons_stay_changeable(restricted, traeger, organisation, case_manager):
    other = PersonFactory(traeger=traeger, organisation=organisation)
    assert get_person_for_user(case_manager, other.pk, Action.CHANGE) == other


def test_only_a_team_lead_lifts_the_restriction(restricted, case_manager, team_lead):
    restriction = Restriction.objects.get(person=restricted, lifted_at__isnull=True)
    with pytest.raises(PermissionDenied):
        services.restriction_lift(actor=case_manager, restriction=restriction)
    services.restriction_lift(actor=team_lead, restriction=restriction)
    assert get_person_for_user(case_manager, restricted.pk, Action.CHANGE) == restricted
    with pytest.raises(ValidationError):
        services.restriction_lift(actor=team_lead, restriction=restriction)


def test_restriction_needs_a_reason_and_is_not_doubled(person, restricted, case_manager):
    with pytest.raises(ValidationError):
        services.restriction_set(actor=case_manager, person=person, reason=WHY)
    other = PersonFactory(traeger=person.traeger, organisation=person.organisation)
    with pytest.raises(ValidationError) as error:
        services.restriction_set(actor=case_manager, person=other, reason="kurz")
    assert "reason" in error.value.message_dict
