"""Merging a duplicate into the person that stays (issue 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lotse.audit.models import AuditEntry
from lotse.cases.models import Case
from lotse.people.merge import person_merge
from lotse.people.models import Person, PersonNameVariant
from lotse.people.selectors import person_list_for_user
from tests.factories import CaseFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(traeger, organisation, case_manager):
    kept = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Mohammed",
        last_name="Haddad",
        date_of_birth=dt.date(1990, 5, 17),
        external_key="",
    )
    duplicate = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Muhammad",
        last_name="Hadad",
        date_of_birth=dt.date(1990, 5, 17),
        external_key="LIP-4711",
    )
    kept_case = CaseFactory(
        traeger=traeger, organisation=organisation, person=kept, case_manager=case_manager
    )
    duplicate_case = CaseFactory(
        traeger=traeger, organisation=organisation, person=duplicate, case_manager=case_manager
    )
    return kept, duplicate, kept_case, duplicate_case


def test_merge_moves_the_records_and_keeps_a_tombstone(client, case_manager, pair):
    kept, duplicate, kept_case, duplicate_case = pair
    person_merge(actor=case_manager, target=kept, source=duplicate)

    assert set(Case.objects.filter(person=kept)) == {kept_case, duplicate_case}
    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert duplicate.merged_into == kept
    assert kept.external_key == "LIP-4711" and duplicate.external_key == ""
    assert PersonNameVariant.objects.filter(person=kept, last_name="Hadad").exists()
    assert [p.pk for p in person_list_for_user(case_manager)] == [kept.pk]
    assert AuditEntry.objects.filter(
        person_id=kept.pk, detail=f"merged_from:{duplicate.pk}"
    ).exists()
    assert AuditEntry.objects.filter(
        person_id=duplicate.pk, detail=f"merged_into:{kept.pk}"
    ).exists()

    client.force_login(case_manager)
    response = client.get(reverse("people:detail", args=[duplicate.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:detail", args=[kept.pk]
    )
    response = client.get(f"/api/v1/persons/{duplicate.pk}/")
    assert response.status_code == 308
    assert response["Location"] == f"/api/v1/persons/{kept.pk}/"


def test_merge_page_compares_then_merges(client, case_manager, pair):
    kept, duplicate, _kept_case, duplicate_case = pair
    client.force_login(case_manager)
    url = reverse("people:merge", args=[kept.pk])
    page = client.get(url).content.decode()
    assert f"?duplicate={duplicate.pk}" in page  # the likely duplicate is offered

    page = client.get(url, {"duplicate": duplicate.pk}).content.decode()
    assert "Hadad" in page and "Haddad" in page and "LIP-4711" in page
    assert Person.objects.get(pk=duplicate.pk).merged_into is None

    response = client.post(url, {"duplicate": duplicate.pk, "confirm": "on"})
    assert response.status_code == 302
    assert Case.objects.get(pk=duplicate_case.pk).person_id == kept.pk


def test_merge_needs_both_in_the_team(client, case_manager, traeger, pair):
    kept, duplicate, *_ = pair
    other = OrganisationFactory(traeger=traeger)
    stranger = PersonFactory(traeger=traeger, organisation=other, first_name="Mohamad")
    client.force_login(case_manager)
    url = reverse("people:merge", args=[kept.pk])
    response = client.post(url, {"duplicate": stranger.pk, "confirm": "on"})
    assert response.status_code == 404
    assert Person.objects.get(pk=stranger.pk).merged_into is None


def test_merged_record_cannot_be_merged_again(case_manager, pair):
    from django.core.exceptions import ValidationError

    kept, duplicate, *_ = pair
    person_merge(actor=case_manager, target=kept, source=duplicate)
    with pytest.raises(ValidationError):
        person_merge(actor=case_manager, target=kept, source=duplicate)


def test_erasing_the_person_erases_the_merged_record_too(case_manager, pair):
    from django.db import transaction

    from lotse.retention.erasure import erase_person
    from lotse.retention.models import Basis

    kept, duplicate, *_ = pair
    person_merge(actor=case_manager, target=kept, source=duplicate)
    with transaction.atomic():
        erase_person(person=Person.objects.get(pk=kept.pk), basis=Basis.REQUEST, actor=case_manager)
    assert not Person.objects.filter(pk__in=[kept.pk, duplicate.pk]).exists()
