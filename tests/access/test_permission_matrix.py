"""The permission matrix: every endpoint × every actor, with the expected answer written out.

The table is the policy. It is deliberately not derived from ``lotse.core.access``: when the
policy changes, this table has to change with it, in the same review.

Actors (columns, in this order):
anonymous, the six roles of ``accounts.Role`` (users of Träger A, organisation A), a user of
Träger A without any role, a case manager of another Träger (B), a case manager of another
organisation of Träger A. Objects in the URLs belong to Träger A, organisation A.

Reading a row: 200/201 allowed, 302 allowed HTML form post (redirect) or redirect to login
for anonymous HTML, 401 anonymous API, 403 role without access, 404 object outside the
user's scope (never a 403: no existence leak), 400/422 input refers to data outside the
user's Träger or organisation (reads like an unknown id).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from lotse.accounts.models import Role
from tests.access.apps import app_tables
from tests.access.conftest import call
from tests.access.endpoints import cells
from tests.access.world import ACTORS, World, snapshot_of

#: Long: scheduled first (spread over both workers: one group would leave a worker with
#: most of the PostgreSQL pass).
pytestmark = pytest.mark.slow


# fmt: off
#                                              anon cm   tl   coord part admin dp  none  oth-T oth-O
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    ("home", "GET"):                            (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    # The start page sends coordination, partners and data protection to their own pages; the
    # matrix's administrator is no staff member, so they get the welcome page like "none".
    ("start", "GET"):                           (302, 200, 200, 302, 302, 200, 302, 200, 200, 200),
    ("start_team", "GET"):                      (302, 403, 200, 403, 403, 403, 403, 403, 403, 403),
    ("healthz", "GET"):                         (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("accessibility", "GET"):                   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("brand_css", "GET"):                       (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("login", "GET"):                           (200, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("logout", "POST"):                         (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("directory:structure", "GET"):             (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("directory:organisations", "GET"):         (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("directory:goals", "GET"):                 (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("directory:bodies", "GET"):                (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("audit:log", "GET"):                       (302, 403, 403, 403, 403, 403, 200, 403, 403, 403),
    ("people:list", "GET"):                     (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("people:create", "GET"):                   (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("people:create", "POST"):                  (302, 302, 302, 403, 403, 403, 403, 403, 422, 302),
    ("people:detail", "GET"):                   (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("people:edit", "GET"):                     (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("people:edit", "POST"):                    (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("people:residence_status_add", "GET"):     (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("people:residence_status_add", "POST"):    (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("people:name_variant_add", "GET"):         (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("people:name_variant_add", "POST"):        (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("people:family_member_add", "GET"):        (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("people:family_member_add", "POST"):       (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("cases:my_cases", "GET"):                  (302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("cases:create", "GET"):                    (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("cases:create", "POST"):                   (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("cases:detail", "GET"):                    (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("cases:edit", "GET"):                      (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("cases:edit", "POST"):                     (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("cases:phase", "POST"):                    (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("cases:field_process", "POST"):            (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("cases:timeline_add", "GET"):              (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("cases:timeline_add", "POST"):             (302, 302, 302, 403, 403, 403, 403, 403, 404, 404),
    ("cases:attachment", "GET"):                (302, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:person-list", "GET"):                 (401, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("api:person-list", "POST"):                (401, 201, 201, 403, 403, 403, 403, 403, 400, 201),
    ("api:person-detail", "GET"):               (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:person-detail", "PATCH"):             (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:person-residence-statuses", "GET"):   (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:person-residence-statuses", "POST"):  (401, 201, 201, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-list", "GET"):                   (401, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    ("api:case-list", "POST"):                  (401, 201, 201, 403, 403, 403, 403, 403, 400, 400),
    ("api:case-detail", "GET"):                 (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-detail", "PATCH"):               (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-phase", "POST"):                 (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-timeline", "GET"):               (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:case-timeline", "POST"):              (401, 201, 201, 403, 403, 403, 403, 403, 404, 404),
    ("api:timeline-entry-detail", "GET"):       (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:timeline-entry-attachment", "GET"):   (401, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    ("api:schema", "GET"):                      (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on
for _module in app_tables():
    MATRIX.update(_module.MATRIX)


def test_the_matrix_covers_every_classified_endpoint_and_every_actor():
    assert set(MATRIX) == set(cells())
    assert ACTORS == (
        "anonymous",
        *(role.value for role in Role),
        "no_role",
        "other_traeger",
        "other_organisation",
    )
    assert all(len(row) == len(ACTORS) for row in MATRIX.values())


@pytest.mark.parametrize(
    ("name", "method", "actor"),
    [(name, method, actor) for (name, method) in MATRIX for actor in ACTORS],
    ids=[f"{name}-{method}-{actor}" for (name, method) in MATRIX for actor in ACTORS],
)
def test_permission_matrix(world: World, name: str, method: str, actor: str):
    expected = MATRIX[name, method][ACTORS.index(actor)]
    before = snapshot_of(world.traeger_a)

    response = call(world, world.users[actor], name, method)

    assert response.status_code == expected, (
        f"{method} {name} as {actor}: expected {expected}, got {response.status_code}"
    )
    if actor == "anonymous" and expected == 302 and name not in ("logout",):
        assert response["Location"].startswith(reverse("login"))
    if expected >= 400:
        assert snapshot_of(world.traeger_a) == before, "a refused request changed data"
