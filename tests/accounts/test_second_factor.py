"""Second factor: enrollment, the code step, replay, recovery codes, lockout, middleware, demo."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.urls import reverse

from lotse.accounts import mfa
from lotse.accounts.models import LoginFailure, RecoveryCode, Role, TotpDevice
from tests.auth import code_for, login_password_only, totp_device
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "demo-password-123"
BANNER = "Demo mode: the demo accounts sign in without a second factor."


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def _verify(client, code, next_url=None):
    data = {"code": code}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("mfa_verify"), data)


def _secret_on(response) -> str:
    text = response.content.decode()
    found = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", text)
    assert found, "the enrollment page shows the key"
    return "".join(found.group(1).split())


@pytest.mark.parametrize("role", list(Role))
def test_every_role_without_a_device_is_sent_to_the_enrollment(client, traeger, role):
    user = UserFactory(traeger=traeger, roles=[role])
    assert _sign_in(client, user.username).status_code == 302

    for path in (reverse("home"), reverse("cases:my_cases"), reverse("audit:log"), "/api/v1/"):
        response = client.get(path)
        if path.startswith("/api/"):
            assert response.status_code == 403
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("mfa_enroll"))


def test_unverified_session_reaches_only_the_open_pages(client, case_manager):
    login_password_only(client, case_manager)

    assert client.get(reverse("mfa_enroll")).status_code == 200
    assert client.get(reverse("accessibility")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    # OParl is public: a half signed-in session reads it like anyone else.
    assert client.get(reverse("oparl:system")).status_code == 200
    assert client.get(reverse("password_change")).status_code == 302
    assert client.get(reverse("reauth")).status_code == 302
    assert client.get("/verwaltung/").status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_enrollment_with_the_shown_key_then_recovery_codes_once(client, case_manager):
    login_password_only(client, case_manager)
    page = client.get(reverse("mfa_enroll") + "?next=/personen/")
    assert page.status_code == 200
    assert b"<svg" in page.content and b'role="img"' in page.content
    assert b"<script" not in page.content.split(b"<main", 1)[1]
    secret = _secret_on(page)

    wrong = client.post(reverse("mfa_enroll"), {"code": "000000", "next": "/personen/"})
    assert wrong.status_code == 422
    assert _secret_on(wrong) == secret  # a typo keeps the key already in the app
    response = client.post(
        reverse("mfa_enroll"), {"code": pyotp.TOTP(secret).now(), "next": "/personen/"}
    )

    assert response.status_code == 302 and response["Location"] == reverse("mfa_recovery_codes")
    device = TotpDevice.objects.get(user=case_manager)
    assert device.confirmed_at is not None and device.secret == secret
    codes_page = client.get(reverse("mfa_recovery_codes"))
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", codes_page.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/personen/"' in codes_page.content.decode()
    assert not RecoveryCode.objects.filter(code_hash__in=codes).exists()  # only hashes stored
    # Shown once: the page does not show them again.
    assert client.get(reverse("mfa_recovery_codes")).status_code == 302
    assert client.get(reverse("people:list")).status_code == 200


def test_each_visit_of_the_enrollment_gets_a_new_key(client, case_manager):
    login_password_only(client, case_manager)
    first = _secret_on(client.get(reverse("mfa_enroll")))
    second = _secret_on(client.get(reverse("mfa_enroll")))
    assert first != second
    assert client.post(reverse("mfa_enroll"), {"code": pyotp.TOTP(first).now()}).status_code == 422


def test_the_stored_key_is_encrypted(case_manager):
    from django.db import connection

    device = totp_device(case_manager)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice WHERE id = %s", [device.pk])
        (column,) = cursor.fetchone()
    assert device.secret not in column and column.startswith("enc:")
    assert TotpDevice.objects.get(pk=device.pk).secret == device.secret


def test_sign_in_with_a_code_goes_to_next(client, case_manager):
    device = totp_device(case_manager)
    response = client.post(
        reverse("login") + "?next=/personen/",
        {"username": "cm", "password": PASSWORD, "next": "/personen/"},
    )
    assert response.status_code == 302
    blocked = client.get("/personen/")
    assert blocked["Location"].startswith(reverse("mfa_verify"))

    response = _verify(client, code_for(device), next_url="/personen/")

    assert response.status_code == 302 and response["Location"] == "/personen/"
    assert client.get("/personen/").status_code == 200
    assert mfa.SESSION_MFA_VERIFIED_AT in client.session


def test_next_must_stay_on_the_site(client, case_manager):
    device = totp_device(case_manager)
    login_password_only(client, case_manager)
    response = _verify(client, code_for(device), next_url="https://evil.example/")
    assert response["Location"] == reverse("start")


def test_wrong_code_is_refused_with_a_message_at_the_field(client, case_manager):
    device = totp_device(case_manager)
    login_password_only(client, case_manager)
    wrong = str((int(code_for(device)) + 1) % 1_000_000).zfill(6)

    response = _verify(client, wrong)

    assert response.status_code == 422
    assert "code" in response.context["form"].errors
    assert client.get(reverse("home")).status_code == 302
    assert LoginFailure.objects.filter(username="cm").count() == 1


def test_a_used_code_cannot_be_replayed(client, case_manager):
    device = totp_device(case_manager)
    code = code_for(device)
    login_password_only(client, case_manager)
    assert _verify(client, code).status_code == 302

    other = client.__class__()
    login_password_only(other, case_manager)
    assert _verify(other, code).status_code == 422
    assert other.get(reverse("home")).status_code == 302


def test_an_older_code_than_the_last_used_one_is_refused(case_manager):
    device = totp_device(case_manager)
    assert mfa.verify_totp(device, code_for(device, offset=1))
    assert not mfa.verify_totp(device, code_for(device))
    assert not mfa.verify_totp(device, code_for(device, offset=-1))
    assert not mfa.verify_totp(device, code_for(device, offset=5))


def test_a_recovery_code_works_once(client, case_manager):
    totp_device(case_manager)
    codes = mfa.new_recovery_codes(case_manager)
    login_password_only(client, case_manager)

    response = _verify(client, codes[3].upper().replace("-", " "))
    assert response.status_code == 302
    assert mfa.unused_recovery_codes(case_manager) == 9

    other = client.__class__()
    login_password_only(other, case_manager)
    assert _verify(other, codes[3]).status_code == 422
    assert _verify(other, codes[4]).status_code == 302


def test_lockout_after_repeated_wrong_codes_also_locks_the_password(client, case_manager, settings):
    settings.LOTSE_LOGIN_MAX_FAILURES = 3
    device = totp_device(case_manager)
    assert _sign_in(client, "cm").status_code == 302
    wrong = str((int(code_for(device)) + 500_000) % 1_000_000).zfill(6)
    for _ in range(3):
        assert _verify(client, wrong).status_code == 422

    response = _verify(client, code_for(device))
    assert response.status_code == 422
    assert response.context["form"].errors["code"]  # "Zu viele fehlgeschlagene Anmeldeversuche …"
    assert "Zu viele" in str(response.context["form"].errors["code"])
    assert client.get(reverse("home")).status_code == 302
    # A new password sign-in neither resets the count nor gets past the lock.
    fresh = client.__class__()
    assert _sign_in(fresh, "cm").status_code == 200


def test_a_correct_password_does_not_reset_the_code_failures(client, case_manager, settings):
    settings.LOTSE_LOGIN_MAX_FAILURES = 5
    totp_device(case_manager)
    assert _sign_in(client, "cm").status_code == 302
    _verify(client, "123456x")  # not even a code: still counted
    assert LoginFailure.objects.filter(username="cm").count() == 1
    assert _sign_in(client.__class__(), "cm").status_code == 302
    assert LoginFailure.objects.filter(username="cm").count() == 1


def test_a_new_sign_in_needs_the_second_factor_again(client, case_manager):
    device = totp_device(case_manager)
    login_password_only(client, case_manager)
    assert _verify(client, code_for(device)).status_code == 302
    client.post(reverse("logout"))
    assert _sign_in(client, "cm").status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_demo_accounts_are_exempt_only_in_demo_mode(client, case_manager, settings):
    case_manager.mfa_exempt = True
    case_manager.save()

    settings.DEMO = False
    assert _sign_in(client, "cm").status_code == 302
    assert client.get(reverse("cases:my_cases"))["Location"].startswith(reverse("mfa_enroll"))
    client.post(reverse("logout"))

    settings.DEMO = True
    assert _sign_in(client, "cm").status_code == 302
    page = client.get(reverse("cases:my_cases"))
    assert page.status_code == 200
    assert b"data-mfa-demo-banner" in page.content
    assert (
        "Demo-Modus: Die Demo-Konten melden sich ohne zweiten Faktor an." in (page.content.decode())
        or BANNER in page.content.decode()
    )


def test_no_banner_for_other_users_in_demo_mode(client, case_manager, settings):
    settings.DEMO = True
    client.force_login(case_manager)
    page = client.get(reverse("cases:my_cases"))
    assert page.status_code == 200
    assert b"data-mfa-demo-banner" not in page.content


def test_loaddemo_marks_the_demo_users_exempt_and_demo_signs_in(client, settings):
    from io import StringIO

    from django.core.management import call_command

    from lotse.accounts.models import User

    settings.DEMO = True
    call_command("loaddemo", size=4, stdout=StringIO())
    demo_users = User.objects.filter(email__endswith="@demo.lotse.invalid")
    assert demo_users.exists()
    assert not demo_users.filter(mfa_exempt=False).exists()

    # The demo password "demo" works: set_password does not run the password rules.
    assert _sign_in(client, "casemanager", "demo").status_code == 302
    page = client.get(reverse("cases:my_cases"))
    assert page.status_code == 200 and b"data-mfa-demo-banner" in page.content
