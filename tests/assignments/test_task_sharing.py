"""A task for an organisation outside the case team is a transfer (§ 67b SGB X): it needs a
consent in force naming the organisation and covering what the task passes on, it is journaled,
and the partner sees it only while the consents in force still grant those categories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from lotse.assignments import selectors, services
from lotse.assignments.models import Task
from lotse.audit.models import AuditEntry
from lotse.consent.models import Transfer
from lotse.consent.services import consent_withdraw
from tests.assignments.conftest import grant, make_task
from tests.factories import OrganisationFactory, purpose

pytestmark = pytest.mark.django_db
NEXT_WEEK = timezone.localdate() + dt.timedelta(days=7)


def _create(case_manager, case, **fields) -> Task:
    fields.setdefault("title", "Beratungstermin vergeben")
    fields.setdefault("due_on", NEXT_WEEK)
    fields.setdefault("purpose", purpose(case.traeger))
    return services.task_create(actor=case_manager, case=case, **fields)


def _partner_sees(partner) -> set[int]:
    page = selectors.my_task_page(partner, filters=selectors.TaskFilter(), cursor=None)
    return {task.pk for task in page.items}


def test_without_consent_the_task_is_refused_and_nothing_is_stored(case_manager, case, jobcenter):
    with pytest.raises(ValidationError) as error:
        _create(
            case_manager,
            case,
            owner_organisation=jobcenter,
            shared_categories=["identity"],
            purpose=purpose(case.traeger),
        )
    assert error.value.message_dict["shared_categories"] == [
        "Es liegt keine gültige Einwilligung der Person vor, die Jobcenter Lippe als Empfänger "
        "nennt."
    ]
    assert not Task.objects.exists()
    assert not Transfer.objects.exists()


def test_with_consent_the_task_is_journaled_as_a_transfer(case_manager, case, jobcenter):
    consent = grant(case.person, jobcenter, ["identity", "education_work"])

    task = _create(
        case_manager,
        case,
        owner_organisation=jobcenter,
        shared_categories=["education_work", "identity"],
        purpose=purpose(case.traeger),
    )

    transfer = Transfer.objects.get()
    assert task.transfer == transfer
    assert task.shared_categories == ["identity", "education_work"]
    assert (transfer.person, transfer.recipient, transfer.basis) == (
        case.person,
        jobcenter,
        Transfer.Basis.CONSENT,
    )
    assert (transfer.consent, transfer.consent_version) == (consent, consent.number)
    assert transfer.categories == ["identity", "education_work"]
    assert "Beratungstermin vergeben" in transfer.purpose
    assert AuditEntry.objects.filter(
        object_type="transfer", action="export", person_id=case.person_id
    ).exists()


def test_a_category_the_consent_does_not_cover_is_refused(case_manager, case, jobcenter):
    grant(case.person, jobcenter, ["identity", "education_work"])
    with pytest.raises(ValidationError) as error:
        _create(
            case_manager,
            case,
            owner_organisation=jobcenter,
            shared_categories=["identity", "health"],
            purpose=purpose(case.traeger),
        )
    assert "Gesundheit" in error.value.message_dict["shared_categories"][0]
    assert not Task.objects.exists() and not Transfer.objects.exists()


def test_choosing_no_category_for_an_outside_organisation_is_refused(
    case_manager, case, jobcenter, consented
):
    with pytest.raises(ValidationError) as error:
        _create(
            case_manager,
            case,
            owner_organisation=jobcenter,
            shared_categories=[],
            purpose=purpose(case.traeger),
        )
    assert "Jobcenter Lippe" in error.value.message_dict["shared_categories"][0]


def test_a_consent_for_another_organisation_is_no_basis(case_manager, case, jobcenter, traeger):
    grant(case.person, OrganisationFactory(traeger=traeger, name="Beratungsstelle"))
    with pytest.raises(ValidationError):
        _create(
            case_manager,
            case,
            owner_organisation=jobcenter,
            shared_categories=["identity"],
            purpose=purpose(case.traeger),
        )


def test_a_withdrawn_consent_is_no_basis(case_manager, case, jobcenter):
    consent = grant(case.person, jobcenter)
    consent_withdraw(actor=case_manager, consent=consent)
    with pytest.raises(ValidationError):
        _create(
            case_manager,
            case,
            owner_organisation=jobcenter,
            shared_categories=["identity"],
            purpose=purpose(case.traeger),
        )


def test_a_task_within_the_case_team_passes_nothing_on(case_manager, case, organisation):
    task = _create(
        case_manager, case, owner_organisation=organisation, shared_categories=["health"]
    )
    assert task.shared_categories == [] and task.transfer is None
    assert not Transfer.objects.exists()


def test_a_task_for_a_partner_user_is_a_transfer_to_the_users_organisation(
    case_manager, case, jobcenter, partner
):
    with pytest.raises(ValidationError):
        _create(
            case_manager,
            case,
            owner_user=partner,
            shared_categories=["identity"],
            purpose=purpose(case.traeger),
        )
    grant(case.person, jobcenter, ["identity"])
    task = _create(
        case_manager,
        case,
        owner_user=partner,
        shared_categories=["identity"],
        purpose=purpose(case.traeger),
    )
    assert task.transfer.recipient == jobcenter


def test_withdrawal_shows_the_task_as_withdrawn_to_the_partner_at_once(
    client, case_manager, case, jobcenter, partner
):
    consent = grant(case.person, jobcenter)
    task = _create(
        case_manager, case, owner_organisation=jobcenter, shared_categories=["education_work"]
    )
    assert _partner_sees(partner) == {task.pk}
    pseudonym = selectors.pseudonym_for(task, partner)

    consent_withdraw(actor=case_manager, consent=consent, note="telefonisch")

    # Not silently gone: the title stays on the partner's list, marked, without any reference.
    assert _partner_sees(partner) == {task.pk}
    with pytest.raises(Http404):
        selectors.get_task_for_user(partner, task.pk)
    client.force_login(partner)
    assert client.get(reverse("assignments:detail", args=[task.pk])).status_code == 404
    page = client.get(reverse("assignments:mine")).content.decode()
    assert "Beratungstermin vergeben" in page and "Einwilligung widerrufen" in page
    assert pseudonym not in page
    assert reverse("assignments:detail", args=[task.pk]) not in page
    # The case team keeps the task (and sees what it passed on).
    client.force_login(case_manager)
    assert task in selectors.tasks_of_case(case)


def test_expiry_hides_the_task(case_manager, case, jobcenter, partner):
    consent = grant(case.person, jobcenter)
    task = _create(
        case_manager, case, owner_organisation=jobcenter, shared_categories=["education_work"]
    )
    consent.valid_until = timezone.localdate() - dt.timedelta(days=1)
    consent.save(update_fields=["valid_until"])
    assert task.pk not in _partner_sees(partner)


def test_a_new_consent_version_without_a_category_hides_the_task(
    case_manager, case, jobcenter, partner
):
    first = grant(case.person, jobcenter, ["identity", "education_work"])
    task = _create(
        case_manager, case, owner_organisation=jobcenter, shared_categories=["education_work"]
    )
    narrower = grant(case.person, jobcenter, ["identity"], supersedes=first, number=2)
    assert first.is_superseded and narrower.is_current
    assert _partner_sees(partner) == set()
    with pytest.raises(Http404):
        selectors.get_task_for_user(partner, task.pk)
    # A task that passes on only what is still granted stays visible.
    kept = make_task(
        case,
        owner_organisation=jobcenter,
        shared_categories=["identity"],
        purpose=purpose(case.traeger),
    )
    assert _partner_sees(partner) == {kept.pk}


def test_the_partner_sees_the_name_only_when_the_task_passes_identity_on(
    client, case_manager, case, jobcenter, partner
):
    grant(case.person, jobcenter, ["identity", "education_work"])
    named = _create(
        case_manager, case, owner_organisation=jobcenter, shared_categories=["identity"]
    )
    anonymous = _create(
        case_manager,
        case,
        title="Sprachkurs klären",
        owner_organisation=jobcenter,
        shared_categories=["education_work"],
        purpose=purpose(case.traeger),
    )
    client.force_login(partner)
    person_name = f"{case.person.first_name} {case.person.last_name}"

    named_page = client.get(reverse("assignments:detail", args=[named.pk])).content.decode()
    anonymous_page = client.get(reverse("assignments:detail", args=[anonymous.pk]))
    assert person_name in named_page
    assert reverse("sharing:person", args=[case.person_id]) in named_page
    assert case.person.last_name not in anonymous_page.content.decode()
    assert selectors.pseudonym_for(anonymous, partner) in anonymous_page.content.decode()
    assert case.reference not in named_page

    listed = client.get(reverse("assignments:mine")).content.decode()
    assert listed.count(person_name) == 1


def test_reassigning_to_another_organisation_needs_its_consent(
    case_manager, case, jobcenter, traeger
):
    grant(case.person, jobcenter)
    task = _create(
        case_manager,
        case,
        owner_organisation=jobcenter,
        shared_categories=["identity"],
        purpose=purpose(case.traeger),
    )
    school_office = OrganisationFactory(traeger=traeger, name="Schulamt")

    with pytest.raises(ValidationError) as error:
        services.task_update(
            actor=case_manager,
            task=Task.objects.get(pk=task.pk),
            expected_version=task.version,
            owner_organisation=school_office,
        )
    assert "Schulamt" in error.value.message_dict["shared_categories"][0]
    stored = Task.objects.get(pk=task.pk)
    assert (stored.owner_organisation, stored.version) == (jobcenter, task.version)
    assert Transfer.objects.count() == 1

    grant(case.person, school_office, ["identity"])
    services.task_update(
        actor=case_manager,
        task=stored,
        expected_version=stored.version,
        owner_organisation=school_office,
    )
    stored.refresh_from_db()
    assert stored.transfer.recipient == school_office
    assert Transfer.objects.count() == 2


def test_the_task_form_shows_the_consent_error_at_the_field(client, case_manager, case, jobcenter):
    client.force_login(case_manager)
    response = client.post(
        reverse("assignments:case_tasks", args=[case.pk]),
        {
            "title": "Termin vergeben",
            "due_on": NEXT_WEEK.isoformat(),
            "owner_organisation": jobcenter.pk,
            "shared_categories": ["identity"],
            "purpose": purpose(case.traeger).pk,
        },
    )
    assert response.status_code == 422
    assert "shared_categories" in response.context["form"].errors
    assert "Einwilligung" in response.context["form"].errors["shared_categories"][0]
    assert not Task.objects.exists()


def test_the_case_team_sees_what_a_task_passed_on(client, case_manager, case, jobcenter):
    grant(case.person, jobcenter)
    task = _create(
        case_manager, case, owner_organisation=jobcenter, shared_categories=["education_work"]
    )
    client.force_login(case_manager)
    body = client.get(reverse("assignments:detail", args=[task.pk])).content.decode()
    assert "Bildung und Arbeit" in body and "Übermittlungsjournal" in body


def test_api_refuses_a_task_without_consent(client_for, case_manager, case, jobcenter):
    api = client_for(case_manager)
    url = reverse("api:case-tasks", args=[case.pk])
    payload = {
        "title": "Unterlagen prüfen",
        "due_on": NEXT_WEEK.isoformat(),
        "owner_organisation": jobcenter.pk,
        "shared_categories": ["identity"],
        "purpose": purpose(case.traeger).pk,
    }
    refused = api.post(url, payload, format="json")
    assert refused.status_code == 400
    assert "shared_categories" in refused.json()
    grant(case.person, jobcenter)
    created = api.post(url, payload, format="json")
    assert created.status_code == 201
    assert created.json()["shared_categories"] == ["identity"]
    assert created.json()["transfer"] == Transfer.objects.get().pk


def test_api_partner_gets_the_name_with_identity(
    client_for, case_manager, case, jobcenter, partner
):
    grant(case.person, jobcenter)
    task = _create(
        case_manager,
        case,
        owner_organisation=jobcenter,
        shared_categories=["identity"],
        purpose=purpose(case.traeger),
    )
    api = client_for(partner)
    expected = f"{case.person.first_name} {case.person.last_name}"
    assert api.get(reverse("api:task-detail", args=[task.pk])).json()["person_name"] == expected
    listed = api.get(reverse("api:task-list")).json()["results"]
    assert [row["person_name"] for row in listed] == [expected]
