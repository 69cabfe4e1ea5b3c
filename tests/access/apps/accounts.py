"""URL classification and permission matrix of the sign-in steps and the own account.

The matrix's users are signed in completely (``force_login`` includes the second factor, see
tests/auth.py): the code step and the recovery-code page send them on (302), enrollment and
re-authentication show their forms. None of these pages shows data of a Träger.
"""

from __future__ import annotations

from tests.access.endpoints import Endpoint, Scope

ENDPOINTS = {
    "mfa_verify": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "mfa_enroll": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "mfa_recovery_codes": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "reauth": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
    "password_change": Endpoint(Scope.PUBLIC, api=False, methods={"GET": None}),
}

# fmt: off
#                                       anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("mfa_verify", "GET"):              (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("mfa_enroll", "GET"):              (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("mfa_recovery_codes", "GET"):      (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("reauth", "GET"):                  (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("password_change", "GET"):         (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on
