"""URL classification and permission matrix of the sign-in steps and the own account.

The matrix's users are signed in completely (``force_login`` includes the second factor, see
tests/auth.py): the code step and the recovery-code page send them on (302), enrollment and
re-authentication show their forms. None of these pages shows data of a Träger.

Security keys: the sign-in endpoints (``mfa_security_key*``) serve only the code step, so a
verified session is sent on (302) or told there is nothing to do (400). The matrix's users
have no authenticator app, so they may not add keys (422 / 403: the app comes first); another
user's key is a 404 like a missing one, whoever asks.
"""

from __future__ import annotations

from lotse.accounts.models import WebAuthnCredential
from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def _security_key(w: World) -> dict[str, int]:
    """A security key of Träger A's case manager (created on first use)."""
    key = getattr(w, "_security_key", None)
    if key is None:
        key = WebAuthnCredential.objects.create(
            user=w.case_manager, credential_id="a" * 43, public_key=b"\xa5", name="YubiKey"
        )
        w._security_key = key  # type: ignore[attr-defined]
    return {"pk": key.pk}


ENDPOINTS = {
    "mfa_verify": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "mfa_enroll": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "mfa_recovery_codes": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "reauth": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "reauth_security_key_options": Endpoint(Scope.PUBLIC, api=False, methods={"POST": None}),
    "password_change": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "recovery_codes_renew": Endpoint(Scope.PUBLIC, api=False, methods={"POST": None}),
    "mfa_security_key": Endpoint(
        Scope.PUBLIC, api=False, methods={"POST": lambda w: {"credential": "{}"}}
    ),
    "mfa_security_key_options": Endpoint(Scope.PUBLIC, api=False, methods={"POST": None}),
    "security_keys": Endpoint(
        Scope.PUBLIC,
        api=False,
        methods={"GET": None, "POST": lambda w: {"name": "YubiKey", "credential": "{}"}},
    ),
    "security_key_options": Endpoint(Scope.PUBLIC, api=False, methods={"POST": None}),
    "security_key_remove": Endpoint(
        Scope.OBJECT, api=False, kwargs=_security_key, methods={"POST": None}
    ),
}

# fmt: off
#                                       anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("mfa_verify", "GET"):              (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("mfa_enroll", "GET"):              (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("mfa_recovery_codes", "GET"):      (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("reauth", "GET"):                  (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("reauth_security_key_options", "POST"): (302, 400, 400, 400, 400, 400, 400, 400, 400, 400),
    ("password_change", "GET"):         (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("recovery_codes_renew", "POST"):   (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("mfa_security_key", "POST"):       (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("mfa_security_key_options", "POST"): (302, 400, 400, 400, 400, 400, 400, 400, 400, 400),
    ("security_keys", "GET"):           (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("security_keys", "POST"):          (302, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    ("security_key_options", "POST"):   (302, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    ("security_key_remove", "POST"):    (302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on
