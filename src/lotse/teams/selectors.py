"""Reading case teams: who is on a case's team, and which post keeps a new person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.cases.models import Case
from lotse.directory.models import CaseManagementPost, Municipality, Sozialraum, SozialraumArea
from lotse.teams.models import BreakGlassAccess, CaseMembership, Handover, Substitution
from lotse.teams.scope import team_scope


def sozialraum_for(*, municipality: Municipality | None, postcode: str = "") -> Sozialraum | None:
    """The Sozialraum of an address: a postcode area of the municipality, else the municipality's.

    Cities split into districts (e.g. Dortmund's Stadtbezirke) configure areas with postcodes;
    a municipality without areas belongs wholly to one Sozialraum.
    """
    area_id = sozialraum_id_for(municipality=municipality, postcode=postcode)
    return Sozialraum.objects.filter(pk=area_id).first() if area_id is not None else None


def sozialraum_id_for(*, municipality: Municipality | None, postcode: str = "") -> int | None:
    """The id of :func:`sozialraum_for`; without a postcode it reads nothing."""
    if municipality is None:
        return None
    code = (postcode or "").strip()
    if code:
        for area in SozialraumArea.objects.filter(
            traeger_id=municipality.traeger_id, municipality=municipality
        ):
            if code in area.postcodes:
                return area.sozialraum_id
    return municipality.sozialraum_id


def posts_of_user(user: Any) -> QuerySet[CaseManagementPost]:
    """The posts the user works today (held, led or substituted)."""
    return CaseManagementPost.objects.filter(
        traeger_id=user.traeger_id, pk__in=sorted(team_scope(user).post_ids)
    ).order_by("sort_order", "name", "id")


_POSTS_ATTRIBUTE = "_lotse_team_posts"


def _own_posts(user: Any) -> list[CaseManagementPost]:
    """``posts_of_user`` with their organisations, cached on ``user`` with its team scope (a
    new scope, e.g. after ``forget_team_scope`` or on the next day, reads them again)."""
    scope = team_scope(user)
    cached = getattr(user, _POSTS_ATTRIBUTE, None)
    if cached is not None and cached[0] is scope:
        return list(cached[1])
    posts = list(posts_of_user(user).select_related("organisation"))
    setattr(user, _POSTS_ATTRIBUTE, (scope, posts))
    return list(posts)


def works_for_post(user: Any, post: CaseManagementPost) -> bool:
    return post.traeger_id == user.traeger_id and post.pk in team_scope(user).post_ids


def responsible_post_for(
    actor: Any,
    *,
    municipality: Municipality | None = None,
    postcode: str = "",
    post: CaseManagementPost | None = None,
) -> CaseManagementPost:
    """The post that keeps a person ``actor`` enters: one of the actor's own posts.

    An explicitly chosen post must be one the actor works; otherwise the post serving the
    person's Sozialraum among the actor's posts, else the post the actor holds.
    """
    own = _own_posts(actor)
    if post is not None:
        if post.pk not in {p.pk for p in own}:
            raise ValidationError({"post": _("You can only keep persons at a post you work for.")})
        return post
    if not own:
        raise ValidationError(
            _(
                "You do not work for any case-management post, so no case team could keep this "
                "person. Ask your team lead to assign you a post or a substitution."
            )
        )
    area_id = sozialraum_id_for(municipality=municipality, postcode=postcode)
    if area_id is not None:
        for candidate in own:
            if candidate.sozialraum_id == area_id:
                return candidate
    held = [p for p in own if p.holder_id == actor.pk]
    return (held or own)[0]


@dataclass(frozen=True)
class TeamMember:
    user: Any
    role: str
    detail: str = ""
    #: Only for the working day of an emergency access, not a member to notify.
    emergency: bool = False


def case_team(case: Case) -> list[TeamMember]:
    """Everyone on the case's team today, with their part in it (for the team page and mails)."""
    today = timezone.localdate()
    members: list[TeamMember] = []
    post = case.post
    if post is not None:
        if post.holder_id:
            members.append(TeamMember(post.holder, _("Post holder")))
        if post.team_lead_id:
            members.append(TeamMember(post.team_lead, _("Team lead")))
        for substitution in Substitution.objects.filter(
            traeger_id=case.traeger_id,
            post=post,
            starts_on__lte=today,
            ends_on__gte=today,
            ended_early_at__isnull=True,
        ).select_related("substitute"):
            members.append(
                TeamMember(
                    substitution.substitute,
                    _("Substitute"),
                    _("until %(date)s") % {"date": substitution.ends_on.strftime("%d.%m.%Y")},
                )
            )
    for membership in CaseMembership.objects.filter(
        traeger_id=case.traeger_id, case=case, removed_at__isnull=True
    ).select_related("user"):
        members.append(TeamMember(membership.user, _("Added member"), membership.reason))
    for access in BreakGlassAccess.objects.filter(
        traeger_id=case.traeger_id, case=case, expires_at__gt=timezone.now()
    ).select_related("user"):
        members.append(TeamMember(access.user, _("Emergency access"), emergency=True))
    return members


def case_team_users(case: Case) -> list[Any]:
    """The distinct active users of the case team (recipients of notices about the case)."""
    seen: dict[int, Any] = {}
    for member in case_team(case):
        if member.user.is_active and not member.emergency:
            seen.setdefault(member.user.pk, member.user)
    return list(seen.values())


def memberships_of_case(case: Case) -> QuerySet[CaseMembership]:
    return CaseMembership.objects.filter(
        traeger_id=case.traeger_id, case=case, removed_at__isnull=True
    ).select_related("user", "added_by")


def handovers_of_case(case: Case) -> QuerySet[Handover]:
    return Handover.objects.filter(traeger_id=case.traeger_id, case=case).select_related(
        "from_post", "to_post", "from_organisation", "to_organisation", "from_user", "to_user"
    )


def posts_led_or_held(user: Any) -> QuerySet[CaseManagementPost]:
    """The posts whose substitutions the user arranges: led by them or held by them."""
    return (
        CaseManagementPost.objects.filter(traeger_id=user.traeger_id)
        .filter(Q(team_lead_id=user.pk) | Q(holder_id=user.pk))
        .order_by("sort_order", "name", "id")
    )


def substitutions_for_lead(user: Any) -> QuerySet[Substitution]:
    """Substitutions of the posts the user leads or holds (latest end first)."""
    return (
        Substitution.objects.filter(
            traeger_id=user.traeger_id, post__in=posts_led_or_held(user).values("pk")
        )
        .select_related("post", "substitute", "created_by")
        .order_by("-ends_on", "-id")
    )


def break_glass_for_review(user: Any, *, all_of_traeger: bool) -> QuerySet[BreakGlassAccess]:
    """Emergency accesses: the Träger's for the DPO, the led posts' cases for a team lead."""
    rows = BreakGlassAccess.objects.filter(traeger_id=user.traeger_id).select_related(
        "user", "case", "case__post", "reviewed_by"
    )
    if not all_of_traeger:
        rows = rows.filter(case__post_id__in=sorted(team_scope(user).lead_post_ids))
    return rows.order_by("-opened_at", "-id")


def is_break_glass_only(user: Any, case: Case) -> bool:
    """Is the user on the case only through an emergency access (then the page says so)?"""
    scope = team_scope(user)
    if case.post_id in scope.post_ids:
        return False
    return (
        case.pk in scope.case_ids
        and not CaseMembership.objects.filter(
            traeger_id=case.traeger_id, case=case, user_id=user.pk, removed_at__isnull=True
        ).exists()
    )
