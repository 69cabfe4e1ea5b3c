"""URL classification and permission matrix of the sign-in additions of issue 4.

- ``tokens:*``: the page where every signed-in user manages their *own* API tokens. Another
  user's token is a 404 like a missing one, whoever asks.
- The OpenID Connect URLs (``sso:*``) answer 404 while OpenID Connect is not configured (as in
  these tests); their behaviour with a configured identity provider is tested in tests/sso.
  ``sso:oidc_reauth`` (confirming the sign-in at the provider) also needs a linked identity.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lotse.api.models import ApiToken
from lotse.api.services import hash_secret
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def _token(w: World) -> dict[str, int]:
    """A token of Träger A's case manager (created on first use)."""
    token = getattr(w, "_api_token", None)
    if token is None:
        secret = "a" * 43
        token = ApiToken.objects.create(
            user=w.case_manager,
            name="Alpha-Auswertung",
            prefix=secret[:8],
            token_hash=hash_secret(secret),
            expires_at=timezone.now() + dt.timedelta(days=30),
        )
        w._api_token = token  # type: ignore[attr-defined]
    return {"pk": token.pk}


ENDPOINTS = {
    "tokens:list": Endpoint(
        Scope.TRAEGER,
        api=False,
        methods={"GET": None, "POST": lambda w: {"name": "Auswertung", "days": 30}},
    ),
    "tokens:revoke": Endpoint(Scope.OBJECT, api=False, kwargs=_token, methods={"POST": None}),
    "sso:oidc_login": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "sso:oidc_callback": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "sso:oidc_reauth": Endpoint(
        Scope.PUBLIC, api=False, methods={"POST": lambda w: {"next": "/faelle/"}}
    ),
}

# fmt: off
#                                 anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("tokens:list", "GET"):       (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("tokens:list", "POST"):      (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("tokens:revoke", "POST"):    (302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    ("sso:oidc_login", "GET"):    (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("sso:oidc_callback", "GET"): (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("sso:oidc_reauth", "POST"):  (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on
