"""Security keys (WebAuthn): registration and sign-in verified by the server.

The authenticator is software (:class:`SoftAuthenticator`): an EC P-256 key from
``cryptography``, clientDataJSON, authenticatorData (RP ID hash, flags, signature counter,
attested credential data with the COSE key) and a "none" attestation object in CBOR, signed
assertions. py_webauthn on the server checks what a browser and a real key would send.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from lotse.accounts import mfa, security_keys
from lotse.accounts.models import LoginFailure, RecoveryCode, TotpDevice, WebAuthnCredential
from lotse.accounts.relying_party import resolve_production
from lotse.accounts.security import record_login_failure
from lotse.audit.models import AuditEntry
from tests.auth import login_password_only, totp_device
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RP_ID = "testserver"
ORIGIN = "http://testserver"
FLAG_UP, FLAG_UV, FLAG_AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftAuthenticator:
    """A security key in software: one credential, a signature counter, "none" attestation."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.sign_count = 0

    @property
    def id(self) -> str:
        return b64url(self.credential_id)

    def cose_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _auth_data(self, rp_id: str, flags: int, attested: bool) -> bytes:
        data = hashlib.sha256(rp_id.encode()).digest()
        data += bytes([flags]) + self.sign_count.to_bytes(4, "big")
        if attested:
            data += bytes(16)  # AAGUID (all zero: no attestation)
            data += len(self.credential_id).to_bytes(2, "big") + self.credential_id
            data += self.cose_key()
        return data

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        ).encode()

    def create(self, options: dict, *, origin: str = ORIGIN, challenge: str | None = None) -> str:
        """The browser's JSON for navigator.credentials.create with these options."""
        client_data = self._client_data(
            "webauthn.create", challenge or options["challenge"], origin
        )
        auth_data = self._auth_data(options["rp"]["id"], FLAG_UP | FLAG_UV | FLAG_AT, True)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps(
            {
                "id": self.id,
                "rawId": self.id,
                "type": "public-key",
                "clientExtensionResults": {},
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "attestationObject": b64url(attestation),
                    "transports": ["usb", "nfc"],
                },
            }
        )

    def get(
        self,
        options: dict,
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        challenge: str | None = None,
        count: int | None = None,
    ) -> str:
        """The browser's JSON for navigator.credentials.get, signed with the private key."""
        self.sign_count = self.sign_count + 1 if count is None else count
        client_data = self._client_data("webauthn.get", challenge or options["challenge"], origin)
        auth_data = self._auth_data(rp_id or options["rpId"], FLAG_UP | FLAG_UV, False)
        signature = self.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return json.dumps(
            {
                "id": self.id,
                "rawId": self.id,
                "type": "public-key",
                "clientExtensionResults": {},
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "authenticatorData": b64url(auth_data),
                    "signature": b64url(signature),
                    "userHandle": None,
                },
            }
        )


# -- helpers --------------------------------------------------------------------------------


@pytest.fixture
def user(case_manager):
    totp_device(case_manager)
    return case_manager


def _registration_options(client) -> dict:
    response = client.post(reverse("security_key_options"))
    assert response.status_code == 200, response.content
    return response.json()


def _register(client, authenticator: SoftAuthenticator, name: str = "YubiKey Büro", **kwargs):
    options = _registration_options(client)
    credential = authenticator.create(options, **kwargs)
    return client.post(reverse("security_keys"), {"name": name, "credential": credential})


def _key_for(user, authenticator: SoftAuthenticator, name: str = "YubiKey") -> WebAuthnCredential:
    """A registered key (through the page, as a user would add it)."""
    client = Client()
    client.force_login(user)
    response = _register(client, authenticator, name=name)
    assert response.status_code == 302, response.content.decode()
    return WebAuthnCredential.objects.get(credential_id=authenticator.id)


def _sign_in_options(client) -> dict:
    response = client.post(reverse("mfa_security_key_options"))
    assert response.status_code == 200, response.content
    return response.json()


def _sign_in(client, credential: str, next_url: str | None = None):
    data = {"credential": credential}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("mfa_security_key"), data)


# -- registration ---------------------------------------------------------------------------


def test_registration_stores_the_verified_public_key(client, user):
    authenticator = SoftAuthenticator()
    client.force_login(user)
    options = _registration_options(client)

    assert options["rp"] == {"id": RP_ID, "name": "Lotse"}
    assert options["user"]["name"] == user.username
    assert options["user"]["id"] != b64url(str(user.pk).encode())
    assert options["attestation"] == "none"
    assert options["authenticatorSelection"]["userVerification"] == "preferred"

    credential = authenticator.create(options)
    response = client.post(
        reverse("security_keys"), {"name": "YubiKey Büro", "credential": credential}
    )

    assert response.status_code == 302
    key = WebAuthnCredential.objects.get(user=user)
    assert key.name == "YubiKey Büro"
    assert key.credential_id == authenticator.id
    assert bytes(key.public_key) == authenticator.cose_key()
    assert key.sign_count == 0
    assert key.transports == ["usb", "nfc"]
    assert key.last_used_at is None
    assert AuditEntry.objects.filter(
        object_type="security_key", action="create", object_id=str(key.pk)
    ).exists()
    page = client.get(reverse("security_keys"))
    assert "YubiKey Büro" in page.content.decode()

    # The next registration excludes the key already there.
    again = _registration_options(client)
    assert [item["id"] for item in again["excludeCredentials"]] == [authenticator.id]


def test_a_replayed_registration_is_refused(client, user):
    authenticator = SoftAuthenticator()
    client.force_login(user)
    credential = authenticator.create(_registration_options(client))
    assert (
        client.post(
            reverse("security_keys"), {"name": "Erster", "credential": credential}
        ).status_code
        == 302
    )

    WebAuthnCredential.objects.all().delete()
    replay = client.post(reverse("security_keys"), {"name": "Zweiter", "credential": credential})

    assert replay.status_code == 422
    assert "konnte nicht hinzugefügt werden" in replay.content.decode()
    assert not WebAuthnCredential.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        {"challenge": b64url(b"x" * 32)},
        {"origin": "https://evil.example"},
    ],
    ids=["wrong-challenge", "wrong-origin"],
)
def test_registration_with_a_wrong_challenge_or_origin_is_refused(client, user, tamper):
    client.force_login(user)

    response = _register(client, SoftAuthenticator(), **tamper)

    assert response.status_code == 422
    assert not WebAuthnCredential.objects.exists()


def test_a_registration_challenge_expires(client, user):
    authenticator = SoftAuthenticator()
    client.force_login(user)
    credential = authenticator.create(_registration_options(client))
    session = client.session
    session[security_keys.SESSION_REGISTRATION]["at"] -= security_keys.CHALLENGE_SECONDS + 1
    session.save()

    response = client.post(reverse("security_keys"), {"name": "Alt", "credential": credential})

    assert response.status_code == 422
    assert not WebAuthnCredential.objects.exists()


def test_registration_needs_a_name_and_a_response(client, user):
    client.force_login(user)
    _registration_options(client)

    no_name = client.post(reverse("security_keys"), {"name": " ", "credential": "{}"})
    no_script = client.post(reverse("security_keys"), {"name": "Ohne Skript", "credential": ""})

    assert no_name.status_code == 422
    assert no_script.status_code == 422
    assert "konnte nicht hinzugefügt werden" in no_script.content.decode()
    assert not WebAuthnCredential.objects.exists()


def test_keys_need_the_authenticator_app_first(client, case_manager):
    client.force_login(case_manager)

    page = client.get(reverse("security_keys"))
    options = client.post(reverse("security_key_options"))

    assert page.status_code == 200
    assert "Richten Sie zuerst die Authenticator-App ein." in page.content.decode()
    assert b"data-security-key-root" not in page.content
    assert options.status_code == 403
    assert "detail" in options.json()


def test_adding_needs_a_recent_sign_in(client, user):
    client.force_login(user)
    session = client.session
    session[mfa.SESSION_AUTH_AT] = int(time.time()) - 3600
    session.save()

    page = client.get(reverse("security_keys"))
    options = client.post(reverse("security_key_options"))

    assert reverse("reauth") in page.content.decode()
    assert b"data-security-key-root" not in page.content
    assert options.status_code == 403
    assert "application/json" not in options["Content-Type"]  # the confirmation page
    assert security_keys.SESSION_REGISTRATION not in client.session


# -- sign-in --------------------------------------------------------------------------------


def test_sign_in_with_a_key_verifies_and_cycles_the_session(client, user):
    authenticator = SoftAuthenticator()
    key = _key_for(user, authenticator)
    LoginFailure.objects.create(username=user.username, ip_address="127.0.0.1")
    login_password_only(client, user)
    page = client.get(reverse("mfa_verify"))
    assert b"data-security-key-root" in page.content
    assert "Mit Sicherheitsschlüssel anmelden".encode() in page.content
    session_key = client.session.session_key

    options = _sign_in_options(client)
    assert options["rpId"] == RP_ID
    assert options["userVerification"] == "preferred"
    assert [item["id"] for item in options["allowCredentials"]] == [authenticator.id]
    response = _sign_in(client, authenticator.get(options), next_url="/personen/")

    assert response.status_code == 302
    assert response["Location"] == "/personen/"
    assert mfa.SESSION_MFA_VERIFIED_AT in client.session
    assert client.session.session_key != session_key
    assert not LoginFailure.objects.filter(username=user.username).exists()
    key.refresh_from_db()
    assert key.sign_count == 1
    assert key.last_used_at is not None
    assert client.get(reverse("cases:my_cases")).status_code == 200
    assert AuditEntry.objects.filter(
        user=user,
        action="login",
        object_type="session",
        detail="zweiter Faktor: Sicherheitsschlüssel",
    ).exists()


def test_sign_in_with_an_unsafe_next_url_goes_home(client, user):
    authenticator = SoftAuthenticator()
    _key_for(user, authenticator)
    login_password_only(client, user)

    response = _sign_in(
        client, authenticator.get(_sign_in_options(client)), next_url="https://evil.example/"
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("start")


def _refused(client, user, response) -> None:
    assert response.status_code == 422
    assert (
        "Die Anmeldung mit dem Sicherheitsschlüssel ist fehlgeschlagen" in response.content.decode()
    )
    assert mfa.SESSION_MFA_VERIFIED_AT not in client.session
    assert LoginFailure.objects.filter(username=user.username).count() == 1
    assert client.get(reverse("cases:my_cases")).status_code == 302


def test_a_replayed_assertion_is_refused(client, user):
    authenticator = SoftAuthenticator()
    _key_for(user, authenticator)
    first = Client()
    login_password_only(first, user)
    credential = authenticator.get(_sign_in_options(first))
    assert _sign_in(first, credential).status_code == 302

    # The same response again, in a session waiting for its own (different) challenge.
    login_password_only(client, user)
    _sign_in_options(client)
    _refused(client, user, _sign_in(client, credential))


def test_a_response_counts_once_even_when_two_requests_carry_its_challenge(client, user):
    """Two simultaneous requests of one session both read the challenge before either saves
    the session: for a key whose counter stays 0 the counter cannot tell them apart, the
    remembered challenge does."""
    from django.test import RequestFactory

    from lotse.accounts import security_keys

    authenticator = SoftAuthenticator()
    key = _key_for(user, authenticator)
    WebAuthnCredential.objects.filter(pk=key.pk).update(sign_count=0)
    login_password_only(client, user)
    options = _sign_in_options(client)
    pending = client.session[security_keys.SESSION_AUTHENTICATION]
    credential = authenticator.get(options, count=0)

    def attempt() -> bool:
        request = RequestFactory().post("/", HTTP_HOST="testserver")
        request.user = user
        request.session = {security_keys.SESSION_AUTHENTICATION: dict(pending)}
        return security_keys.key_authenticate(request=request, user=user, credential=credential).ok

    assert attempt() is True
    assert attempt() is False


def test_a_challenge_is_used_once(client, user):
    authenticator = SoftAuthenticator()
    _key_for(user, authenticator)
    login_password_only(client, user)
    options = _sign_in_options(client)
    wrong = authenticator.get(options, origin="https://evil.example")
    _refused(client, user, _sign_in(client, wrong))

    # The right response to the same challenge is refused now: the challenge is gone.
    response = _sign_in(client, authenticator.get(options))
    assert response.status_code == 422
    assert mfa.SESSION_MFA_VERIFIED_AT not in client.session


@pytest.mark.parametrize(
    "tamper",
    [
        {"challenge": b64url(b"y" * 32)},
        {"origin": "https://evil.example"},
        {"rp_id": "evil.example"},
    ],
    ids=["wrong-challenge", "wrong-origin", "wrong-rp-id"],
)
def test_sign_in_with_a_wrong_challenge_origin_or_rp_is_refused(client, user, tamper):
    authenticator = SoftAuthenticator()
    _key_for(user, authenticator)
    login_password_only(client, user)

    response = _sign_in(client, authenticator.get(_sign_in_options(client), **tamper))

    _refused(client, user, response)


def test_a_challenge_expires(client, user):
    authenticator = SoftAuthenticator()
    _key_for(user, authenticator)
    login_password_only(client, user)
    options = _sign_in_options(client)
    session = client.session
    session[security_keys.SESSION_AUTHENTICATION]["at"] -= security_keys.CHALLENGE_SECONDS + 1
    session.save()

    _refused(client, user, _sign_in(client, authenticator.get(options)))


def test_a_signature_counter_that_does_not_grow_is_refused(client, user):
    """A counter at or below the stored one points to a cloned key."""
    authenticator = SoftAuthenticator()
    key = _key_for(user, authenticator)
    WebAuthnCredential.objects.filter(pk=key.pk).update(sign_count=10)
    login_password_only(client, user)

    response = _sign_in(client, authenticator.get(_sign_in_options(client), count=10))

    _refused(client, user, response)
    key.refresh_from_db()
    assert key.sign_count == 10
    assert key.last_used_at is None


def test_a_forged_signature_is_refused(client, user):
    authenticator = SoftAuthenticator()
    _key_for(user, authenticator)
    login_password_only(client, user)
    options = _sign_in_options(client)
    forged = json.loads(authenticator.get(options))
    impostor = SoftAuthenticator()
    impostor.credential_id = authenticator.credential_id
    forged["response"]["signature"] = json.loads(impostor.get(options))["response"]["signature"]

    _refused(client, user, _sign_in(client, json.dumps(forged)))


def test_another_users_key_is_refused(client, user, traeger, organisation):
    other = UserFactory(username="other", traeger=traeger, organisation=organisation)
    totp_device(other)
    others_key = SoftAuthenticator()
    _key_for(other, others_key)
    _key_for(user, SoftAuthenticator())
    login_password_only(client, user)

    options = _sign_in_options(client)
    assert others_key.id not in [item["id"] for item in options["allowCredentials"]]
    response = _sign_in(client, others_key.get(options))

    _refused(client, user, response)


def test_failures_lock_the_key_sign_in_out(client, user, settings):
    settings.LOTSE_LOGIN_MAX_FAILURES = 3
    authenticator = SoftAuthenticator()
    _key_for(user, authenticator)
    login_password_only(client, user)
    for _ in range(2):
        wrong = authenticator.get(_sign_in_options(client), origin="https://x.example")
        assert _sign_in(client, wrong).status_code == 422
    options = _sign_in_options(client)
    record_login_failure(user.username, "127.0.0.1")  # e.g. a wrong code: the same count

    locked = client.post(reverse("mfa_security_key_options"))
    assert locked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in locked.json()["detail"]

    # Even a correct response is not checked while locked out.
    response = _sign_in(client, authenticator.get(options))
    assert response.status_code == 422
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert mfa.SESSION_MFA_VERIFIED_AT not in client.session


def test_the_code_step_without_keys_offers_none(client, user):
    login_password_only(client, user)

    page = client.get(reverse("mfa_verify"))
    options = client.post(reverse("mfa_security_key_options"))

    assert b"data-security-key-root" not in page.content
    assert b"security-keys.js" not in page.content
    assert options.status_code == 400


def test_the_key_button_is_hidden_until_the_script_finds_webauthn(client, user):
    """Without JavaScript the code form is all there is; the script reveals the key option."""
    _key_for(user, SoftAuthenticator())
    login_password_only(client, user)

    page = client.get(reverse("mfa_verify")).content.decode()

    root = page.split("data-security-key-root", 1)[1].split(">", 1)[0]
    assert " hidden" in root
    assert 'name="code"' in page


# -- middleware -----------------------------------------------------------------------------


def test_before_the_second_factor_only_the_key_sign_in_is_open(client, user):
    authenticator = SoftAuthenticator()
    key = _key_for(user, authenticator)
    login_password_only(client, user)

    assert client.post(reverse("mfa_security_key_options")).status_code == 200
    assert client.post(reverse("mfa_security_key"), {"credential": ""}).status_code == 422
    LoginFailure.objects.all().delete()
    for response in (
        client.get(reverse("security_keys")),
        client.post(reverse("security_key_options")),
        client.post(reverse("security_key_remove", args=[key.pk])),
        client.post(reverse("security_keys"), {"name": "x", "credential": "{}"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_verify"))
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()
    assert security_keys.SESSION_REGISTRATION not in client.session


def test_the_key_sign_in_needs_a_password_step_first(client, user):
    assert client.post(reverse("mfa_security_key_options")).status_code == 302
    response = client.post(reverse("mfa_security_key"), {"credential": "{}"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# -- the key page ---------------------------------------------------------------------------


def test_a_user_sees_and_removes_only_own_keys(client, user, traeger, organisation):
    other = UserFactory(username="other", traeger=traeger, organisation=organisation)
    totp_device(other)
    others_key = _key_for(other, SoftAuthenticator(), name="Fremder Schlüssel")
    own_key = _key_for(user, SoftAuthenticator(), name="Eigener Schlüssel")
    client.force_login(user)

    page = client.get(reverse("security_keys")).content.decode()
    assert "Eigener Schlüssel" in page
    assert "Fremder Schlüssel" not in page

    assert client.post(reverse("security_key_remove", args=[others_key.pk])).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=others_key.pk).exists()

    response = client.post(reverse("security_key_remove", args=[own_key.pk]))
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=own_key.pk).exists()
    assert AuditEntry.objects.filter(
        object_type="security_key", action="delete", object_id=str(own_key.pk)
    ).exists()


def test_removing_a_key_needs_a_recent_sign_in(client, user):
    key = _key_for(user, SoftAuthenticator())
    client.force_login(user)
    session = client.session
    session[mfa.SESSION_AUTH_AT] = int(time.time()) - 3600
    session.save()

    response = client.post(reverse("security_key_remove", args=[key.pk]))

    assert response.status_code == 403
    assert b'action="/anmelden/bestaetigen/"' in response.content
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()


def test_removing_a_key_needs_the_csrf_token(user):
    key = _key_for(user, SoftAuthenticator())
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.post(reverse("security_key_remove", args=[key.pk])).status_code == 403
    assert client.post(reverse("security_key_options")).status_code == 403
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()

    page = client.get(reverse("security_keys"))
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]
    response = client.post(
        reverse("security_key_remove", args=[key.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=key.pk).exists()


def test_the_header_links_the_key_page(client, user):
    client.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    assert f'href="{reverse("security_keys")}"' in page


def test_the_administrations_reset_removes_the_keys_too(client, user, traeger):
    _key_for(user, SoftAuthenticator())
    admin = UserFactory(username="root", traeger=traeger, is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
    )

    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=user).exists()
    assert not TotpDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()


# -- relying party --------------------------------------------------------------------------


def test_configured_relying_party_wins_over_the_request(client, user, settings):
    settings.LOTSE_WEBAUTHN_RP_ID = "kreis.example"
    settings.LOTSE_WEBAUTHN_ORIGIN = "https://lotse.kreis.example"
    authenticator = SoftAuthenticator()
    client.force_login(user)

    options = _registration_options(client)
    assert options["rp"]["id"] == "kreis.example"
    wrong = client.post(
        reverse("security_keys"),
        {"name": "Schlüssel", "credential": authenticator.create(options)},  # origin: testserver
    )
    assert wrong.status_code == 422

    options = _registration_options(client)
    right = client.post(
        reverse("security_keys"),
        {
            "name": "Schlüssel",
            "credential": authenticator.create(options, origin="https://lotse.kreis.example"),
        },
    )
    assert right.status_code == 302


def test_production_relying_party_from_the_settings():
    assert resolve_production(
        rp_id="", origin="", base_url="https://lotse.kreis.de/pfad", allowed_hosts=["a", "b"]
    ) == ("lotse.kreis.de", "https://lotse.kreis.de")
    assert resolve_production(
        rp_id="", origin="", base_url="", allowed_hosts=["lotse.kreis.de"]
    ) == ("lotse.kreis.de", "https://lotse.kreis.de")
    assert resolve_production(
        rp_id="kreis.de", origin="https://lotse.kreis.de", base_url="", allowed_hosts=[]
    ) == ("kreis.de", "https://lotse.kreis.de")


@pytest.mark.parametrize(
    ("base_url", "allowed_hosts"),
    [
        ("", ["lotse.kreis.de", "lotse.kreis-intern.de"]),  # which one?
        ("", [".kreis.de"]),
        ("", ["*"]),
        ("", []),
        ("http://lotse.intern", ["lotse.intern"]),  # no HTTPS base URL
    ],
)
def test_production_without_a_fitting_origin_switches_keys_off(base_url, allowed_hosts):
    """Keys are optional: nothing set and nothing derivable is no reason to refuse the start."""
    assert resolve_production(
        rp_id="", origin="", base_url=base_url, allowed_hosts=allowed_hosts
    ) == ("", "")


@pytest.mark.parametrize(
    ("rp_id", "origin", "base_url", "allowed_hosts"),
    [
        ("kreis.de", "", "", ["a.kreis.de", "b.kreis.de"]),  # RP ID set, origin not derivable
        ("", "http://lotse.kreis.de", "", []),  # not HTTPS
        ("andere-domain.de", "https://lotse.kreis.de", "", []),  # RP ID does not fit
        ("reis.de", "https://lotse.kreis.de", "", []),  # not a domain suffix
    ],
)
def test_production_relying_party_set_wrongly_fails_closed(rp_id, origin, base_url, allowed_hosts):
    with pytest.raises(ImproperlyConfigured):
        resolve_production(
            rp_id=rp_id, origin=origin, base_url=base_url, allowed_hosts=allowed_hosts
        )


def test_switched_off_keys_are_offered_nowhere_and_refused(client, user, settings):
    authenticator = SoftAuthenticator()
    _key_for(user, authenticator)
    login_password_only(client, user)
    options = _sign_in_options(client)
    credential = authenticator.get(options)
    settings.LOTSE_WEBAUTHN_ENABLED = False

    assert b"data-security-key-root" not in client.get(reverse("mfa_verify")).content
    assert client.post(reverse("mfa_security_key_options")).status_code == 400
    response = _sign_in(client, credential)
    assert response.status_code == 422
    assert mfa.SESSION_MFA_VERIFIED_AT not in client.session

    client.force_login(user)
    page = client.get(reverse("security_keys")).content.decode()
    assert "data-security-keys-off" in page and "LOTSE_WEBAUTHN_ORIGIN" in page
    assert client.post(reverse("security_key_options")).status_code == 403
    assert b"data-security-key-root" not in client.get(reverse("reauth")).content
