"""Issue 9: one lockout for both sign-in forms, and one spelling of every user name."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user
from django.urls import reverse

from lotse.accounts.models import LoginFailure, Role, User, normalise_username
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "demo-password-123"
LOCKED = "Zu viele fehlgeschlagene Anmeldeversuche"
#: The management forms of the user admin's inlines (roles, security keys), with no rows.
INLINES = {
    f"{prefix}-{field}": "0"
    for prefix in ("role_assignments", "webauthn_credentials")
    for field in ("TOTAL_FORMS", "INITIAL_FORMS")
}


@pytest.fixture
def staff(traeger, organisation):
    return UserFactory(
        username="verwalterin",
        traeger=traeger,
        organisation=organisation,
        is_staff=True,
        roles=[Role.ADMINISTRATION],
    )


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _admin_sign_in(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def test_wrong_passwords_at_the_admin_login_lock_the_normal_sign_in(client, staff, settings):
    settings.LOTSE_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert _admin_sign_in(client, "verwalterin", "falsch").status_code == 200
    assert LoginFailure.objects.filter(username="verwalterin").count() == 3

    response = _sign_in(client, "verwalterin", PASSWORD)
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert not get_user(client).is_authenticated
    # The admin login itself refuses the right password as well.
    response = _admin_sign_in(client, "verwalterin", PASSWORD)
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert not get_user(client).is_authenticated


def test_wrong_passwords_at_the_normal_sign_in_lock_the_admin_login(client, staff, settings):
    settings.LOTSE_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        _sign_in(client, "verwalterin", "falsch")
    response = _admin_sign_in(client, "verwalterin", PASSWORD)
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert not get_user(client).is_authenticated


def test_the_admin_login_still_admits_staff_below_the_limit(client, staff, settings):
    settings.LOTSE_LOGIN_MAX_FAILURES = 3
    _admin_sign_in(client, "verwalterin", "falsch")
    response = _admin_sign_in(client, "verwalterin", PASSWORD)
    assert response.status_code == 302
    assert get_user(client) == staff


def test_full_width_and_capital_spellings_count_against_the_same_lockout(
    client, case_manager, settings
):
    settings.LOTSE_LOGIN_MAX_FAILURES = 3
    for spelling in ("ｃｍ", "CM", "Ｃｍ"):
        assert _sign_in(client, spelling, "falsch").status_code == 200
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"cm"}
    response = _sign_in(client, "cm", PASSWORD)
    assert LOCKED in response.content.decode()
    assert not get_user(client).is_authenticated


def test_a_full_width_user_name_signs_in_as_the_same_user(client, case_manager):
    assert _sign_in(client, "ｃｍ", PASSWORD).status_code == 302
    assert get_user(client) == case_manager
    client.logout()
    assert _sign_in(client, " ＣＭ ", PASSWORD).status_code == 302
    assert get_user(client) == case_manager


def test_normalise_username():
    assert normalise_username("ｃａｓｅｍａｎａｇｅｒ") == "casemanager"
    assert normalise_username("Kim.Muster") == "kim.muster"
    assert normalise_username("Straße") == "strasse"
    assert normalise_username("ﬁona") == "fiona"  # the ligature is two letters


def test_created_users_are_stored_normalised(traeger):
    assert User.objects.create_user("ＫｉｍＭｕｓｔｅｒ", password=PASSWORD).username == "kimmuster"
    admin = User.objects.create_superuser("Root", password=PASSWORD)
    assert admin.username == "root"


def test_createsuperuser_stores_the_name_normalised_and_finds_other_spellings(monkeypatch):
    from io import StringIO

    from django.core.management import CommandError, call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "ein-langes-Passwort-2026")
    call_command(
        "createsuperuser",
        interactive=False,
        username="Ｒｏｏｔ",
        email="root@example.org",
        stdout=StringIO(),
    )
    assert User.objects.get(is_superuser=True).username == "root"
    with pytest.raises(CommandError):
        call_command(
            "createsuperuser",
            interactive=False,
            username="ROOT",
            email="r@example.org",
            stdout=StringIO(),
        )
    assert User.objects.filter(is_superuser=True).count() == 1


def test_the_admin_stores_new_and_changed_user_names_normalised(client, traeger, organisation):
    root = UserFactory(
        username="root", is_superuser=True, is_staff=True, traeger=None, organisation=None
    )
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "Anna.Beispiel",
            "usable_password": "true",
            "password1": "ein-langes-Passwort-2026",
            "password2": "ein-langes-Passwort-2026",
            **INLINES,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.filter(username="anna.beispiel").exists()

    # Another spelling of an existing name is refused at the field.
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "ＡＮＮＡ.beispiel",
            "usable_password": "true",
            "password1": "ein-langes-Passwort-2026",
            "password2": "ein-langes-Passwort-2026",
            **INLINES,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["username"]
    assert User.objects.filter(username__iexact="anna.beispiel").count() == 1


def test_the_migration_normalises_stored_user_names_and_refuses_clashes(traeger):
    migration = importlib.import_module("lotse.accounts.migrations.0008_normalised_usernames")
    kim = UserFactory(traeger=traeger)
    User.objects.filter(pk=kim.pk).update(username="ＫｉｍＭｕｓｔｅｒ")
    LoginFailure.objects.create(username="ＫＩＭＭＵＳＴＥＲ")
    migration.normalise_usernames(apps, None)
    assert User.objects.get(pk=kim.pk).username == "kimmuster"
    assert LoginFailure.objects.get().username == "kimmuster"

    other = UserFactory(traeger=traeger)
    User.objects.filter(pk=other.pk).update(username="KimMuster")
    with pytest.raises(RuntimeError, match="KimMuster"):
        migration.normalise_usernames(apps, None)
    assert User.objects.get(pk=other.pk).username == "KimMuster"  # nothing renamed
