"""Need-to-know inside one Träger: the permission matrix for the case team's own actors.

Every classified endpoint is called by six more case managers of Träger A, organisation A —
all with a post of their own in another Sozialraum — who differ only in their link to the
world's case (kept at the post of the matrix's case manager):

- ``other_sozialraum``: none (same organisation, other Sozialraum);
- ``substitute_before`` / ``substitute_during`` / ``substitute_after``: a substitution of the
  case's post that starts in the future, runs today, or is over;
- ``added_member``: added to this one case with a reason;
- ``break_glass``: an open emergency access to this one case.

Who is on the team today must get what the case manager gets; who is not must get what a case
manager of another organisation gets (404 for the objects, lists without the person). Pages that
change the team itself belong to the post's team only (``POST_TEAM_ONLY``).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lotse.accounts.models import Role, RoleAssignment
from lotse.teams.models import BreakGlassAccess, CaseMembership, Substitution
from tests.access.conftest import call, shared_world
from tests.access.endpoints import ENDPOINTS, Scope, cells
from tests.access.test_permission_matrix import MATRIX
from tests.access.world import ACTORS, World, build_world, snapshot_of
from tests.factories import (
    CaseManagementPostFactory,
    SozialraumFactory,
    UserFactory,
    default_post,
)

#: Long: scheduled first (spread over both workers: one group would leave a worker with
#: most of the PostgreSQL pass).
pytestmark = pytest.mark.slow


ON_TEAM = ("substitute_during", "added_member", "break_glass")
OFF_TEAM = ("other_sozialraum", "substitute_before", "substitute_after")
TEAM_ACTORS = OFF_TEAM + ON_TEAM

#: Data of the world's person and case (configuration names are the Träger's and may show).
PERSON_MARKERS = (
    "Zebrowski",
    "Quirina",
    "Zebrovskij",
    "2026-777777",
    "Geheimtermin Alpha",
    "Alpha-Anliegen",
)

#: Shaping the team and handing the case over: the post's team (holder, lead, substitute).
POST_TEAM_ONLY = {
    ("teams:case_team", "POST"),
    ("teams:membership_remove", "POST"),
    ("teams:handover", "GET"),
    ("teams:handover", "POST"),
}


#: The user's own objects (tokens, keys, uploads): another user's, whatever the case team.
USER_OWNED = (
    "security_key_remove",
    "tokens:revoke",
    "spreadsheets:import_detail",
    "spreadsheets:import_confirm",
    "spreadsheets:import_discard",
    "api:import-detail",
    "api:import-confirm",
)

#: Opening the Durchstarten case puts it at the provider's post: only who works that post.
OPENS_AT_POST = {("programmes:eligibility", "POST")}


def add_team_actors(world: World) -> dict[str, object]:
    today = timezone.localdate()
    case_post = default_post(world.org_a)
    actors: dict[str, object] = {}
    for index, name in enumerate(TEAM_ACTORS):
        user = UserFactory(
            username=f"a-{name}",
            last_name="Alphauser",
            traeger=world.traeger_a,
            organisation=world.org_a,
            roles=[],
        )
        RoleAssignment.objects.create(user=user, role=Role.CASE_MANAGEMENT)
        user.__dict__.pop("_role_cache", None)
        CaseManagementPostFactory(
            traeger=world.traeger_a,
            organisation=world.org_a,
            programme=world.programme,
            sozialraum=SozialraumFactory(traeger=world.traeger_a, name=f"Sozialraum {index + 2}"),
            holder=user,
        )
        actors[name] = user
    for name, start, end in (
        ("substitute_before", 3, 10),
        ("substitute_during", -2, 5),
        ("substitute_after", -10, -3),
    ):
        Substitution.objects.create(
            traeger=world.traeger_a,
            post=case_post,
            substitute=actors[name],
            starts_on=today + dt.timedelta(days=start),
            ends_on=today + dt.timedelta(days=end),
            reason="Urlaubsvertretung",
        )
    CaseMembership.objects.create(
        traeger=world.traeger_a,
        case=world.case,
        user=actors["added_member"],
        reason="Teilhabemanager für Durchstarten",
    )
    BreakGlassAccess.objects.create(
        traeger=world.traeger_a,
        case=world.case,
        user=actors["break_glass"],
        reason="Dringend: Termin bei der Ausländerbehörde",
        expires_at=timezone.now() + dt.timedelta(hours=4),
    )
    return actors


def _build_team_world() -> tuple[World, dict[str, object]]:
    world = build_world()
    return world, add_team_actors(world)


@pytest.fixture(scope="module")
def _module_team_world(
    django_db_setup: None, django_db_blocker: Any, access_media: Path
) -> Iterator[tuple[World, dict[str, object]]]:
    yield from shared_world(_build_team_world, django_db_blocker, access_media)


@pytest.fixture
def team_world(
    _module_team_world: tuple[World, dict[str, object]], db: None
) -> tuple[World, dict[str, object]]:
    return copy.deepcopy(_module_team_world)


def expected_for(name: str, method: str, actor: str) -> int:
    row = MATRIX[name, method]
    if name in USER_OWNED:
        return row[ACTORS.index("other_organisation")]
    if (name, method) in OPENS_AT_POST and actor in ON_TEAM:
        return 422
    if actor in ON_TEAM:
        if (name, method) in POST_TEAM_ONLY and actor != "substitute_during":
            return 403
        if name == "teams:substitutions" and method == "POST":
            return 422  # arranged by the post's lead or holder, not by a substitute
        return row[ACTORS.index(Role.CASE_MANAGEMENT.value)]
    return row[ACTORS.index("other_organisation")]


def _body(response) -> str:  # type: ignore[no-untyped-def]
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize(
    ("name", "method", "actor"),
    [(name, method, actor) for (name, method) in cells() for actor in TEAM_ACTORS],
    ids=[f"{name}-{method}-{actor}" for (name, method) in cells() for actor in TEAM_ACTORS],
)
def test_case_team_matrix(team_world, name: str, method: str, actor: str):
    world, actors = team_world
    expected = expected_for(name, method, actor)
    before = snapshot_of(world.traeger_a)

    response = call(world, actors[actor], name, method)

    assert response.status_code == expected, (
        f"{method} {name} as {actor}: expected {expected}, got {response.status_code}"
    )
    if expected >= 400:
        assert snapshot_of(world.traeger_a) == before, "a refused request changed data"
    if actor in OFF_TEAM and ENDPOINTS[name].scope != Scope.PUBLIC:
        payload = ENDPOINTS[name].methods[method]
        typed = " ".join(str(v) for v in (payload(world) if payload else {}).values())
        text = re.sub(r"[A-Za-z0-9]{32,}", "", _body(response))
        leaked = [m for m in PERSON_MARKERS if m in text and m not in typed]
        assert not leaked, f"{method} {name} showed {actor} the case of another team: {leaked}"


@pytest.mark.parametrize("actor", TEAM_ACTORS)
def test_person_list_shows_the_person_exactly_to_the_team(team_world, actor: str):
    world, actors = team_world
    response = call(world, actors[actor], "people:list", "GET")

    assert response.status_code == 200
    assert ("Zebrowski" in _body(response)) is (actor in ON_TEAM)
