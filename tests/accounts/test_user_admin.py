"""The user admin offers only the editing admin's own Träger's organisations and posts (issue 9)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lotse.accounts.models import Role, User
from lotse.audit.models import AuditEntry
from tests.factories import (
    CaseManagementPostFactory,
    OrganisationFactory,
    TraegerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
OTHER_TRAEGER = "gehört zu einem anderen Träger als die Benutzerin oder der Benutzer"


@pytest.fixture
def world(traeger, organisation):
    other = TraegerFactory(slug="kreis-anders", name="Kreis Anders")
    foreign_org = OrganisationFactory(traeger=other, key="fremd", name="Fremdes Amt")
    return {
        "own_post": CaseManagementPostFactory(
            traeger=traeger, organisation=organisation, name="CM Nord"
        ),
        "foreign_org": foreign_org,
        "foreign_post": CaseManagementPostFactory(
            traeger=other, organisation=foreign_org, name="CM Fremd"
        ),
        "worker": UserFactory(
            username="worker", traeger=traeger, organisation=organisation, roles=[]
        ),
        "admin": UserFactory(
            username="verwaltung",
            traeger=traeger,
            organisation=organisation,
            is_staff=True,
            roles=[Role.ADMINISTRATION],
        ),
    }


def _change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def _post_data(user: User, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": "",
        "organisation": user.organisation_id or "",
        "is_active": "on",
        "mfa_exempt": "",
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
        "webauthn_credentials-TOTAL_FORMS": "0",
        "webauthn_credentials-INITIAL_FORMS": "0",
    }
    if user.traeger_id:
        data["traeger"] = user.traeger_id
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_the_choices_are_the_admins_own_traegers(client, world, organisation):
    client.force_login(world["admin"])
    form = client.get(_change_url(world["worker"])).context["adminform"].form
    assert set(form.fields["organisation"].queryset) == {organisation}
    assert set(form.fields["posts"].queryset) == {world["own_post"]}


def test_another_traegers_organisation_or_post_is_refused(client, world, organisation):
    client.force_login(world["admin"])
    worker = world["worker"]
    response = client.post(
        _change_url(worker), _post_data(worker, organisation=world["foreign_org"].pk)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organisation"]
    response = client.post(
        _change_url(worker), _post_data(worker, posts=[world["foreign_post"].pk])
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["posts"]
    worker.refresh_from_db()
    assert worker.organisation == organisation
    world["foreign_post"].refresh_from_db()
    assert world["foreign_post"].holder is None


def test_a_superuser_without_traeger_sees_all_but_cannot_mix_traeger(client, world, traeger):
    root = UserFactory(
        username="root", is_superuser=True, is_staff=True, traeger=None, organisation=None
    )
    client.force_login(root)
    worker = world["worker"]
    form = client.get(_change_url(worker)).context["adminform"].form
    assert world["foreign_org"] in form.fields["organisation"].queryset
    assert world["foreign_post"] in form.fields["posts"].queryset

    response = client.post(
        _change_url(worker),
        _post_data(worker, organisation=world["foreign_org"].pk, posts=[world["foreign_post"].pk]),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert OTHER_TRAEGER in errors["organisation"][0]
    assert OTHER_TRAEGER in errors["posts"][0]
    worker.refresh_from_db()
    assert worker.organisation.traeger == traeger


def test_the_admin_assigns_posts_and_the_access_log_records_it(client, world):
    client.force_login(world["admin"])
    worker = world["worker"]
    response = client.post(_change_url(worker), _post_data(worker, posts=[world["own_post"].pk]))
    assert response.status_code == 302
    world["own_post"].refresh_from_db()
    assert world["own_post"].holder == worker
    assert AuditEntry.objects.filter(
        object_type="user", object_id=str(worker.pk), detail__contains="CM Nord"
    ).exists()

    response = client.post(_change_url(worker), _post_data(worker))  # no post ticked
    assert response.status_code == 302
    world["own_post"].refresh_from_db()
    assert world["own_post"].holder is None
