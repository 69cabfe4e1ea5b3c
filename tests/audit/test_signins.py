"""Sign-ins, sign-outs and failed sign-ins are in the access log, without secrets."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from lotse.accounts.mfa import new_recovery_codes
from lotse.accounts.models import Role
from lotse.accounts.security import SESSION_LAST_SEEN
from lotse.audit import chain
from lotse.audit.models import AuditEntry
from tests.auth import code_for, fresh_code, login_password_only, totp_device
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "demo-password-123"


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _session_entries(**filters):
    return list(AuditEntry.objects.filter(object_type="session", **filters).order_by("id"))


def test_a_password_sign_in_is_logged_with_user_organisation_and_roles(client, case_manager):
    assert _sign_in(client, case_manager.username, PASSWORD).status_code == 302

    (entry,) = _session_entries(action=AuditEntry.Action.LOGIN)
    assert (entry.user, entry.username, entry.traeger_id) == (
        case_manager,
        case_manager.username,
        case_manager.traeger_id,
    )
    assert entry.organisation == str(case_manager.organisation)
    assert "case_management" in entry.roles
    assert entry.detail == "Passwort" and entry.request_id
    assert entry.get_action_display() == "angemeldet"
    assert list(chain.verify()) == []


def test_a_wrong_password_is_logged_for_the_account_without_the_password(client, case_manager):
    _sign_in(client, case_manager.username, "Kanarien-Passwort-42")

    (entry,) = _session_entries(action=AuditEntry.Action.LOGIN_FAILED)
    assert (entry.user, entry.traeger_id, entry.detail) == (
        case_manager,
        case_manager.traeger_id,
        "Passwort falsch",
    )
    stored = " ".join(
        str(value) for value in AuditEntry.objects.values_list("detail", "username", "object_id")
    )
    assert "Kanarien-Passwort-42" not in stored
    assert not _session_entries(action=AuditEntry.Action.LOGIN)


def test_an_unknown_user_name_is_not_stored(client):
    _sign_in(client, "Kanarien-Passwort-im-Namensfeld", "egal")

    (entry,) = _session_entries(action=AuditEntry.Action.LOGIN_FAILED)
    assert (entry.user, entry.username, entry.traeger_id) == (None, "anonym", None)
    assert entry.detail == "unbekannter Benutzername"
    assert "Kanarien" not in " ".join(AuditEntry.objects.values_list("detail", flat=True))


def test_a_disabled_account_is_named_as_such(client, case_manager):
    case_manager.is_active = False
    case_manager.save(update_fields=["is_active"])
    _sign_in(client, case_manager.username, PASSWORD)
    (entry,) = _session_entries(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.detail == "Konto deaktiviert"


def test_a_wrong_password_at_the_re_authentication_is_logged(client, case_manager):
    client.force_login(case_manager)
    client.post(reverse("reauth"), {"password": "falsch", "next": "/"})
    (entry,) = _session_entries(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.user == case_manager


def test_sign_out_is_logged(client, case_manager):
    client.force_login(case_manager)
    client.post(reverse("logout"))
    (entry,) = _session_entries(action=AuditEntry.Action.LOGOUT)
    assert (entry.user, entry.detail) == (case_manager, "")


def test_an_expired_session_is_logged_with_the_reason(client, case_manager, settings):
    settings.LOTSE_IDLE_TIMEOUT_MINUTES = 1
    client.force_login(case_manager)
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - 120
    session.save()

    client.get(reverse("home"))

    (entry,) = _session_entries(action=AuditEntry.Action.LOGOUT)
    assert entry.detail == "Sitzung abgelaufen (Leerlauf)"


def test_the_dpo_can_filter_the_log_by_sign_ins(client, case_manager, traeger, organisation):
    dpo = UserFactory(
        username="dpo", traeger=traeger, organisation=organisation, roles=[Role.DATA_PROTECTION]
    )
    _sign_in(client, case_manager.username, PASSWORD)
    client.logout()
    client.force_login(dpo)
    page = client.get(reverse("audit:log"), {"aktion": "login"})
    assert page.status_code == 200
    body = page.content.decode()
    assert case_manager.username in body and "angemeldet" in body


# -- the second factor ----------------------------------------------------------------------


def test_the_code_step_is_logged_with_the_factor_never_the_code(client, case_manager):
    device = totp_device(case_manager)
    login_password_only(client, case_manager)
    window = {code_for(device, offset=offset) for offset in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "222222", "333333") if code not in window)
    client.post(reverse("mfa_verify"), {"code": wrong})
    code = fresh_code(device)
    assert client.post(reverse("mfa_verify"), {"code": code}).status_code == 302

    failed, passed = (
        _session_entries(action=AuditEntry.Action.LOGIN_FAILED)[0],
        _session_entries(action=AuditEntry.Action.LOGIN)[-1],
    )
    assert failed.detail == "zweiter Faktor: Authenticator-App (falsch)"
    assert passed.detail == "zweiter Faktor: Authenticator-App"
    assert code not in " ".join(AuditEntry.objects.values_list("detail", flat=True))


def test_a_recovery_code_is_named_as_such(client, case_manager):
    totp_device(case_manager)
    codes = new_recovery_codes(case_manager)
    login_password_only(client, case_manager)
    assert client.post(reverse("mfa_verify"), {"code": codes[0]}).status_code == 302
    assert _session_entries(action=AuditEntry.Action.LOGIN)[-1].detail == (
        "zweiter Faktor: Wiederherstellungscode"
    )


def test_a_confirmation_before_a_sensitive_action_is_logged(client, case_manager):
    client.force_login(case_manager)
    response = client.post(reverse("reauth"), {"password": PASSWORD, "next": "/"})
    assert response.status_code == 302
    assert _session_entries(action=AuditEntry.Action.LOGIN)[-1].detail == (
        "Anmeldung bestätigt (Passwort)"
    )
