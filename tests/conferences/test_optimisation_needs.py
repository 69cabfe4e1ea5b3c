"""The triage of optimisation needs: open → triaged → assigned or merged, each step audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from lotse.audit.models import AuditEntry
from lotse.conferences import services
from lotse.conferences.models import OptimisationNeed

pytestmark = pytest.mark.django_db
Status = OptimisationNeed.Status


def _need(actor, topic, text="Es fehlen Sprachkurse mit Kinderbetreuung."):
    return services.optimisation_need_add(
        actor=actor,
        field_of_action=topic,
        category="fehlende-angebote",
        description=text,
        organisations=[],
    )


def test_a_need_is_triaged_and_assigned_with_an_audit_entry_per_step(
    coordinator, topic, jugendamt, conference_settings
):
    need = _need(coordinator, topic)
    with pytest.raises(ValidationError) as error:
        services.optimisation_need_set_status(
            actor=coordinator, need=need, status=Status.ASSIGNED, assigned_to=jugendamt
        )
    assert "status" in error.value.message_dict
    need = services.optimisation_need_set_status(
        actor=coordinator, need=need, status=Status.TRIAGED
    )
    with pytest.raises(ValidationError) as error:
        services.optimisation_need_set_status(actor=coordinator, need=need, status=Status.ASSIGNED)
    assert "assigned_to" in error.value.message_dict
    need = services.optimisation_need_set_status(
        actor=coordinator, need=need, status=Status.ASSIGNED, assigned_to=jugendamt
    )
    need.refresh_from_db()
    assert (need.status, need.assigned_to) == (Status.ASSIGNED, jugendamt)
    details = list(
        AuditEntry.objects.filter(object_type="optimisation_need", object_id=str(need.pk))
        .exclude(action="create")
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [
        "status:open->triaged",
        f"status:triaged->assigned assigned_to:{jugendamt.pk}",
    ]


def test_merging_needs_a_target_and_a_reason_and_is_shown_on_both(
    coordinator, topic, conference_settings
):
    first = _need(coordinator, topic)
    second = _need(coordinator, topic, "Kinderbetreuung fehlt während der Sprachkurse.")
    with pytest.raises(ValidationError) as error:
        services.optimisation_need_set_status(
            actor=coordinator, need=second, status=Status.MERGED, merged_into=second
        )
    assert {"merged_into", "note"} <= set(error.value.message_dict)
    client = Client()
    client.force_login(coordinator)
    url = reverse("conferences:optimisation_need", args=[second.pk])
    response = client.post(
        url, {"status": "merged", "merged_into": first.pk, "note": "Dieselbe Barriere."}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.merged_into) == (Status.MERGED, first)
    page = client.get(reverse("conferences:optimisation_need", args=[first.pk])).content.decode()
    assert "Kinderbetreuung fehlt während der Sprachkurse." in page
    merged_page = client.get(url).content.decode()
    assert "zusammengeführt" in merged_page and 'id="status"' not in merged_page


def test_only_the_servicestelle_changes_the_status(
    coordinator, case_manager, topic, conference_settings
):
    need = _need(coordinator, topic)
    with pytest.raises(PermissionDenied):
        services.optimisation_need_set_status(actor=case_manager, need=need, status="triaged")
    response = Client()
    response.force_login(coordinator)
    bad = response.post(
        reverse("conferences:optimisation_need", args=[need.pk]), {"status": "done"}
    )
    assert bad.status_code == 422
    need.refresh_from_db()
    assert need.status == Status.OPEN
