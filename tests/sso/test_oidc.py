"""Sign-in via the municipality's OpenID Connect provider, end to end against a real local
provider (tests/sso/idp.py): redirect → (the test plays the provider's login page) → callback.
"""

from __future__ import annotations

import itertools
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from lotse.accounts import mfa
from lotse.audit.models import AuditEntry
from lotse.sso.models import ExternalIdentity
from tests.factories import UserFactory
from tests.sso.idp import CLIENT_ID, FakeProvider, new_key

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/oidc/callback/"
UNKNOWN = (
    "Your municipal account is not linked to a Lotse account. Please contact the Lotse "
    "administration."
)
NOT_CONFIRMED = "The sign-in via the municipal account could not be confirmed. Please try again."
_codes = itertools.count(1)


def sign_in(client: Client, provider: FakeProvider, *, next_url: str = "", **claims):
    """Start at Lotse, 'log in' at the provider with ``claims``, return the callback's answer."""
    start = reverse("sso:oidc_login") + (f"?next={next_url}" if next_url else "")
    redirect = client.get(start)
    assert redirect.status_code == 302
    location = urlparse(redirect["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.issuer}/authorize"
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
    assert query["redirect_uri"] == CALLBACK and query["code_challenge_method"] == "S256"
    assert "openid" in query["scope"].split()
    code = f"code-{next(_codes)}"
    claims.setdefault("nonce", query["nonce"])
    provider.grant(
        code, code_challenge=query["code_challenge"], redirect_uri=query["redirect_uri"], **claims
    )
    return client.get(reverse("sso:oidc_callback"), {"code": code, "state": query["state"]})


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def officer(traeger, organisation):
    return UserFactory(
        username="sachbearbeitung",
        email="Anna.Beispiel@kreis-test.de",
        traeger=traeger,
        organisation=organisation,
    )


def test_not_configured_there_is_no_oidc_url_and_no_button(client):
    assert client.get(reverse("sso:oidc_login")).status_code == 404
    assert client.get(reverse("sso:oidc_callback"), {"code": "x", "state": "y"}).status_code == 404
    assert reverse("sso:oidc_login") not in client.get(reverse("login")).content.decode()


def test_login_page_offers_the_municipal_account(client, oidc):
    page = client.get(reverse("login") + "?next=/faelle/").content.decode()

    assert f'href="{reverse("sso:oidc_login")}?next=/faelle/"' in page
    assert gettext("Sign in with the municipal account") in page


def test_first_sign_in_links_by_verified_email_then_by_subject(client, oidc, officer):
    response = sign_in(
        client, oidc, next_url="/faelle/", email="anna.beispiel@kreis-test.de", email_verified=True
    )

    assert response.status_code == 302 and response["Location"] == "/faelle/"
    assert signed_in_user_id(client) == str(officer.pk)
    identity = ExternalIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (
        officer,
        oidc.issuer,
        "kommune-4711",
    )
    assert identity.last_login_at is not None
    login = AuditEntry.objects.get(action="login", user=officer)
    assert "OpenID Connect" in login.detail
    assert AuditEntry.objects.filter(object_type="external_identity", user=officer).exists()
    token_request = oidc.token_requests[-1]
    assert token_request["redirect_uri"] == CALLBACK and token_request["code_verifier"]

    # Later sign-ins go by the subject alone, whatever the e-mail claim says.
    client.post(reverse("logout"))
    assert signed_in_user_id(client) is None
    sign_in(client, oidc, email="ganz.anders@example.org", email_verified=False)
    assert signed_in_user_id(client) == str(officer.pk)
    assert ExternalIdentity.objects.count() == 1


def test_no_user_is_ever_created(client, oidc):
    users_before = set(UserFactory._meta.model.objects.values_list("pk", flat=True))

    response = sign_in(client, oidc, email="neu@kreis-test.de", email_verified=True)

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_user_id(client) is None
    assert set(UserFactory._meta.model.objects.values_list("pk", flat=True)) == users_before
    assert not ExternalIdentity.objects.exists()
    assert messages_of(response) == [gettext(UNKNOWN)]


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "anna.beispiel@kreis-test.de", "email_verified": False},
        {"email": "anna.beispiel@kreis-test.de"},
        {"email": None},
    ],
    ids=["email-not-verified", "email-verified-missing", "no-email"],
)
def test_unknown_subject_without_verified_email_is_refused(client, oidc, officer, claims):
    response = sign_in(client, oidc, **claims)

    assert signed_in_user_id(client) is None
    assert messages_of(response) == [gettext(UNKNOWN)]
    # The message is shown on the login page the browser is sent to.
    assert gettext(UNKNOWN) in client.get(response["Location"]).content.decode()


def test_linking_by_email_can_be_switched_off(client, oidc, officer, settings):
    settings.LOTSE_OIDC_LINK_BY_EMAIL = False

    response = sign_in(client, oidc, email=officer.email, email_verified=True)

    assert signed_in_user_id(client) is None
    assert messages_of(response) == [gettext(UNKNOWN)]


def test_two_users_with_the_address_are_ambiguous(client, oidc, officer):
    UserFactory(username="zweitkonto", email=officer.email.upper())

    sign_in(client, oidc, email=officer.email, email_verified=True)

    assert signed_in_user_id(client) is None
    assert not ExternalIdentity.objects.exists()


def test_a_disabled_user_is_refused(client, oidc, officer):
    ExternalIdentity.objects.create(user=officer, issuer=oidc.issuer, subject="kommune-4711")
    officer.is_active = False
    officer.save()

    response = sign_in(client, oidc)

    assert signed_in_user_id(client) is None
    assert messages_of(response) == [
        gettext("Your Lotse account is deactivated. Please contact the Lotse administration.")
    ]


def test_a_disabled_user_is_not_linked_by_email(client, oidc, officer):
    officer.is_active = False
    officer.save()

    sign_in(client, oidc, email=officer.email, email_verified=True)

    assert signed_in_user_id(client) is None
    assert not ExternalIdentity.objects.exists()


def test_an_identity_of_another_issuer_does_not_count(client, oidc, officer):
    ExternalIdentity.objects.create(
        user=officer, issuer="https://andere-kommune.example", subject="kommune-4711"
    )

    sign_in(client, oidc)

    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    "forged",
    [
        {"aud": "andere-anwendung"},
        {"aud": [CLIENT_ID, "andere-anwendung"]},  # several audiences without azp
        {"iss": "https://falscher-anbieter.example"},
        {"nonce": "wiederverwendet"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"key": "other"},
        {"sub": None},
    ],
    ids=["audience", "audiences-without-azp", "issuer", "nonce", "expired", "signature", "no-sub"],
)
def test_forged_or_foreign_id_tokens_are_refused(client, oidc, officer, forged):
    ExternalIdentity.objects.create(user=officer, issuer=oidc.issuer, subject="kommune-4711")
    if forged.get("key") == "other":
        forged = {"key": new_key()}

    response = sign_in(client, oidc, **forged)

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_user_id(client) is None
    assert messages_of(response) == [gettext(NOT_CONFIRMED)]
    assert not AuditEntry.objects.filter(action="login").exists()


def test_a_replayed_callback_is_refused(client, oidc, officer):
    ExternalIdentity.objects.create(user=officer, issuer=oidc.issuer, subject="kommune-4711")
    sign_in(client, oidc)
    client.post(reverse("logout"))

    # Same state again: it was used up by the first callback.
    response = client.get(reverse("sso:oidc_callback"), {"code": "code-1", "state": "alt"})

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_user_id(client) is None


def test_an_error_from_the_provider_is_reported(client, oidc):
    client.get(reverse("sso:oidc_login"))

    response = client.get(reverse("sso:oidc_callback"), {"error": "access_denied"})

    assert response["Location"] == reverse("login")
    assert messages_of(response) == [
        gettext("The sign-in via the municipal account was cancelled or has failed.")
    ]


def test_an_unreachable_provider_is_reported_on_the_login_page(client, settings):
    settings.LOTSE_OIDC_ISSUER = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.LOTSE_OIDC_CLIENT_ID = CLIENT_ID
    settings.LOTSE_OIDC_CLIENT_SECRET = "x"
    settings.LOTSE_OIDC_TIMEOUT = 2

    response = client.get(reverse("sso:oidc_login"))

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert len(messages_of(response)) == 1


# The second factor: done at the provider when amr/acr say so, otherwise Lotse's own applies.


@pytest.mark.parametrize(
    "claims",
    [{"amr": ["pwd", "mfa"]}, {"amr": ["hwk"]}, {"acr": "urn:kommune:loa:hoch"}],
    ids=["amr-mfa", "amr-hwk", "acr"],
)
def test_strong_authentication_at_the_provider_counts_as_second_factor(
    client, oidc, officer, settings, claims
):
    settings.LOTSE_OIDC_MFA_ACR = ["urn:kommune:loa:hoch"]
    ExternalIdentity.objects.create(user=officer, issuer=oidc.issuer, subject="kommune-4711")

    sign_in(client, oidc, **claims)

    assert signed_in_user_id(client) == str(officer.pk)
    assert isinstance(client.session[mfa.SESSION_MFA_VERIFIED_AT], int)
    assert client.get(reverse("cases:my_cases")).status_code in {200, 403}
    assert "zweiter Faktor" in AuditEntry.objects.get(action="login").detail


@pytest.mark.parametrize(
    "claims", [{"amr": ["pwd"]}, {"acr": "urn:kommune:loa:niedrig"}, {}], ids=["pwd", "acr", "none"]
)
def test_without_strong_authentication_lotses_second_factor_applies(
    client, oidc, officer, settings, claims
):
    settings.LOTSE_OIDC_MFA_ACR = ["urn:kommune:loa:hoch"]
    ExternalIdentity.objects.create(user=officer, issuer=oidc.issuer, subject="kommune-4711")

    sign_in(client, oidc, **claims)

    assert signed_in_user_id(client) == str(officer.pk)
    assert mfa.SESSION_MFA_VERIFIED_AT not in client.session
    response = client.get(reverse("cases:my_cases"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_enroll"))


def test_sign_out_ends_the_session_and_the_second_factor(client, oidc, officer):
    ExternalIdentity.objects.create(user=officer, issuer=oidc.issuer, subject="kommune-4711")
    sign_in(client, oidc, amr=["mfa"])

    client.post(reverse("logout"))

    assert signed_in_user_id(client) is None
    assert mfa.SESSION_MFA_VERIFIED_AT not in client.session
    assert client.get(reverse("cases:my_cases")).status_code == 302


def test_password_sign_in_still_works_beside_oidc(client, oidc, case_manager):
    response = client.post(reverse("login"), {"username": "cm", "password": "demo-password-123"})

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(case_manager.pk)
