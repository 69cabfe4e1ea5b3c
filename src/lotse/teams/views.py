"""Pages of the case team: who works a case, substitutions, emergency access, handover."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.audit.services import audit_log
from lotse.cases.selectors import get_case_for_user
from lotse.core.access import (
    Action,
    can_review_emergency_access,
    is_team_lead,
    not_found,
    traeger_id_of,
)
from lotse.core.http import AuthenticatedRequest
from lotse.core.viewutils import (
    add_service_errors,
    render_invalid,
    requires,
    requires_permission,
)
from lotse.directory.models import CaseManagementPost
from lotse.teams import selectors, services
from lotse.teams.forms import BreakGlassForm, HandoverForm, MembershipForm, SubstitutionForm
from lotse.teams.models import CaseMembership, Substitution


def _other_posts(case_post_id: int | None, traeger_id: int) -> QuerySet[CaseManagementPost]:
    return (
        CaseManagementPost.objects.filter(traeger_id=traeger_id)
        .exclude(pk=case_post_id or 0)
        .select_related("organisation", "holder")
        .order_by("organisation__name", "sort_order", "name")
    )


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@requires(Action.VIEW)
@require_http_methods(["GET", "POST"])
def case_team(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = get_case_for_user(user, pk)
    may_change = selectors.works_for_post(user, case.post) if case.post else False
    form = MembershipForm(request.POST or None, traeger_id=case.traeger_id)
    status = 200
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.membership_add(
                    actor=user,
                    case=case,
                    user=form.cleaned_data["user"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The member was added to the case team."))
                return redirect("teams:case_team", pk=case.pk)
        status = 422
    audit_log(
        user=user,
        action="view",
        object_type="case_team",
        object_id=case.pk,
        person_id=case.person_id,
        request=request,
    )
    context = {
        "case": case,
        "team": selectors.case_team(case),
        "memberships": selectors.memberships_of_case(case),
        "handovers": selectors.handovers_of_case(case),
        "may_change": may_change,
        "emergency_only": selectors.is_break_glass_only(user, case),
        "form": form,
    }
    return render(request, "teams/case_team.html", context, status=status)


@requires(Action.CHANGE)
@require_POST
def membership_remove(request: AuthenticatedRequest, pk: int, membership_pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, Action.CHANGE)
    membership = (
        CaseMembership.objects.filter(traeger_id=case.traeger_id, case=case, pk=membership_pk)
        .select_related("case")
        .first()
    )
    if membership is None:
        raise not_found()
    services.membership_remove(actor=request.user, membership=membership, request=request)
    messages.success(request, _("The member was removed from the case team."))
    return redirect("teams:case_team", pk=case.pk)


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def case_handover(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = get_case_for_user(user, pk, Action.CHANGE)
    if case.post is None or not selectors.works_for_post(user, case.post):
        raise PermissionDenied
    posts = _other_posts(case.post_id, case.traeger_id)
    form = HandoverForm(request.POST or None, posts=posts, traeger_id=case.traeger_id)
    context = {"case": case, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                handover = services.case_handover(
                    actor=user,
                    case=case,
                    to_post=form.cleaned_data["to_post"],
                    purpose=form.cleaned_data["purpose"].key
                    if form.cleaned_data["purpose"]
                    else None,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Case %(ref)s was handed over to %(post)s.")
                    % {"ref": case.reference, "post": handover.to_post},
                )
                if selectors.works_for_post(user, handover.to_post):
                    return redirect("cases:detail", pk=case.pk)
                return redirect("cases:my_cases")
        return render_invalid(request, "teams/handover_form.html", context)
    audit_log(  # the page names the person
        user=user,
        action="view",
        object_type="case_handover",
        object_id=case.pk,
        person_id=case.person_id,
        categories=["identity"],
        request=request,
    )
    return render(request, "teams/handover_form.html", context)


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def break_glass(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                access = services.break_glass_open(
                    actor=user,
                    reference=form.cleaned_data["reference"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.warning(
                    request,
                    _(
                        "Emergency access to case %(ref)s is open until %(until)s. It is "
                        "recorded and shown to the team lead and the data protection officer."
                    )
                    % {
                        "ref": access.case.reference,
                        "until": access.expires_at.astimezone().strftime("%d.%m.%Y %H:%M"),
                    },
                )
                return redirect("cases:detail", pk=access.case_id)
        return render_invalid(request, "teams/break_glass_form.html", {"form": form})
    return render(request, "teams/break_glass_form.html", {"form": form})


def _reviews_emergencies(user: Any) -> bool:
    return can_review_emergency_access(user, all_of_traeger=True) or can_review_emergency_access(
        user, all_of_traeger=False
    )


@requires_permission(_reviews_emergencies)
def emergency_accesses(request: AuthenticatedRequest) -> HttpResponse:
    """The emergency accesses to review: the DPO sees the Träger's, a team lead their posts'."""
    user = request.user
    all_of_traeger = can_review_emergency_access(user, all_of_traeger=True)
    if request.method == "POST":
        access = (
            selectors.break_glass_for_review(user, all_of_traeger=all_of_traeger)
            .filter(pk=_int(request.POST.get("access")))
            .first()
        )
        if access is None:
            raise not_found()
        services.break_glass_review(actor=user, access=access, request=request)
        messages.success(request, _("The emergency access was marked as reviewed."))
        return redirect("teams:emergency_accesses")
    rows = list(selectors.break_glass_for_review(user, all_of_traeger=all_of_traeger)[:100])
    audit_log(
        user=user,
        action="list",
        object_type="emergency_access",
        request=request,
        detail=f"rows:{len(rows)}",
    )
    return render(request, "teams/emergency_accesses.html", {"rows": rows})


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def substitutions(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    posts = selectors.posts_led_or_held(user)
    if not posts.exists() and not is_team_lead(user):
        raise PermissionDenied
    form = SubstitutionForm(request.POST or None, traeger_id=traeger_id_of(user), posts=posts)
    status = 200
    if request.method == "POST":
        if "end" in request.POST:
            substitution = (
                Substitution.objects.filter(
                    traeger_id=traeger_id_of(user), pk=_int(request.POST.get("end")), post__in=posts
                )
                .select_related("post")
                .first()
            )
            if substitution is None:
                raise not_found()
            services.substitution_end(actor=user, substitution=substitution, request=request)
            messages.success(request, _("The substitution was ended."))
            return redirect("teams:substitutions")
        if form.is_valid():
            try:
                services.substitution_create(actor=user, request=request, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The substitution was recorded."))
                return redirect("teams:substitutions")
        status = 422
    rows = list(selectors.substitutions_for_lead(user)[:100])
    return render(request, "teams/substitutions.html", {"form": form, "rows": rows}, status=status)
