"""URL classification and permission matrix rows of the people app's duplicate handling (issue 11).

The merge payload creates the duplicate (a second record of the world's person, spelt
differently, in the same case team) before the request; a refused request leaves it unmerged.
"""

from __future__ import annotations

from typing import Any

from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World
from tests.factories import PersonFactory


def _person(world: World) -> dict[str, int]:
    return {"pk": world.person.pk}


def _duplicate(world: World) -> dict[str, Any]:
    duplicate = PersonFactory(
        traeger=world.person.traeger,
        organisation=world.person.organisation,
        post=world.person.post,
        last_name="Zebrovsky",
        first_name="Quirina",
    )
    return {"duplicate": duplicate.pk, "confirm": "on"}


ENDPOINTS: dict[str, Endpoint] = {
    "people:merge": Endpoint(
        Scope.OBJECT, api=False, kwargs=_person, methods={"GET": None, "POST": _duplicate}
    ),
}

# fmt: off
#                                              anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("people:merge", "GET"):                    (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("people:merge", "POST"):                   (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
}
