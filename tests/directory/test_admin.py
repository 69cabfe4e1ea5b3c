"""The configuration admin is scoped to the administrator's Träger."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.directory.config import config_load
from lotse.directory.models import Municipality, Organisation
from lotse.tenancy.models import Traeger
from tests.directory.conftest import KREIS_LIPPE, STADT_RHEINE
from tests.factories import UserFactory


@pytest.fixture
def two_traeger(db):
    config_load(path=KREIS_LIPPE)
    config_load(path=STADT_RHEINE)
    return Traeger.objects.get(slug="kreis-lippe"), Traeger.objects.get(slug="stadt-rheine")


@pytest.fixture
def lippe_admin(two_traeger, client):
    lippe, _rheine = two_traeger
    user = UserFactory(
        username="admin-lippe",
        traeger=lippe,
        organisation=Organisation.objects.get(traeger=lippe, key="servicestelle"),
        is_staff=True,
        roles=[Role.ADMINISTRATION],
    )
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_changelist_shows_only_own_traeger(lippe_admin, client):
    response = client.get(reverse("admin:directory_municipality_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Lügde" in content
    assert "Rheine" not in content


@pytest.mark.django_db
def test_other_traegers_object_is_not_reachable(lippe_admin, client, two_traeger):
    rheine_org = Organisation.objects.get(traeger=two_traeger[1], key="vhs-rheine")
    url = reverse("admin:directory_organisation_change", args=[rheine_org.pk])
    response = client.get(url)
    # The admin treats an object outside the queryset as missing: redirect to the index.
    assert response.status_code == 302
    assert client.post(url, {"name": "Übernommen"}).status_code == 302
    rheine_org.refresh_from_db()
    assert rheine_org.name == "Volkshochschule der Stadt Rheine"


@pytest.mark.django_db
def test_add_sets_traeger_and_restricts_choices(lippe_admin, client, two_traeger):
    lippe, rheine = two_traeger
    url = reverse("admin:directory_organisation_add")
    form = client.get(url).content.decode()
    assert 'name="traeger"' not in form
    assert f'value="{Municipality.objects.get(traeger=lippe, key="lemgo").pk}"' in form
    assert f'value="{Municipality.objects.get(traeger=rheine, key="rheine").pk}"' not in form

    data = {
        "key": "vhs-lemgo",
        "name": "Volkshochschule Lemgo",
        "kind": "education",
        "sort_order": 0,
        "municipality": Municipality.objects.get(traeger=lippe, key="lemgo").pk,
        "contacts-TOTAL_FORMS": 1,
        "contacts-INITIAL_FORMS": 0,
        "contacts-0-key": "vhs-lemgo-kurse",
        "contacts-0-name": "Petra Muster",
        "contacts-0-sort_order": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Organisation.objects.get(key="vhs-lemgo")
    assert created.traeger == lippe
    assert created.contacts.get().traeger == lippe


@pytest.mark.django_db
def test_foreign_municipality_is_rejected(lippe_admin, client, two_traeger):
    _lippe, rheine = two_traeger
    response = client.post(
        reverse("admin:directory_organisation_add"),
        {
            "key": "fremd",
            "name": "Fremd",
            "kind": "other",
            "sort_order": 0,
            "municipality": Municipality.objects.get(traeger=rheine).pk,
            "contacts-TOTAL_FORMS": 0,
            "contacts-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(key="fremd").exists()


@pytest.mark.django_db
def test_duplicate_key_is_a_form_error(lippe_admin, client):
    response = client.post(
        reverse("admin:directory_fieldofaction_add"),
        {"key": "arbeit", "name": "Noch einmal Arbeit", "sort_order": 0},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["key"]


@pytest.mark.django_db
def test_same_key_in_another_traeger_is_fine(lippe_admin, client):
    # "spracherwerb" exists in Rheine only.
    response = client.post(
        reverse("admin:directory_fieldofaction_add"),
        {"key": "spracherwerb", "name": "Spracherwerb", "sort_order": 0},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_case_manager_has_no_access(two_traeger, client):
    lippe, _rheine = two_traeger
    user = UserFactory(traeger=lippe, is_staff=True, roles=[Role.CASE_MANAGEMENT])
    client.force_login(user)
    assert client.get(reverse("admin:directory_municipality_changelist")).status_code == 403


@pytest.mark.django_db
def test_traeger_admin_is_for_superusers_only(lippe_admin, client, django_user_model):
    assert client.get(reverse("admin:tenancy_traeger_changelist")).status_code == 403
    superuser = django_user_model.objects.create_superuser(
        "root", "root@test.example", "pw-123456789"
    )
    client.force_login(superuser)
    response = client.get(reverse("admin:tenancy_traeger_changelist"))
    assert response.status_code == 200
    assert "Stadt Rheine" in response.content.decode()


@pytest.mark.django_db
def test_superuser_sees_every_traeger(two_traeger, client, django_user_model):
    superuser = django_user_model.objects.create_superuser(
        "root", "root@test.example", "pw-123456789"
    )
    client.force_login(superuser)
    content = client.get(
        reverse("admin:directory_municipality_changelist") + "?q=e"
    ).content.decode()
    assert "Rheine" in content and "Lemgo" in content
