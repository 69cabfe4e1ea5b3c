"""URL classification and permission matrix rows of the people app's duplicate handling (issue 11).

The merge payload names the world's person as its own duplicate: the matrix checks who may
reach the merge at all (the case team gets the German refusal, 422; everyone else 403/404)
without a second person in the world. Real merges: ``tests/people/test_merge.py``.
"""

from __future__ import annotations

from typing import Any

from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def _person(world: World) -> dict[str, int]:
    return {"pk": world.person.pk}


def _itself(world: World) -> dict[str, Any]:
    return {"duplicate": world.person.pk, "confirm": "on"}


ENDPOINTS: dict[str, Endpoint] = {
    "people:merge": Endpoint(
        Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None, "POST": _itself}
    ),
}

# fmt: off
#                                              anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("people:merge", "GET"):                    (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("people:merge", "POST"):                   (302, 422, 422, 403, 403, 403, 403, 403, 404, 404),
}
