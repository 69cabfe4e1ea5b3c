"""The one access policy of Lotse.

Objects holding personal data are loaded only through ``get_<entity>_for_user`` selectors and
listed only through ``<entity>_list_for_user`` selectors, which all call into this module. A
user never learns that an object outside their scope exists: it is a 404, not a 403.

Who may do what (personal data):
- Case management and team leads work with the persons and cases of their case team inside
  their own Träger: the post they hold, lead or substitute, and single cases they were added to
  or opened by breaking the glass (``lotse.teams``). Never the whole organisation.
- Coordination, partner organisations, administration and data protection see no case files
  here; audit reading comes with its own rules.
- Partner organisations (``Role.PARTNER``) see a person only in the data categories that a
  consent in force grants to their organisation, computed on every request
  (``lotse.sharing.selectors.granted_categories``); without such a consent the person is a 404.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from lotse.accounts.models import Role


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    CREATE = "create"
    REOPEN = "reopen"


CASE_TEAM_ROLES = (Role.CASE_MANAGEMENT, Role.TEAM_LEAD)
PARTNER_ROLES = (Role.PARTNER,)

_ROLES_FOR: dict[Action, tuple[str, ...]] = {
    Action.VIEW: CASE_TEAM_ROLES,
    Action.CHANGE: CASE_TEAM_ROLES,
    Action.CREATE: CASE_TEAM_ROLES,
    # Reopening a closed case undoes an evaluated ending: the team lead decides.
    Action.REOPEN: (Role.TEAM_LEAD,),
}


def can(user: Any, action: Action) -> bool:
    """May the user perform ``action`` on case files at all (before looking at a single object)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.traeger_id is None or user.organisation_id is None:
        return False
    return user.has_role(*_ROLES_FOR[action])


def can_view_shared(user: Any) -> bool:
    """May the user open the partner pages at all (before any consent is looked at)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.traeger_id is None or user.organisation_id is None:
        return False
    return bool(user.has_role(*PARTNER_ROLES))


def _active_in_traeger(user: Any, *, with_organisation: bool = False) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.traeger_id is None:
        return False
    return not with_organisation or user.organisation_id is not None


def has_role(user: Any, *roles: str) -> bool:
    """The one place that asks for a user's roles (active, signed in, with a Träger)."""
    return _active_in_traeger(user) and bool(user.has_role(*roles))


def is_case_worker(user: Any) -> bool:
    """Case management or team lead: may be responsible for a case, a task or a team."""
    return bool(
        getattr(user, "is_active", False) and user.has_role(Role.CASE_MANAGEMENT, Role.TEAM_LEAD)
    )


def is_partner(user: Any) -> bool:
    return can_view_shared(user)


def can_edit_offer_catalogue(user: Any) -> bool:
    """Coordination and administration maintain the offers catalogue (no personal data)."""
    return _active_in_traeger(user, with_organisation=True) and bool(
        user.has_role(Role.COORDINATION, Role.ADMINISTRATION)
    )


def can_read_budgets(user: Any) -> bool:
    """The Teilhabemanagement budgets per Baustein: team leads, administration, coordination."""
    return has_role(user, Role.TEAM_LEAD, Role.ADMINISTRATION, Role.COORDINATION)


def can_write_budgets(user: Any) -> bool:
    return has_role(user, Role.TEAM_LEAD, Role.ADMINISTRATION)


def can_override_budget(user: Any) -> bool:
    """A commitment over a Baustein's budget is the team lead's decision (audited)."""
    return has_role(user, Role.TEAM_LEAD)


def can_decide_retention(user: Any) -> bool:
    """Erasure decisions, legal holds, lifting restrictions: the team lead (four eyes)."""
    return has_role(user, Role.TEAM_LEAD)


def can_edit_retention_rules(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATION)


def can_configure_region(user: Any) -> bool:
    """The region's configuration in the admin: administration and coordination."""
    return has_role(user, Role.ADMINISTRATION, Role.COORDINATION)


def sees_coach_names(user: Any) -> bool:
    """The coaching ratio per coach names the coaches only for the team lead."""
    return has_role(user, Role.TEAM_LEAD)


def starts_with_team_lists(user: Any) -> bool:
    """A team lead without own cases starts the worklists with the team's rows."""
    return has_role(user, Role.TEAM_LEAD) and not user.has_role(Role.CASE_MANAGEMENT)


def has_own_caseload(user: Any) -> bool:
    """Does the user carry cases of their own (case management), the "my work" start page?"""
    return can(user, Action.VIEW) and bool(user.has_role(Role.CASE_MANAGEMENT))


def can_lead_team(user: Any) -> bool:
    """May the user see the caseloads of the posts of their organisation (the team page)?"""
    return can(user, Action.VIEW) and bool(user.has_role(Role.TEAM_LEAD))


def can_coordinate(user: Any) -> bool:
    """Coordination (Servicestelle): the region pages, never a case file."""
    return _active_in_traeger(user) and bool(user.has_role(Role.COORDINATION))


def can_open_audit_log(user: Any) -> bool:
    """The data protection officer's search of the access log (``audit.selectors``)."""
    return _active_in_traeger(user) and bool(user.has_role(Role.DATA_PROTECTION))


def can_administer(user: Any) -> bool:
    """The configuration in ``/verwaltung/``: staff with the administration role (or superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return False
    return bool(user.is_superuser or user.has_role(Role.ADMINISTRATION))


def can_open_administration(user: Any) -> bool:
    """Django's admin admits active staff; what they may change there is decided per model."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def can_read_offer_catalogue(user: Any) -> bool:
    """Case teams read the catalogue; coordination and administration maintain it."""
    return _active_in_traeger(user, with_organisation=True) and bool(
        user.has_role(*CASE_TEAM_ROLES, Role.COORDINATION, Role.ADMINISTRATION)
    )


def can_use_task_list(user: Any) -> bool:
    """ "Meine Aufgaben": case teams and partner organisations."""
    return can(user, Action.VIEW) or can_view_shared(user)


def can_see_participation_overview(user: Any) -> bool:
    return _active_in_traeger(user) and bool(user.has_role(Role.TEAM_LEAD, Role.COORDINATION))


def can_see_erasure_overview(user: Any) -> bool:
    return _active_in_traeger(user) and bool(
        user.has_role(Role.TEAM_LEAD, Role.ADMINISTRATION, Role.DATA_PROTECTION)
    )


def can_organise_conferences(user: Any) -> bool:
    """The Servicestelle organises and moderates case conferences (seed 002, 4.2.1)."""
    return _active_in_traeger(user, with_organisation=True) and bool(
        user.has_role(Role.COORDINATION)
    )


def can_use_conferences(user: Any) -> bool:
    """The conference pages: case teams (their cases), the Servicestelle, invited partners."""
    return can(user, Action.VIEW) or can_organise_conferences(user) or can_view_shared(user)


def can_work_in_bodies(user: Any) -> bool:
    """The Servicestelle prepares, runs and documents the bodies' meetings, papers and decisions
    (seed 002, 5.1: "Vorbereitung, Moderation und Dokumentation durch die Servicestelle")."""
    return _active_in_traeger(user, with_organisation=True) and bool(
        user.has_role(Role.COORDINATION)
    )


def can_use_portal(user: Any) -> bool:
    """The portal "Zusammenarbeit" (contacts, published decisions, goals, working aids, process
    chains) is for every actor of the region, partners included; it holds no client data."""
    return _active_in_traeger(user)


def can_see_region(user: Any) -> bool:
    """The region pages (configuration, no personal data) are open to every user of a Träger."""
    return _active_in_traeger(user)


class StartPage(StrEnum):
    """Where a user lands after signing in: the page made for their work."""

    OWN_WORK = "own_work"
    TEAM = "team"
    REGION = "region"
    SHARED = "shared"
    AUDIT_LOG = "audit_log"
    ADMINISTRATION = "administration"
    WELCOME = "welcome"  # no role with a page of its own (e.g. no role assigned yet)


# The first that fits wins: daily case work before leading the team, the region before the
# narrower views of partners, data protection and administration.
_START_PAGES = (
    (StartPage.OWN_WORK, has_own_caseload),
    (StartPage.TEAM, can_lead_team),
    (StartPage.REGION, can_coordinate),
    (StartPage.SHARED, can_view_shared),
    (StartPage.AUDIT_LOG, can_open_audit_log),
    (StartPage.ADMINISTRATION, can_administer),
)


def start_page_for(user: Any) -> StartPage:
    for page, fits in _START_PAGES:
        if fits(user):
            return page
    return StartPage.WELCOME


def require(user: Any, action: Action) -> None:
    if not can(user, action):
        raise PermissionDenied


def _team(user: Any) -> Any:
    from lotse.teams.scope import team_scope

    return team_scope(user)


def case_scope(user: Any, action: Action = Action.VIEW) -> Q | None:
    """The filter selecting the cases ``user`` may act on: their case team's cases, or None.

    Need-to-know inside the Träger: the case's post (held, led or substituted today), or a
    membership or break-the-glass access for that one case. Never the whole organisation.
    """
    if not can(user, action):
        return None
    team = _team(user)
    return Q(traeger_id=user.traeger_id) & (
        Q(post_id__in=sorted(team.post_ids)) | Q(pk__in=sorted(team.case_ids))
    )


#: Up to this many posts, an ordered page of persons or cases reads one index range per post
#: (:func:`person_scope_branches`, :func:`case_scope_branches`); a larger team reads its posts as one range.
BRANCH_POSTS = 40


def _post_branches(traeger: Q, posts: list[int]) -> list[Q]:
    """One condition per post (an index range each), or the posts together for a large team."""
    if len(posts) <= BRANCH_POSTS:
        return [traeger & Q(post_id=post) for post in posts]
    return [traeger & Q(post_id__in=posts)]


def case_scope_branches(user: Any, action: Action = Action.VIEW) -> list[Q] | None:
    """:func:`case_scope` as one condition per index range, or None: one per post of the team
    (up to :data:`BRANCH_POSTS`, else the posts together) and one for the single cases
    (membership, emergency access). Their union is exactly the scope; for ordered pages on
    PostgreSQL (``core.pagination.keyset_union_page``)."""
    if not can(user, action):
        return None
    team = _team(user)
    posts = sorted(team.post_ids)
    traeger = Q(traeger_id=user.traeger_id)
    branches = _post_branches(traeger, posts)
    if team.case_ids:
        branches.append(traeger & Q(pk__in=sorted(team.case_ids)))
    return branches


def person_ids_in_scope(user: Any, action: Action = Action.VIEW) -> QuerySet[Any] | None:
    """The ids of the persons ``user`` may act on, as a subquery (all inside the user's
    Träger), or None.

    A person is kept by a post (``Person.post``); a person is also seen by the case team of
    any of their cases (e.g. a Durchstarten case at another post) and by members of one case.

    A ``UNION`` of index reads (persons by ``traeger, post``, cases by ``traeger, post``, the
    single persons by primary key), not an ``OR`` of the three: PostgreSQL cannot read an
    ``OR`` across a subquery through an index and walked all the Träger's persons for every
    list (issue 14). The union is bounded by the team's size. Rows about persons (deadlines,
    consents) filter their ``person_id`` by it directly, without reading the persons.
    """
    if not can(user, action):
        return None
    from django.apps import apps

    team = _team(user)
    posts = sorted(team.post_ids)
    person_model = apps.get_model("people", "Person")
    case_model = apps.get_model("cases", "Case")
    persons_of_posts = (
        person_model.objects.filter(traeger_id=user.traeger_id, post_id__in=posts)
        .order_by()
        .values("pk")
    )
    cases_of_posts = (
        case_model.objects.filter(traeger_id=user.traeger_id, post_id__in=posts)
        .order_by()
        .values("person_id")
    )
    parts: list[QuerySet[Any]] = [cases_of_posts]
    if team.person_ids:
        parts.append(
            person_model.objects.filter(traeger_id=user.traeger_id, pk__in=sorted(team.person_ids))
            .order_by()
            .values("pk")
        )
    return persons_of_posts.union(*parts)


def person_scope_branches(user: Any, action: Action = Action.VIEW) -> list[Q] | None:
    """:func:`person_ids_in_scope` as conditions on the persons themselves, one per index
    range, or None. Their union is exactly the scope.

    One branch per post of the team (persons by ``traeger, post, last_name, first_name, id``:
    a page in name order reads the first rows of each post's range, not every person of the
    team), one for the persons of the team's cases (a case at another post) and one for the
    single persons (case membership, emergency access). Used for ordered pages on PostgreSQL
    (``core.pagination.keyset_union_page``); everything else filters by the one ``UNION``.
    """
    if not can(user, action):
        return None
    from django.apps import apps

    team = _team(user)
    posts = sorted(team.post_ids)
    case_model = apps.get_model("cases", "Case")
    traeger = Q(traeger_id=user.traeger_id)
    branches = _post_branches(traeger, posts)
    if posts:
        cases_of_posts = case_model.objects.filter(traeger_id=user.traeger_id, post_id__in=posts)
        branches.append(traeger & Q(pk__in=cases_of_posts.order_by().values("person_id")))
    if team.person_ids:
        branches.append(traeger & Q(pk__in=sorted(team.person_ids)))
    return branches


def person_scope(user: Any, action: Action = Action.VIEW) -> Q | None:
    """The filter selecting the persons ``user`` may act on, or None (see
    :func:`person_ids_in_scope`)."""
    ids = person_ids_in_scope(user, action)
    if ids is None:
        return None
    return Q(traeger_id=user.traeger_id) & Q(pk__in=ids)


def restrict(queryset: QuerySet[Any], user: Any, action: Action = Action.VIEW) -> QuerySet[Any]:
    """Narrow a queryset of persons or cases to the rows ``user`` may act on (NetBox's
    ``restrict``): by the case team. Other personal data is read through these two."""
    label = queryset.model._meta.label_lower
    if label == "people.person":
        scope = person_scope(user, action)
    elif label == "cases.case":
        scope = case_scope(user, action)
    else:
        raise TypeError(f"restrict() knows persons and cases, not {label}")
    if scope is None:
        return queryset.none()
    return queryset.filter(scope)


def case_file_scope(user: Any, action: Action = Action.VIEW) -> Q | None:
    """Whether ``user`` works with case files at all: a Träger filter, or None.

    Only a gate before a narrower filter; the rows themselves are narrowed by
    :func:`person_scope` / :func:`case_scope` (or :func:`restrict`).
    """
    if not can(user, action):
        return None
    return Q(traeger_id=user.traeger_id)


def is_team_lead(user: Any) -> bool:
    return can(user, Action.VIEW) and bool(user.has_role(Role.TEAM_LEAD))


class AccessNotFound(Http404):
    """A 404 of the access policy: the object is outside the user's scope (or does not exist).

    A subclass so that the denial count (``audit.denials``) can tell these apart from a
    mistyped address; to the client it is an ordinary 404.
    """


def not_found() -> Http404:
    return AccessNotFound("Nicht gefunden")


def traeger_id_of(user: Any) -> int:
    """The user's Träger; a user without one has no access to anything tenant-owned."""
    traeger_id = getattr(user, "traeger_id", None)
    if traeger_id is None:
        raise PermissionDenied
    return int(traeger_id)


def can_review_emergency_access(user: Any, *, all_of_traeger: bool) -> bool:
    """The DPO reviews every emergency access of the Träger, a team lead those of their posts."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.traeger_id is None:
        return False
    if all_of_traeger:
        return bool(user.has_role(Role.DATA_PROTECTION))
    return bool(user.has_role(Role.TEAM_LEAD))
