"""Confirming the sign-in (re-authentication) at the identity provider, end to end against the
real local provider of tests/sso/idp.py."""

from __future__ import annotations

import itertools
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from lotse.accounts import mfa
from lotse.api.models import ApiToken
from lotse.sso.models import ExternalIdentity
from tests.factories import UserFactory
from tests.sso.idp import FakeProvider

pytestmark = pytest.mark.django_db
BUTTON = "Confirm with the municipal account"
OTHER_ACCOUNT = (
    "The confirmation was made with a different municipal account than the one you are signed "
    "in with. Please confirm with your own account."
)
NO_NEW_SIGN_IN = (
    "The municipality's sign-in service did not confirm a new sign-in. Please try again."
)
_codes = itertools.count(1)


def _age_the_sign_in(client, minutes=11):
    session = client.session
    session[mfa.SESSION_AUTH_AT] = int(time.time()) - minutes * 60
    session.save()


def start(client, provider: FakeProvider, *, next_url: str, carried=None) -> dict[str, str]:
    """Press the button; return the authorization request's query."""
    data = {"next": next_url, **{f"carried:{k}": v for k, v in (carried or {}).items()}}
    redirect = client.post(reverse("sso:oidc_reauth"), data)
    assert redirect.status_code == 302
    location = urlparse(redirect["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.issuer}/authorize"
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def confirm(client, provider: FakeProvider, *, next_url: str, carried=None, **claims):
    """Start the confirmation, 'log in again' at the provider with ``claims``, call back."""
    query = start(client, provider, next_url=next_url, carried=carried)
    code = f"reauth-{next(_codes)}"
    claims.setdefault("nonce", query["nonce"])
    claims.setdefault("auth_time", int(time.time()))
    provider.grant(
        code, code_challenge=query["code_challenge"], redirect_uri=query["redirect_uri"], **claims
    )
    return client.get(reverse("sso:oidc_callback"), {"code": code, "state": query["state"]})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def linked(client, oidc, case_manager):
    """The case manager, linked to the provider's subject, signed in 11 minutes ago."""
    ExternalIdentity.objects.create(user=case_manager, issuer=oidc.issuer, subject="kommune-4711")
    client.force_login(case_manager)
    _age_the_sign_in(client)
    return case_manager


def test_confirmation_returns_to_next_with_a_fresh_sign_in(client, oidc, linked):
    url = reverse("spreadsheets:export_cases")
    assert client.get(url).status_code == 302  # stale: sent to the confirmation
    page = client.get(reverse("reauth"), {"next": url}).content.decode()
    assert gettext(BUTTON) in page and f'action="{reverse("sso:oidc_reauth")}"' in page

    response = confirm(client, oidc, next_url=url)

    assert response.status_code == 302 and response["Location"] == url
    assert int(time.time()) - client.session[mfa.SESSION_AUTH_AT] < 60
    assert client.session["_auth_user_id"] == str(linked.pk)
    assert client.get(url).status_code == 200


def test_the_authorization_request_forces_a_new_login(client, oidc, linked):
    query = start(client, oidc, next_url="/faelle/")

    assert query["prompt"] == "login" and query["max_age"] == "0"
    assert query["nonce"] and query["state"] and query["code_challenge_method"] == "S256"


def test_strong_authentication_at_the_provider_counts_as_second_factor(
    client, oidc, linked, settings
):
    settings.LOTSE_OIDC_MFA_ACR = ["urn:kommune:loa:hoch"]

    confirm(client, oidc, next_url="/faelle/", acr="urn:kommune:loa:hoch")

    assert isinstance(client.session[mfa.SESSION_MFA_VERIFIED_AT], int)


def test_kept_entries_are_offered_to_send_again(client, oidc, linked):
    url = reverse("tokens:list")
    refused = client.post(url, {"name": "Auswertung", "days": "30"})
    assert refused.status_code == 403 and not ApiToken.objects.exists()
    assert gettext(BUTTON) in refused.content.decode()

    confirmed = confirm(client, oidc, next_url=url, carried={"name": "Auswertung", "days": "30"})

    assert confirmed.status_code == 200
    page = confirmed.content.decode()
    assert f'action="{url}"' in page and 'name="name" value="Auswertung"' in page
    assert client.post(url, {"name": "Auswertung", "days": "30"}).status_code == 200
    assert ApiToken.objects.get().name == "Auswertung"


@pytest.mark.parametrize(
    "auth_time",
    [None, int(time.time()) - 3600, "gestern"],
    ids=["missing", "old", "not-a-number"],
)
def test_without_a_recent_login_at_the_provider_it_is_refused(client, oidc, linked, auth_time):
    before = client.session[mfa.SESSION_AUTH_AT]

    response = confirm(client, oidc, next_url="/faelle/", auth_time=auth_time)

    assert response.status_code == 302
    assert response["Location"] == reverse("reauth") + "?next=%2Ffaelle%2F"
    assert messages_of(response) == [gettext(NO_NEW_SIGN_IN)]
    assert client.session[mfa.SESSION_AUTH_AT] == before
    assert client.get(reverse("spreadsheets:export_cases")).status_code == 302


def test_a_refused_confirmation_keeps_the_entries(client, oidc, linked):
    url = reverse("tokens:list")

    response = confirm(
        client, oidc, next_url=url, carried={"name": "Auswertung", "days": "30"}, auth_time=None
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert 'name="carried:name" value="Auswertung"' in page and gettext(BUTTON) in page
    assert escape(gettext(NO_NEW_SIGN_IN)) in page
    assert not ApiToken.objects.exists()


def test_abandoned_confirmations_do_not_pile_up(client, oidc, linked):
    states = [start(client, oidc, next_url="/faelle/")["state"] for _ in range(7)]

    pending = client.session["lotse_oidc_reauth"]
    assert list(pending) == states[-5:]


@pytest.mark.parametrize("other_linked", [True, False], ids=["linked-to-other", "unknown"])
def test_another_subject_is_refused_and_the_user_stays(client, oidc, linked, other_linked):
    other = UserFactory(username="kollegin", email="kollegin@kreis-test.de")
    if other_linked:
        ExternalIdentity.objects.create(user=other, issuer=oidc.issuer, subject="kommune-0815")
    before = client.session[mfa.SESSION_AUTH_AT]

    response = confirm(
        client,
        oidc,
        next_url="/faelle/",
        sub="kommune-0815",
        email="kollegin@kreis-test.de",
        email_verified=True,
    )

    assert response["Location"] == reverse("reauth") + "?next=%2Ffaelle%2F"
    assert messages_of(response) == [gettext(OTHER_ACCOUNT)]
    assert client.session["_auth_user_id"] == str(linked.pk)
    assert client.session[mfa.SESSION_AUTH_AT] == before
    assert ExternalIdentity.objects.filter(user=other).count() == int(other_linked)


def test_a_wrong_nonce_is_refused(client, oidc, linked):
    response = confirm(client, oidc, next_url="/faelle/", nonce="wiederverwendet")

    assert response["Location"] == reverse("reauth") + "?next=%2Ffaelle%2F"
    assert client.session["_auth_user_id"] == str(linked.pk)
    assert client.get(reverse("spreadsheets:export_cases")).status_code == 302


def test_a_cancelled_confirmation_keeps_the_user_signed_in(client, oidc, linked):
    query = start(client, oidc, next_url="/faelle/")

    response = client.get(
        reverse("sso:oidc_callback"), {"error": "access_denied", "state": query["state"]}
    )

    assert response["Location"] == reverse("reauth") + "?next=%2Ffaelle%2F"
    assert client.session["_auth_user_id"] == str(linked.pk)


def test_no_button_without_a_linked_identity(client, oidc, case_manager):
    client.force_login(case_manager)

    page = client.get(reverse("reauth"), {"next": "/faelle/"}).content.decode()

    assert gettext(BUTTON) not in page and 'name="password"' in page
    assert client.post(reverse("sso:oidc_reauth"), {"next": "/faelle/"}).status_code == 404


def test_no_button_without_oidc_configuration(client, provider, case_manager):
    ExternalIdentity.objects.create(
        user=case_manager, issuer=provider.issuer, subject="kommune-4711"
    )
    client.force_login(case_manager)

    page = client.get(reverse("reauth"), {"next": "/faelle/"}).content.decode()

    assert gettext(BUTTON) not in page and 'name="password"' in page
    assert client.post(reverse("sso:oidc_reauth"), {"next": "/faelle/"}).status_code == 404


def test_users_without_a_password_see_only_the_button(client, oidc, linked):
    linked.set_unusable_password()
    linked.save()
    client.force_login(linked)

    page = client.get(reverse("reauth"), {"next": "/faelle/"}).content.decode()

    assert gettext(BUTTON) in page and 'name="password"' not in page
