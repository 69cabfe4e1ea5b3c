"""URL classification and permission matrix of the privacy app (the Art. 15 export).

Only the case team (``Action.VIEW`` on the person) may export; outside the Träger or the case
team the person does not exist (404).
"""

from __future__ import annotations

from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def _person(w: World) -> dict[str, int]:
    return {"pk": w.person.pk}


ENDPOINTS = {
    "privacy:export": Endpoint(Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None}),
    "privacy:export_json": Endpoint(Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None}),
    "privacy:export_pdf": Endpoint(Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None}),
    "api:person-export": Endpoint(Scope.OBJECT, api=True, kwargs=_person, methods={"GET": None}),
    "api:person-export-pdf": Endpoint(
        Scope.OBJECT, api=True, kwargs=_person, methods={"GET": None}
    ),
}

# fmt: off
#                                             anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX = {
    ("privacy:export", "GET"):                (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("privacy:export_json", "GET"):           (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("privacy:export_pdf", "GET"):            (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:person-export", "GET"):             (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:person-export-pdf", "GET"):         (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
}
# fmt: on
