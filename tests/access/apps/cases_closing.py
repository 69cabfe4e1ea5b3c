"""Evaluation and reopening of a case (cases app)."""

from __future__ import annotations

from tests.access.endpoints import Endpoint, Scope, _case

ENDPOINTS = {
    "cases:evaluation": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={
            "GET": None,
            "POST": lambda w: {"ending_reason": "goals_reached", "assessment": "Arbeitsaufnahme"},
        },
    ),
    "cases:reopen": Endpoint(
        Scope.OBJECT,
        api=False,
        kwargs=_case,
        methods={
            "GET": None,
            "POST": lambda w: {"version": w.case.version, "to_phase": "monitoring", "reason": "x"},
        },
    ),
}

# The world's case is in Klärung without an agreement: an (interim) evaluation and reopening
# are refused by the service (422) for those who may try at all.
# fmt: off
#                                         anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("cases:evaluation", "GET"):          (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("cases:evaluation", "POST"):         (302, 422, 422, 403, 403, 403, 403, 403, 404, 404),
    ("cases:reopen", "GET"):              (302, 403, 200, 403, 403, 403, 403, 403, 403, 403),
    ("cases:reopen", "POST"):             (302, 403, 422, 403, 403, 403, 403, 403, 403, 403),
}
# fmt: on
