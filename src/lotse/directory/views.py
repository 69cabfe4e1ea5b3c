"""The region overview (Zusammenarbeit in …): who is who, posts and caseloads, goals, bodies.

Configuration data only; visible to every signed-in user of the Träger.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from lotse.core.http import AuthenticatedRequest
from lotse.directory import selectors


def _require_traeger(request: AuthenticatedRequest) -> None:
    if request.user.traeger_id is None:
        raise PermissionDenied


@login_required
def organisations(request: AuthenticatedRequest) -> HttpResponse:
    _require_traeger(request)
    return render(
        request,
        "directory/organisations.html",
        {"organisations": selectors.organisations_for_user(request.user)},
    )


@login_required
def structure(request: AuthenticatedRequest) -> HttpResponse:
    _require_traeger(request)
    return render(
        request,
        "directory/structure.html",
        {
            "sozialraeume": selectors.sozialraeume_with_posts(request.user),
            "other_posts": selectors.posts_without_sozialraum(request.user),
            "programmes": selectors.programmes_for_user(request.user),
        },
    )


@login_required
def goals(request: AuthenticatedRequest) -> HttpResponse:
    _require_traeger(request)
    return render(
        request, "directory/goals.html", {"goals": selectors.goals_for_user(request.user)}
    )


@login_required
def bodies(request: AuthenticatedRequest) -> HttpResponse:
    _require_traeger(request)
    return render(
        request, "directory/bodies.html", {"bodies": selectors.bodies_for_user(request.user)}
    )
