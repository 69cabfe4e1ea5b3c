"""URL classification and permission matrix of the audit app's pages beyond the log itself.

The denied-attempts page is the data protection officer's, like the access log: every other
role is refused (403) and the officer sees only the own Träger's counts.
"""

from __future__ import annotations

from tests.access.endpoints import Endpoint, Scope

ENDPOINTS = {
    "audit:denials": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
}

# fmt: off
#                                              anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("audit:denials", "GET"):                  (302, 403, 403, 403, 403, 403, 200, 403, 403, 403),
}
# fmt: on
