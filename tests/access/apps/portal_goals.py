"""URLs of the portal's goals registry (``/zusammenarbeit/ziele/``).

Every active user of a Träger reads the registry, partners included: it shows configuration,
decisions and aggregated counts only, never personal data. Another Träger's goal is a 404.
"""

from __future__ import annotations

from typing import Any

from tests.access.endpoints import Endpoint, Scope
from tests.access.world import World


def _goal(world: World) -> dict[str, Any]:
    from lotse.directory.models import Goal

    goal, _ = Goal.objects.get_or_create(
        traeger=world.traeger_a,
        key="ziel-portal",
        defaults={
            "code": "Arbeit I",
            "title": "Ziel im Portal",
            "deadline_rule": {"from": "registration", "within": 6, "unit": "weeks"},
        },
    )
    return {"pk": goal.pk}


ENDPOINTS: dict[str, Endpoint] = {
    "portal:goals": Endpoint(Scope.TRAEGER, api=False, methods={"GET": None}),
    "portal:goal": Endpoint(Scope.OBJECT, api=False, kwargs=_goal, methods={"GET": None}),
}

# fmt: off
#                                  anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("portal:goals", "GET"):       (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:goal", "GET"):        (302, 200, 200, 200, 200, 200, 200, 200, 404, 200),
}
# fmt: on
